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
