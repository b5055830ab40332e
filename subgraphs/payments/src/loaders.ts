import DataLoader from 'dataloader';
import { isUuid } from '@store/subgraph-kit';
import type { Payment, PrismaClient } from '../generated/prisma/client.ts';

/**
 * Per-request loaders. However many payments or orders one `_entities` call resolves, each kind
 * of look-up is one SQL statement. Ids that are not UUIDs cannot exist in a uuid column, so they
 * are answered without asking PostgreSQL (which would reject them).
 */
export function createLoaders(db: PrismaClient) {
  const paymentById = new DataLoader<string, Payment | null>(async (ids) => {
    const wanted = ids.filter(isUuid);
    const rows = wanted.length ? await db.payment.findMany({ where: { id: { in: wanted } } }) : [];
    const found = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  });

  // `Order.payment`: per order, the APPROVED payment if there is one, else the latest attempt.
  // DISTINCT ON keeps the first row per order in that order: one statement for any number of orders.
  const paymentForOrder = new DataLoader<string, Payment | null>(async (orderIds) => {
    const wanted = orderIds.filter(isUuid);
    const rows = wanted.length
      ? await db.$queryRaw<Payment[]>`
          SELECT DISTINCT ON (order_id)
            id, order_id AS "orderId", user_id AS "userId", amount, currency, status::text AS status,
            method::text AS method, card_last4 AS "cardLast4", card_brand AS "cardBrand",
            decline_reason AS "declineReason", idempotency_key AS "idempotencyKey",
            provider_reference AS "providerReference", order_marked_paid_at AS "orderMarkedPaidAt",
            created_at AS "createdAt", updated_at AS "updatedAt"
          FROM payments
          WHERE order_id = ANY(${wanted}::uuid[])
          ORDER BY order_id, (status = 'APPROVED') DESC, created_at DESC, id DESC`
      : [];
    const found = new Map(rows.map((row) => [row.orderId, row]));
    return orderIds.map((id) => found.get(id) ?? null);
  });

  return { paymentById, paymentForOrder };
}

export type Loaders = ReturnType<typeof createLoaders>;
