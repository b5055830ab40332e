import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClientOptions } from '@store/db';
import { CUSTOMER, errorCodes, graphql, startSubgraphForTest, type TestSubgraph } from '@store/testkit';
import { PrismaClient } from '../generated/prisma/client.ts';
import { orderCancelled, otherCardForKey } from '../src/errors.ts';
import type { OrderForPayment, OrdersClient } from '../src/orders-client.ts';
import { createSimulatedProvider, type PaymentProvider } from '../src/provider.ts';
import { createPaymentsSubgraph } from '../src/server.ts';

// A payment whose process died mid-charge: the PENDING row is written, the provider's answer never
// recorded. A retry with the same idempotency key must finish it, charging once.
const PROVIDER_TIMEOUT_MS = 200;
const ALICE = '00000000-0000-4000-8000-00000000a11c';
const APPROVED_CARD = { number: '4242 4242 4242 4242', expMonth: 12, expYear: 2035, cvc: '123' };
const OTHER_CARD = { ...APPROVED_CARD, number: '5555 5555 5555 4444' };

// Orders, in memory: `markOrderPaid` is idempotent for the same payment, as orders' is.
const orders = new Map<string, OrderForPayment>();
const marks: { orderId: string; paymentId: string }[] = [];
const ordersClient: OrdersClient = {
  async findOrder(id) {
    return orders.get(id) ?? null;
  },
  async markOrderPaid(orderId, paymentId) {
    marks.push({ orderId, paymentId });
    const order = orders.get(orderId)!;
    if (order.status === 'PENDING') order.status = 'PAID';
  },
};

// Every charge the provider was asked for, by payment id (the provider's idempotency key).
const charges: string[] = [];
const simulator = createSimulatedProvider();
const provider: PaymentProvider = {
  charge(request, signal) {
    charges.push(request.paymentId);
    return simulator.charge(request, signal);
  },
};

let subgraph: TestSubgraph;
let db: PrismaClient;

beforeAll(async () => {
  subgraph = await startSubgraphForTest('payments', (options) =>
    createPaymentsSubgraph({ ...options, orders: ordersClient, provider, providerTimeoutMs: PROVIDER_TIMEOUT_MS }),
  );
  db = new PrismaClient(createPrismaClientOptions(subgraph.db.url));
});
afterAll(async () => {
  await db?.$disconnect();
  await subgraph?.stop();
});

const PAY = 'mutation($input: PayOrderInput!) { payOrder(input: $input) { id status declineReason card { brand last4 } } }';
const pay = (orderId: string, idempotencyKey: string, card = APPROVED_CARD) => graphql(subgraph.url, PAY, { input: { orderId, card, idempotencyKey } }, CUSTOMER(ALICE));

/**
 * A PENDING order, and the payment row `payOrder` writes for it before calling the provider, as a
 * process that died right after leaves it: PENDING, no provider reference, last touched a minute ago.
 */
async function crashedPayment() {
  const order: OrderForPayment = { id: randomUUID(), status: 'PENDING', total: { amount: 4200, currency: 'USD' }, userId: ALICE };
  orders.set(order.id, order);
  const key = `key-${randomUUID()}`;
  const aMinuteAgo = new Date(Date.now() - 60_000);
  const payment = await db.payment.create({
    data: { orderId: order.id, userId: ALICE, amount: 4200, currency: 'USD', status: 'PENDING', method: 'CARD', cardBrand: 'Visa', cardLast4: '4242', idempotencyKey: key, createdAt: aMinuteAgo, updatedAt: aMinuteAgo },
  });
  return { order, key, payment };
}

const chargesOf = (paymentId: string) => charges.filter((id) => id === paymentId).length;
const marksOf = (orderId: string) => marks.filter((mark) => mark.orderId === orderId);

describe('a payment left PENDING by an attempt that died mid-charge', () => {
  it('is finished by a retry with the same key: charged once under its own id, recorded, announced', async () => {
    const { order, key, payment } = await crashedPayment();
    const res = await pay(order.id, key);
    expect(res.errors).toBeUndefined();
    expect(res.data!.payOrder).toEqual({ id: payment.id, status: 'APPROVED', declineReason: null, card: { brand: 'Visa', last4: '4242' } });
    expect(chargesOf(payment.id)).toBe(1);
    expect(marksOf(order.id)).toEqual([{ orderId: order.id, paymentId: payment.id }]);
    expect(await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ status: 'APPROVED', providerReference: expect.stringMatching(/^sim_/), orderMarkedPaidAt: expect.any(Date) });

    // Finished: the same key again calls nobody.
    const again = await pay(order.id, key);
    expect(again.data).toEqual(res.data);
    expect(chargesOf(payment.id)).toBe(1);
    expect(marksOf(order.id)).toHaveLength(1);
  });

  it('is re-attempted by exactly one of several concurrent retries; the others answer its outcome', async () => {
    const { order, key, payment } = await crashedPayment();
    const results = await Promise.all([1, 2, 3].map(() => pay(order.id, key)));
    expect(results.map((res) => res.errors)).toEqual([undefined, undefined, undefined]);
    expect(results.map((res) => [res.data!.payOrder.id, res.data!.payOrder.status])).toEqual(Array(3).fill([payment.id, 'APPROVED']));
    expect(chargesOf(payment.id)).toBe(1);
    // Announced at least once, only ever this payment. A retry that reads the row after it was
    // recorded APPROVED but before orders confirmed it announces again (markOrderPaid is
    // idempotent in orders), so how many times depends on timing; charging does not.
    expect(marksOf(order.id).length).toBeGreaterThanOrEqual(1);
    expect(new Set(marksOf(order.id).map((mark) => mark.paymentId))).toEqual(new Set([payment.id]));
  });

  it('is not charged with another card, nor once its order was cancelled: CONFLICT, still PENDING', async () => {
    const { order, key, payment } = await crashedPayment();
    const otherCard = await pay(order.id, key, OTHER_CARD);
    expect(errorCodes(otherCard)).toEqual(['CONFLICT']);
    expect(otherCard.errors![0]!.message).toBe(otherCardForKey().message);

    orders.get(order.id)!.status = 'CANCELLED';
    const cancelled = await pay(order.id, key);
    expect(errorCodes(cancelled)).toEqual(['CONFLICT']);
    expect(cancelled.errors![0]!.message).toBe(orderCancelled(order.id).message);

    expect(chargesOf(payment.id)).toBe(0);
    expect(marksOf(order.id)).toEqual([]);
    expect(await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ status: 'PENDING', providerReference: null });
  });
});
