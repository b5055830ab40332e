// Deterministic data with the public benchmark's shape (see workloads/gateways-benchmark/README.md):
// 6 users, 9 products, 11 reviews (4 on product 1, 4 on product 2, 1 on product 3, 2 on product 4),
// every review by user "1", every user's `reviews` = reviews "1" and "2".

export interface User {
  id: string;
  name: string;
  username: string;
  birthday: number;
}
export interface Product {
  upc: string;
  name: string;
  price: number | null;
  weight: number | null;
}
export interface Review {
  id: string;
  body: string;
  productUpc: string;
  authorId: string;
}

const FIRST = ['Ada', 'Alan', 'Grace', 'Edsger', 'Barbara', 'Donald'];
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Dijkstra', 'Liskov', 'Knuth'];

export const USERS: readonly User[] = FIRST.map((first, i) => ({
  id: String(i + 1),
  name: `${first} ${LAST[i]}`,
  username: `@${first.toLowerCase()}${i + 1}`,
  birthday: 1_000_000_000 + i * 86_400 * 365,
}));

// Prices in cents. Chosen so that every branch of shippingEstimate shows in the answer:
// price > 1000 → 0, weight null → null, price null → null, otherwise floor(weight / 2).
export const PRODUCTS: readonly Product[] = [
  { upc: '1', name: 'Table', price: 899, weight: 100 },
  { upc: '2', name: 'Couch', price: 1299, weight: 1000 },
  { upc: '3', name: 'Glass', price: 15, weight: 21 },
  { upc: '4', name: 'Chair', price: 499, weight: null },
  { upc: '5', name: 'TV', price: null, weight: 1500 },
  { upc: '6', name: 'Lamp', price: 350, weight: 7 },
  { upc: '7', name: 'Rug', price: 2150, weight: 300 },
  { upc: '8', name: 'Shelf', price: 999, weight: 45 },
  { upc: '9', name: 'Mirror', price: 120, weight: 33 },
];

export const IN_STOCK = new Set(['1', '5', '6', '7', '9']);

/** The inventory rule the router must feed with `price` and `weight` (`@requires`). */
export function shippingEstimate(price: number | null | undefined, weight: number | null | undefined): number | null {
  if (price === null || price === undefined) return null;
  if (price > 1000) return 0;
  if (weight === null || weight === undefined) return null;
  return Math.floor(weight / 2);
}

const WORDS = (
  'solid sturdy pleasant light heavy cheap durable elegant simple modern classic wooden delivery ' +
  'assembly instructions quality price value recommend would again colour finish surface legs ' +
  'corner scratch packaging arrived quickly late friendly support return refund happy disappointed'
).split(' ');

/** A body of exactly `length` bytes (ASCII), from a fixed linear congruential sequence. */
function body(seed: number, length: number): string {
  let state = seed * 2_654_435_761 >>> 0;
  let text = '';
  while (text.length < length) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    text += (text ? ' ' : '') + WORDS[state % WORDS.length];
  }
  return `${text.slice(0, length - 1)}.`;
}

const REVIEW_PRODUCTS = ['1', '1', '1', '1', '2', '2', '2', '2', '3', '4', '4'];
const BODY_LENGTHS = [404, 318, 844, 143, 512, 276, 630, 199, 455, 371, 588];

export const REVIEWS: readonly Review[] = REVIEW_PRODUCTS.map((productUpc, i) => ({
  id: String(i + 1),
  body: body(i + 1, BODY_LENGTHS[i]!),
  productUpc,
  authorId: '1',
}));

export const USER_REVIEW_IDS = ['1', '2'];
