import DataLoader from 'dataloader';
import { isUuid } from '@store/subgraph-kit';
import type { PrismaClient, StockLevel, Warehouse } from '../generated/prisma/client.ts';

/** What one product's stock looks like right now, over every warehouse. */
export interface ProductAvailability {
  /** Units that can be ordered: per warehouse, on hand minus ACTIVE reservations (floored at 0), summed. */
  available: number;
  /** Units held by ACTIVE reservations. */
  reserved: number;
}

const NO_STOCK: ProductAvailability = { available: 0, reserved: 0 };
// GraphQL `Int` is 32-bit; a sum over warehouses could in theory pass it.
const MAX_INT = 2_147_483_647;
const toInt = (value: bigint | number | null) => Math.min(Number(value ?? 0), MAX_INT);

/**
 * Availability of every product in `ids`: one statement however many products. Each warehouse's
 * ACTIVE reservations are subtracted from that warehouse's stock, so `available` is exactly what
 * `reserveStock` could take (a warehouse that is over-held, e.g. after a manual correction, counts
 * as 0, not as a debt against the others).
 */
async function availabilityOf(db: PrismaClient, ids: string[]): Promise<Map<string, ProductAvailability>> {
  const rows = await db.$queryRaw<{ productId: string; available: bigint; reserved: bigint }[]>`
    SELECT s.product_id AS "productId",
           sum(GREATEST(s.quantity - COALESCE(r.reserved, 0), 0))::bigint AS available,
           sum(COALESCE(r.reserved, 0))::bigint AS reserved
    FROM stock_levels s
    LEFT JOIN (
      SELECT product_id, warehouse_id, sum(quantity) AS reserved
      FROM stock_reservations
      WHERE status = 'ACTIVE' AND product_id = ANY(${ids}::uuid[])
      GROUP BY product_id, warehouse_id
    ) r ON r.product_id = s.product_id AND r.warehouse_id = s.warehouse_id
    WHERE s.product_id = ANY(${ids}::uuid[])
    GROUP BY s.product_id`;
  return new Map(rows.map((row) => [row.productId, { available: toInt(row.available), reserved: toInt(row.reserved) }]));
}

type StockLevelWithWarehouse = StockLevel & { code: string; name: string; city: string; createdAt: Date };

/**
 * Per-request loaders. However many products or warehouses one request touches, each kind of data
 * is one SQL statement: warehouses by id, availability (for `inStock`, `quantityAvailable` and
 * `reservedQuantity` together), stock levels with their warehouses. Ids that are not UUIDs cannot
 * exist in a uuid column, so they are answered without asking PostgreSQL (which would reject them).
 */
export function createLoaders(db: PrismaClient) {
  const warehouseById = new DataLoader<string, Warehouse | null>(async (ids) => {
    const wanted = ids.filter(isUuid);
    const rows = wanted.length ? await db.warehouse.findMany({ where: { id: { in: wanted } } }) : [];
    const found = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  });

  const availability = new DataLoader<string, ProductAvailability>(async (ids) => {
    const wanted = ids.filter(isUuid);
    const found = wanted.length ? await availabilityOf(db, wanted) : new Map<string, ProductAvailability>();
    return ids.map((id) => found.get(id) ?? NO_STOCK);
  });

  // Stock rows joined with their warehouses in one statement; the warehouses prime
  // `warehouseById`, so `StockLevel.warehouse` costs nothing more.
  const stockByProduct = new DataLoader<string, StockLevel[]>(async (ids) => {
    const wanted = ids.filter(isUuid);
    const rows = wanted.length
      ? await db.$queryRaw<StockLevelWithWarehouse[]>`
          SELECT s.warehouse_id AS "warehouseId", s.product_id AS "productId", s.quantity, s.updated_at AS "updatedAt",
                 w.code, w.name, w.city, w.created_at AS "createdAt"
          FROM stock_levels s JOIN warehouses w ON w.id = s.warehouse_id
          WHERE s.product_id = ANY(${wanted}::uuid[])
          ORDER BY w.code`
      : [];
    const byProduct = new Map<string, StockLevel[]>();
    for (const { code, name, city, createdAt, ...level } of rows) {
      warehouseById.prime(level.warehouseId, { id: level.warehouseId, code, name, city, createdAt });
      const list = byProduct.get(level.productId);
      if (list) list.push(level);
      else byProduct.set(level.productId, [level]);
    }
    return ids.map((id) => byProduct.get(id) ?? []);
  });

  return { warehouseById, availability, stockByProduct };
}

export type Loaders = ReturnType<typeof createLoaders>;
