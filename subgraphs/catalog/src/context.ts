import DataLoader from 'dataloader';
import { isUuid, type RequestInfo } from '@store/subgraph-kit';
import type { Category, PrismaClient, Product } from '../generated/prisma/client.ts';

/** Per-request loaders: every entity lookup in one request is one SQL query per key kind. */
export function createLoaders(db: PrismaClient) {
  const byKey = <K extends 'id' | 'sku'>(key: K) =>
    new DataLoader<string, Product | null>(async (values) => {
      const wanted = key === 'id' ? values.filter(isUuid) : [...values];
      const rows = wanted.length ? await db.product.findMany({ where: { [key]: { in: wanted } } }) : [];
      const found = new Map(rows.map((row) => [row[key], row]));
      return values.map((v) => found.get(v) ?? null);
    });
  return {
    productById: byKey('id'),
    productBySku: byKey('sku'),
    categoryById: new DataLoader<string, Category | null>(async (ids) => {
      const wanted = ids.filter(isUuid);
      const rows = wanted.length ? await db.category.findMany({ where: { id: { in: wanted } } }) : [];
      const found = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => found.get(id) ?? null);
    }),
  };
}

export interface SubgraphContext extends RequestInfo {
  db: PrismaClient;
  loaders: ReturnType<typeof createLoaders>;
}
