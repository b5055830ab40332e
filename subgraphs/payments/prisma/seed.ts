// Demo data for payments: one payment for every order of the shared demo order history
// (`demoOrders()` in @store/db) that has one, APPROVED or DECLINED as that history says. Ids come
// from `seedId`, the same function the orders and accounts seeds use, so the payments point at
// real demo orders and users (and the orders seed marks exactly the APPROVED ones PAID with these
// payment ids) without reading their databases. Idempotent: it only fills an empty table.
import { createPrismaClientOptions, demoOrders, runSeedScript, seedId } from '@store/db';
import { PrismaClient, type Prisma } from '../generated/prisma/client.ts';

const HOUR_MS = 3_600_000;

/** The seeded payments, in order-history order (also used by tests). */
export function demoPayments(): Prisma.PaymentCreateManyInput[] {
  return demoOrders().flatMap((order, index) => {
    const k = index + 1;
    if (order.payment === null) return [];
    const approved = order.payment === 'APPROVED';
    // Paid an hour after the order was placed.
    const createdAt = new Date(order.createdAt.getTime() + HOUR_MS);
    return [
      {
        id: seedId('payment', k),
        orderId: order.id,
        userId: seedId('user', order.userN),
        amount: order.totalAmount,
        currency: order.currency,
        status: order.payment,
        method: 'CARD' as const,
        cardBrand: 'Visa',
        // The documented test cards: 4242… is approved, 4000 0000 0000 0002 declined.
        cardLast4: approved ? '4242' : '0002',
        declineReason: approved ? null : 'card_declined',
        idempotencyKey: `seed-${k}`,
        providerReference: `sim_seed_${k}`,
        // The orders seed marks the approved ones PAID.
        orderMarkedPaidAt: approved ? createdAt : null,
        createdAt,
        updatedAt: createdAt,
      },
    ];
  });
}

export async function seedPayments(db: PrismaClient): Promise<{ created: number }> {
  if ((await db.payment.count()) > 0) return { created: 0 };
  const { count } = await db.payment.createMany({ data: demoPayments(), skipDuplicates: true });
  return { created: count };
}

await runSeedScript(import.meta.url, {
  connect: (url) => new PrismaClient(createPrismaClientOptions(url)),
  async seed(db) {
    const { created } = await seedPayments(db);
    return [created ? `payments: seeded ${created} payments` : 'payments: already seeded'];
  },
});
