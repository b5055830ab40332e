import { createHash } from 'node:crypto';

/**
 * A deterministic UUID for demo data: `seedId('product', 7)` is the same in every subgraph's seed
 * and on every machine, so subgraphs can refer to each other's demo entities without sharing a
 * database or code.
 */
export function seedId(kind: string, n: number): string {
  const hex = createHash('sha256').update(`store-seed:${kind}:${n}`).digest('hex');
  // Version 8 (custom) UUID layout.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A small deterministic PRNG (mulberry32) so seeds produce the same data everywhere. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Demo-data sizes shared by the seeds (documented in the README). */
export const DEMO = {
  users: 60,
  products: 240,
  categories: 10,
  reviews: 1500,
} as const;

export interface DemoOrder {
  id: string;
  /** `seedId('user', userN)` */
  userN: number;
  items: { productN: number; quantity: number; unitAmount: number }[];
  totalAmount: number;
  currency: 'USD';
  createdAt: Date;
  /** Whether the demo history has a payment for it, and how it went. */
  payment: 'APPROVED' | 'DECLINED' | null;
}

/**
 * The demo order history, as one deterministic list, so the orders and payments seeds agree
 * (same ids, totals and outcomes) without reading each other's databases. Users 2..11 get
 * 2–3 past orders each; most are paid, some declined, some never paid.
 */
export function demoOrders(): DemoOrder[] {
  const random = seededRandom(7);
  const orders: DemoOrder[] = [];
  let n = 0;
  for (let userN = 2; userN <= 11; userN++) {
    const count = 2 + Math.floor(random() * 2);
    for (let k = 0; k < count; k++) {
      n++;
      const items = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
        productN: 1 + Math.floor(random() * DEMO.products),
        quantity: 1 + Math.floor(random() * 3),
        unitAmount: 499 + Math.floor(random() * 200) * 100,
      })).filter((item, i, all) => all.findIndex((o) => o.productN === item.productN) === i);
      const roll = random();
      orders.push({
        id: seedId('order', n),
        userN,
        items,
        totalAmount: items.reduce((sum, i) => sum + i.quantity * i.unitAmount, 0),
        currency: 'USD',
        createdAt: new Date(Date.UTC(2026, 5, 1) + n * 86_400_000),
        payment: roll < 0.7 ? 'APPROVED' : roll < 0.85 ? 'DECLINED' : null,
      });
    }
  }
  return orders;
}

export interface SeedScript<C extends { $disconnect(): Promise<void> }> {
  /** Opens a database client (a subgraph's generated Prisma client) for `DATABASE_URL`. */
  connect(databaseUrl: string): C;
  /** Seeds the database and returns the lines to print, e.g. `catalog: seeded 240 products`. */
  seed(db: C): Promise<readonly string[]>;
}

/**
 * The entry point of a `prisma/seed.ts`: when that module is the process's main script (not when
 * a test imports its seed function), seeds `DATABASE_URL` and prints the returned lines to
 * stdout; without `DATABASE_URL` it exits 2. Call it as `await runSeedScript(import.meta.url, ...)`.
 */
export async function runSeedScript<C extends { $disconnect(): Promise<void> }>(moduleUrl: string, script: SeedScript<C>): Promise<void> {
  if (moduleUrl !== `file://${process.argv[1]}`) return;
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write('DATABASE_URL is required\n');
    process.exit(2);
  }
  const db = script.connect(url);
  try {
    for (const line of await script.seed(db)) process.stdout.write(`${line}\n`);
  } finally {
    await db.$disconnect();
  }
}
