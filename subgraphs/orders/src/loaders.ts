import DataLoader from 'dataloader';
import { createdAtCursorKey, isUuid, type CreatedAtCursor } from '@store/subgraph-kit';
import { Prisma, type Order, type OrderItem, type PrismaClient } from '../generated/prisma/client.ts';

/** One `orders(first, after)` (or `myOrders`) field for one user. */
export interface OrderListRequest {
  userId: string;
  first: number;
  after: CreatedAtCursor | null;
}

/**
 * Up to `limit` newest orders of every user in `userIds`, after `after`: one statement for any
 * number of users (a window function ranks each user's orders; the outer query keeps the top).
 */
async function newestOrdersOf(db: PrismaClient, userIds: string[], limit: number, after: CreatedAtCursor | null): Promise<Order[]> {
  const afterClause = after ? Prisma.sql`AND (created_at, id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : Prisma.empty;
  return db.$queryRaw<Order[]>`
    SELECT id, user_id AS "userId", status::text AS status, total_amount AS "totalAmount", currency,
           created_at AS "createdAt", updated_at AS "updatedAt", paid_at AS "paidAt", payment_id AS "paymentId"
    FROM (
      SELECT *, row_number() OVER (PARTITION BY user_id ORDER BY created_at DESC, id DESC) AS position
      FROM orders
      WHERE user_id = ANY(${userIds}::uuid[]) ${afterClause}
    ) ranked
    WHERE position <= ${limit}
    ORDER BY created_at DESC, id DESC`;
}

/** Groups rows by `key`, keeping their order, in the order of `ids` (DataLoader's contract). */
function groupInOrder<T>(ids: readonly string[], rows: T[], key: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const id = key(row);
    const group = groups.get(id);
    if (group) group.push(row);
    else groups.set(id, [row]);
  }
  return ids.map((id) => groups.get(id) ?? []);
}

/**
 * Per-request loaders. However many orders or users one request resolves, each kind of data is
 * one SQL statement: orders by id, items of all those orders, one page query per distinct
 * (first, after), one count aggregate. Ids that are not UUIDs cannot exist in a uuid column, so
 * they are answered without asking PostgreSQL (which would reject them).
 */
export function createLoaders(db: PrismaClient) {
  const orderById = new DataLoader<string, Order | null>(async (ids) => {
    const wanted = ids.filter(isUuid);
    const rows = wanted.length ? await db.order.findMany({ where: { id: { in: wanted } } }) : [];
    const found = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  });

  const itemsByOrder = new DataLoader<string, OrderItem[]>(async (orderIds) => {
    const wanted = orderIds.filter(isUuid);
    const rows = wanted.length
      ? await db.orderItem.findMany({ where: { orderId: { in: wanted } }, orderBy: [{ orderId: 'asc' }, { position: 'asc' }] })
      : [];
    return groupInOrder(orderIds, rows, (row) => row.orderId);
  });

  const userOrderCount = new DataLoader<string, number>(async (userIds) => {
    const wanted = userIds.filter(isUuid);
    const rows = wanted.length ? await db.order.groupBy({ by: ['userId'], where: { userId: { in: wanted } }, _count: { _all: true } }) : [];
    const found = new Map(rows.map((row) => [row.userId, row._count._all]));
    return userIds.map((id) => found.get(id) ?? 0);
  });

  // Users asking for the same (first, after) batch together; different arguments cannot share a
  // LIMIT, so each combination gets its own loader (and its own statement).
  const pageLoaders = new Map<string, DataLoader<string, Order[]>>();
  const orderPage = ({ first, after }: Omit<OrderListRequest, 'userId'>) => {
    const key = `${first}|${createdAtCursorKey(after)}`;
    let loader = pageLoaders.get(key);
    if (!loader) {
      loader = new DataLoader<string, Order[]>(async (userIds) => {
        const wanted = userIds.filter(isUuid);
        // One row more than the page tells whether there is a next page.
        const rows = wanted.length ? await newestOrdersOf(db, wanted, first + 1, after) : [];
        return groupInOrder(userIds, rows, (row) => row.userId);
      });
      pageLoaders.set(key, loader);
    }
    return loader;
  };

  return { orderById, itemsByOrder, userOrderCount, orderPage };
}

export type Loaders = ReturnType<typeof createLoaders>;
