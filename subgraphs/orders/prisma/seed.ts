// Demo data for orders: exactly the order history of `demoOrders()` (@store/db), the list the
// payments seed reads too, so both agree on ids, totals and outcomes without reading each other's
// databases. Users and products are `seedId('user', n)` / `seedId('product', n)`, the ids the
// accounts and catalog seeds use. Idempotent: it only fills an empty database.
//
// An order whose demo payment was APPROVED is PAID by `seedId('payment', k)`, k being its 1-based
// place in `demoOrders()` (the payments seed uses the same rule), one hour after it was placed.
// DECLINED and never-paid orders are PENDING.
import { createPrismaClientOptions, demoOrders, runSeedScript, seedId } from '@store/db';
import { PrismaClient } from '../generated/prisma/client.ts';

const PAID_AFTER_MS = 60 * 60 * 1000;

export async function seedOrders(db: PrismaClient): Promise<{ created: number }> {
  if ((await db.order.count()) > 0) return { created: 0 };
  const history = demoOrders();
  const orders = history.map((order, index) => {
    const paidAt = order.payment === 'APPROVED' ? new Date(order.createdAt.getTime() + PAID_AFTER_MS) : null;
    return {
      id: order.id,
      userId: seedId('user', order.userN),
      status: paidAt ? ('PAID' as const) : ('PENDING' as const),
      totalAmount: order.totalAmount,
      currency: order.currency,
      createdAt: order.createdAt,
      updatedAt: paidAt ?? order.createdAt,
      paidAt,
      paymentId: paidAt ? seedId('payment', index + 1) : null,
    };
  });
  const items = history.flatMap((order) =>
    order.items.map((item, position) => ({
      orderId: order.id,
      position,
      productId: seedId('product', item.productN),
      quantity: item.quantity,
      unitAmount: item.unitAmount,
      currency: order.currency,
    })),
  );
  // Orders and their items together or not at all.
  const [{ count }] = await db.$transaction([
    db.order.createMany({ data: orders, skipDuplicates: true }),
    db.orderItem.createMany({ data: items, skipDuplicates: true }),
  ]);
  return { created: count };
}

await runSeedScript(import.meta.url, {
  connect: (url) => new PrismaClient(createPrismaClientOptions(url)),
  async seed(db) {
    const { created } = await seedOrders(db);
    return [created ? `orders: seeded ${created} orders` : 'orders: already seeded'];
  },
});
