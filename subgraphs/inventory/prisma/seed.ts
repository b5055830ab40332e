// Demo data for inventory: three warehouses, and a stock level in each of them for every catalog
// demo product. Product ids come from `seedId`, the same function catalog's seed uses, so the stock
// points at real demo products without reading catalog's database. Deterministic (`seededRandom`)
// and idempotent: it only fills an empty database.
import { createPrismaClientOptions, DEMO, runSeedScript, seededRandom, seedId } from '@store/db';
import { PrismaClient } from '../generated/prisma/client.ts';

export const DEMO_WAREHOUSES = [
  { code: 'AMS-1', name: 'Amsterdam Fulfilment Centre', city: 'Amsterdam' },
  { code: 'CHI-1', name: 'Chicago Distribution Hub', city: 'Chicago' },
  { code: 'SIN-1', name: 'Singapore Regional Depot', city: 'Singapore' },
] as const;

/**
 * Every 20th demo product (5%) has 0 units everywhere, so the store shows both in-stock and
 * sold-out products. The others have 0–80 units per warehouse (a warehouse holds none a quarter of
 * the time), and always at least one unit somewhere.
 */
export const isDemoSoldOut = (productN: number) => productN % 20 === 0;

export async function seedInventory(db: PrismaClient): Promise<{ warehouses: number; stockLevels: number }> {
  if ((await db.warehouse.count()) > 0 || (await db.stockLevel.count()) > 0) return { warehouses: 0, stockLevels: 0 };
  const random = seededRandom(11);
  const warehouses = DEMO_WAREHOUSES.map((warehouse, i) => ({ id: seedId('warehouse', i + 1), ...warehouse, createdAt: new Date(Date.UTC(2026, 0, 1)) }));
  const stockLevels = [];
  for (let n = 1; n <= DEMO.products; n++) {
    const quantities = warehouses.map(() => (random() < 0.25 ? 0 : Math.floor(random() * 81)));
    if (isDemoSoldOut(n)) quantities.fill(0);
    else if (quantities.reduce((sum, q) => sum + q, 0) === 0) quantities[n % warehouses.length] = 1 + Math.floor(random() * 10);
    for (const [i, warehouse] of warehouses.entries()) {
      stockLevels.push({ warehouseId: warehouse.id, productId: seedId('product', n), quantity: quantities[i]!, updatedAt: new Date(Date.UTC(2026, 10, 1)) });
    }
  }
  // One transaction: a failed seed leaves the database empty, so the next run fills it.
  const [created, levels] = await db.$transaction([
    db.warehouse.createMany({ data: warehouses, skipDuplicates: true }),
    db.stockLevel.createMany({ data: stockLevels, skipDuplicates: true }),
  ]);
  return { warehouses: created.count, stockLevels: levels.count };
}

await runSeedScript(import.meta.url, {
  connect: (url) => new PrismaClient(createPrismaClientOptions(url)),
  async seed(db) {
    const { warehouses, stockLevels } = await seedInventory(db);
    return [warehouses ? `inventory: seeded ${warehouses} warehouses and ${stockLevels} stock levels` : 'inventory: already seeded'];
  },
});
