import type { PrismaClient, StockLevel } from '../generated/prisma/client.ts';

// The column is a PostgreSQL integer.
const MAX_STOCK = 2_147_483_647;

/**
 * Adds `quantity` units to a warehouse's stock of a product in one atomic statement (creating the
 * row the first time), so concurrent restocks and reservations never lose an update. `null` when
 * the result would not fit the column; nothing is written then.
 */
export async function addStock(db: PrismaClient, warehouseId: string, productId: string, quantity: number): Promise<StockLevel | null> {
  const rows = await db.$queryRaw<StockLevel[]>`
    INSERT INTO stock_levels (warehouse_id, product_id, quantity, updated_at)
    VALUES (${warehouseId}::uuid, ${productId}::uuid, ${quantity}, now())
    ON CONFLICT (warehouse_id, product_id) DO UPDATE
      SET quantity = stock_levels.quantity + EXCLUDED.quantity, updated_at = now()
      WHERE stock_levels.quantity::bigint + EXCLUDED.quantity <= ${MAX_STOCK}
    RETURNING warehouse_id AS "warehouseId", product_id AS "productId", quantity, updated_at AS "updatedAt"`;
  return rows[0] ?? null;
}
