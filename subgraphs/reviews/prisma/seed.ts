// Demo data for reviews: DEMO.reviews reviews of the catalog's demo products by the accounts'
// demo customers. Ids come from `seedId`, the same function the other seeds use, so the reviews
// point at real demo products and users without reading their databases. Deterministic
// (`seededRandom`) and idempotent: it only fills an empty table.
import { createPrismaClientOptions, DEMO, runSeedScript, seededRandom, seedId } from '@store/db';
import { PrismaClient } from '../generated/prisma/client.ts';

// Skewed towards good ratings, as real shop reviews are: 1★ 5%, 2★ 8%, 3★ 20%, 4★ 35%, 5★ 32%.
const RATING_WEIGHTS = [0.05, 0.08, 0.2, 0.35, 0.32] as const;

const OPENINGS: Record<number, string[]> = {
  1: ['Really disappointed.', 'Would not buy again.', 'Stopped working after a week.', 'Not as described.'],
  2: ['Not great.', 'Below my expectations.', 'It does the job, barely.', 'Feels cheap.'],
  3: ['It is okay.', 'Decent for the price.', 'Average, nothing special.', 'Mixed feelings.'],
  4: ['Very good.', 'Happy with it.', 'Solid purchase.', 'Does what it promises.'],
  5: ['Excellent!', 'Love it.', 'Best purchase this year.', 'Exceeded my expectations.'],
};
const DETAILS = [
  'Arrived quickly and well packed.',
  'Build quality is better than I expected.',
  'Setup took a few minutes.',
  'The instructions could be clearer.',
  'Good value for money.',
  'My family uses it every day.',
  'A bit smaller than it looks in the photos.',
  'Battery life is fine.',
  'Looks great on the shelf.',
  'Customer service answered within a day.',
  '',
];

// Spread over 2026 up to a fixed cut-off, so no demo review is dated after the demo data was made.
const FROM = Date.UTC(2026, 0, 1);
const UNTIL = Date.UTC(2026, 10, 1);

function pickRating(r: number): number {
  let sum = 0;
  for (const [i, weight] of RATING_WEIGHTS.entries()) {
    sum += weight;
    if (r < sum) return i + 1;
  }
  return 5;
}

export async function seedReviews(db: PrismaClient): Promise<{ created: number }> {
  if ((await db.review.count()) > 0) return { created: 0 };
  const random = seededRandom(7);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const authors = DEMO.users - 1; // user 1 is the admin, who does not review
  const taken = new Set<string>();
  const reviews = [];
  while (reviews.length < DEMO.reviews) {
    const product = 1 + Math.floor(random() * DEMO.products);
    const author = 2 + Math.floor(random() * authors);
    // One review per (product, author), like the unique index.
    if (taken.has(`${product}:${author}`)) continue;
    taken.add(`${product}:${author}`);
    const rating = pickRating(random());
    const body = `${pick(OPENINGS[rating]!)} ${pick(DETAILS)}`.trim();
    reviews.push({
      id: seedId('review', reviews.length + 1),
      productId: seedId('product', product),
      authorId: seedId('user', author),
      rating,
      body,
      // Whole seconds: readable timestamps, and ties (handled by the id tiebreak) stay possible.
      createdAt: new Date(FROM + Math.floor(random() * ((UNTIL - FROM) / 1000)) * 1000),
    });
  }
  const { count } = await db.review.createMany({ data: reviews, skipDuplicates: true });
  return { created: count };
}

await runSeedScript(import.meta.url, {
  connect: (url) => new PrismaClient(createPrismaClientOptions(url)),
  async seed(db) {
    const { created } = await seedReviews(db);
    return [created ? `reviews: seeded ${created} reviews` : 'reviews: already seeded'];
  },
});
