// Holding stock for checkout. Every operation on one order runs in one transaction that first
// takes a per-order advisory lock (so retries and concurrent calls for the same order line up),
// then, when it reserves, locks the products' stock rows in a fixed order (so two checkouts
// competing for the last units line up instead of both taking them, and never deadlock).
import { Prisma, type PrismaClient, type ReservationStatus, type StockReservation } from '../generated/prisma/client.ts';
import { differentReservation, insufficientStock, reservationConsumed, reservationNotFound, reservationReleased } from './errors.ts';
import type { ReservationMapper } from './mappers.ts';

type Db = PrismaClient | Prisma.TransactionClient;

/** One line of a reservation request: a product and how many units of it. */
export interface ReservationRequest {
  productId: string;
  quantity: number;
}

/** What one warehouse can still give of one product (on hand minus ACTIVE reservations). */
export interface WarehouseStock {
  productId: string;
  warehouseId: string;
  /** The warehouse's code: stock is taken in code order. */
  code: string;
  available: number;
}

export interface Allocation {
  productId: string;
  warehouseId: string;
  quantity: number;
}

export type AllocationResult =
  | { ok: true; allocations: Allocation[] }
  | { ok: false; productId: string; requested: number; available: number };

/**
 * Takes every item from the warehouses that have it, greedily in warehouse code order, so the same
 * stock always yields the same allocation. All or nothing: the first item that cannot be covered
 * fails the whole request.
 */
export function allocate(items: readonly ReservationRequest[], stock: readonly WarehouseStock[]): AllocationResult {
  const allocations: Allocation[] = [];
  for (const item of items) {
    const sources = stock
      .filter((s) => s.productId === item.productId && s.available > 0)
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    const available = sources.reduce((sum, s) => sum + s.available, 0);
    if (available < item.quantity) return { ok: false, productId: item.productId, requested: item.quantity, available };
    let needed = item.quantity;
    for (const source of sources) {
      if (needed === 0) break;
      const quantity = Math.min(needed, source.available);
      allocations.push({ productId: item.productId, warehouseId: source.warehouseId, quantity });
      needed -= quantity;
    }
  }
  return { ok: true, allocations };
}

/** The status an order's rows share; `null` when the order never reserved anything. */
export function statusOf(rows: readonly Pick<StockReservation, 'status'>[]): ReservationStatus | null {
  if (rows.length === 0) return null;
  // All rows of an order change together; should that ever not hold, held units win.
  if (rows.some((row) => row.status === 'ACTIVE')) return 'ACTIVE';
  if (rows.some((row) => row.status === 'CONSUMED')) return 'CONSUMED';
  return 'RELEASED';
}

/** Whether `rows` hold exactly `items` (per product totals, whatever warehouses they came from). */
export function holdsSameItems(rows: readonly Pick<StockReservation, 'productId' | 'quantity'>[], items: readonly ReservationRequest[]): boolean {
  const held = new Map<string, number>();
  for (const row of rows) held.set(row.productId, (held.get(row.productId) ?? 0) + row.quantity);
  return held.size === items.length && items.every((item) => held.get(item.productId) === item.quantity);
}

// Advisory locks of this subgraph's orders: the two-key form, whose key space is apart from the
// one-key form that Prisma's migration lock uses. Any fixed int4 would do; the subgraph's port
// makes these easy to spot in pg_locks.
const ORDER_LOCK_CLASS = 4004;

async function lockOrder(tx: Prisma.TransactionClient, orderId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ORDER_LOCK_CLASS}::int4, hashtext(${orderId}))`;
}

/** An order's rows, by product id then warehouse code. */
async function rowsOfOrder(db: Db, orderId: string): Promise<StockReservation[]> {
  return db.$queryRaw<StockReservation[]>`
    SELECT r.id, r.order_id AS "orderId", r.product_id AS "productId", r.warehouse_id AS "warehouseId", r.quantity,
           r.status::text AS status, r.created_at AS "createdAt", r.released_at AS "releasedAt"
    FROM stock_reservations r JOIN warehouses w ON w.id = r.warehouse_id
    WHERE r.order_id = ${orderId}::uuid
    ORDER BY r.product_id, w.code`;
}

/**
 * Locks the stock rows of `productIds` (FOR UPDATE, in primary-key order, so concurrent
 * reservations cannot deadlock), then reads what each warehouse can still give. The second
 * statement runs after the locks are held, so under READ COMMITTED it sees every reservation
 * committed by a transaction that held them before us.
 */
async function lockStock(tx: Prisma.TransactionClient, productIds: string[]): Promise<WarehouseStock[]> {
  const levels = await tx.$queryRaw<{ productId: string; warehouseId: string; code: string; quantity: number }[]>`
    SELECT s.product_id AS "productId", s.warehouse_id AS "warehouseId", w.code, s.quantity
    FROM stock_levels s JOIN warehouses w ON w.id = s.warehouse_id
    WHERE s.product_id = ANY(${productIds}::uuid[])
    ORDER BY s.warehouse_id, s.product_id
    FOR UPDATE OF s`;
  const held = await tx.$queryRaw<{ productId: string; warehouseId: string; reserved: bigint }[]>`
    SELECT product_id AS "productId", warehouse_id AS "warehouseId", sum(quantity)::bigint AS reserved
    FROM stock_reservations
    WHERE status = 'ACTIVE' AND product_id = ANY(${productIds}::uuid[])
    GROUP BY product_id, warehouse_id`;
  const reserved = new Map(held.map((row) => [`${row.warehouseId}|${row.productId}`, Number(row.reserved)]));
  return levels.map((level) => ({
    productId: level.productId,
    warehouseId: level.warehouseId,
    code: level.code,
    available: Math.max(0, level.quantity - (reserved.get(`${level.warehouseId}|${level.productId}`) ?? 0)),
  }));
}

// Waiting for the per-order lock or the stock rows is expected under load; give it room.
const TRANSACTION_OPTIONS = { isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted, maxWait: 10_000, timeout: 20_000 };

/**
 * Holds `items` (validated: unique products, positive quantities) for `orderId`, all or nothing.
 * An ACTIVE reservation with the same items is returned as is (a retry); one with other items is a
 * CONFLICT; a RELEASED one is replaced; a CONSUMED one is a CONFLICT.
 */
export async function reserveStock(db: PrismaClient, orderId: string, items: readonly ReservationRequest[]): Promise<ReservationMapper> {
  return db.$transaction(async (tx) => {
    await lockOrder(tx, orderId);
    const existing = await rowsOfOrder(tx, orderId);
    const status = statusOf(existing);
    switch (status) {
      case 'ACTIVE':
        if (!holdsSameItems(existing, items)) throw differentReservation(orderId);
        return { orderId, status, rows: existing };
      case 'CONSUMED':
        throw reservationConsumed(orderId);
      case 'RELEASED':
        // Released rows hold nothing; they make way for the new reservation (the unique index
        // allows one row per order, product and warehouse).
        await tx.stockReservation.deleteMany({ where: { orderId } });
        break;
      case null:
        break;
      default:
        throw new Error(`unknown reservation status ${status satisfies never}`);
    }
    const result = allocate(items, await lockStock(tx, items.map((item) => item.productId)));
    if (!result.ok) throw insufficientStock(result.productId, result.requested, result.available);
    await tx.stockReservation.createMany({ data: result.allocations.map((allocation) => ({ orderId, ...allocation })) });
    return { orderId, status: 'ACTIVE', rows: await rowsOfOrder(tx, orderId) };
  }, TRANSACTION_OPTIONS);
}

/** Gives `orderId`'s held units back. Idempotent; NOT_FOUND when it never reserved; CONFLICT once consumed. */
export async function releaseStock(db: PrismaClient, orderId: string): Promise<ReservationMapper> {
  return db.$transaction(async (tx) => {
    await lockOrder(tx, orderId);
    const rows = await rowsOfOrder(tx, orderId);
    const status = statusOf(rows);
    switch (status) {
      case null:
        throw reservationNotFound(orderId);
      case 'CONSUMED':
        throw reservationConsumed(orderId);
      case 'RELEASED':
        return { orderId, status, rows };
      case 'ACTIVE':
        await tx.stockReservation.updateMany({ where: { orderId, status: 'ACTIVE' }, data: { status: 'RELEASED', releasedAt: new Date() } });
        return { orderId, status: 'RELEASED', rows: await rowsOfOrder(tx, orderId) };
      default:
        throw new Error(`unknown reservation status ${status satisfies never}`);
    }
  }, TRANSACTION_OPTIONS);
}

/**
 * Takes an order's ACTIVE units off the stock levels they were held in. The stock rows are locked
 * first in primary-key order, as `lockStock` locks them, so a consume and a reservation competing
 * for the same rows line up instead of deadlocking. A row a manual correction left below what it
 * held ends at 0 (the CHECK forbids less) rather than failing a paid order on every retry.
 */
async function takeHeldUnits(tx: Prisma.TransactionClient, orderId: string): Promise<void> {
  await tx.$queryRaw`
    SELECT 1 FROM stock_levels s
    WHERE (s.warehouse_id, s.product_id) IN (
      SELECT warehouse_id, product_id FROM stock_reservations WHERE order_id = ${orderId}::uuid AND status = 'ACTIVE')
    ORDER BY s.warehouse_id, s.product_id
    FOR UPDATE OF s`;
  await tx.$executeRaw`
    UPDATE stock_levels s SET quantity = GREATEST(s.quantity - r.quantity, 0), updated_at = now()
    FROM stock_reservations r
    WHERE r.order_id = ${orderId}::uuid AND r.status = 'ACTIVE' AND s.warehouse_id = r.warehouse_id AND s.product_id = r.product_id`;
}

/**
 * The order was paid: its held units are sold. ACTIVE → CONSUMED, and each stock level loses the
 * units held in it, in one transaction, so availability (on hand minus ACTIVE) does not move.
 * Idempotent: a CONSUMED reservation is returned unchanged. `null` when the order never reserved
 * anything (nothing to consume); CONFLICT when it was released (its units are no longer held).
 */
export async function consumeStock(db: PrismaClient, orderId: string): Promise<ReservationMapper | null> {
  return db.$transaction(async (tx) => {
    await lockOrder(tx, orderId);
    const rows = await rowsOfOrder(tx, orderId);
    const status = statusOf(rows);
    switch (status) {
      case null:
        return null;
      case 'CONSUMED':
        return { orderId, status, rows };
      case 'RELEASED':
        throw reservationReleased(orderId);
      case 'ACTIVE':
        await takeHeldUnits(tx, orderId);
        await tx.stockReservation.updateMany({ where: { orderId, status: 'ACTIVE' }, data: { status: 'CONSUMED' } });
        return { orderId, status: 'CONSUMED', rows: await rowsOfOrder(tx, orderId) };
      default:
        throw new Error(`unknown reservation status ${status satisfies never}`);
    }
  }, TRANSACTION_OPTIONS);
}
