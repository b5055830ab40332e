import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, createTokenVerifier } from '@store/core';
import { createPrismaClientOptions, demoOrders, freePort, seedId } from '@store/db';
import { ADMIN, asIdentity, CUSTOMER, errorCodes, graphql, startFakeRouter, signRequestsTo, startSubgraphForTest, type TestSubgraph } from '@store/testkit';
import { PrismaClient } from '../generated/prisma/client.ts';
import { demoPayments, seedPayments } from '../prisma/seed.ts';
import {
  idempotencyKeyReused,
  invalidCardNumber,
  invalidCvc,
  invalidExpiryMonth,
  invalidIdempotencyKey,
  notYourOrder,
  notYourPayment,
  orderAlreadyPaid,
  orderCancelled,
  ordersUnavailable,
  paymentInProgress,
} from '../src/errors.ts';
import { createSimulatedProvider, TEST_CARDS, type PaymentProvider } from '../src/provider.ts';
import { createPaymentsSubgraph } from '../src/server.ts';

const SECRET = 'payments-test-secret-0123456789-abcdefghij';
const PROVIDER_TIMEOUT_MS = 200;
const ALICE = '00000000-0000-4000-8000-00000000a11c';
const BOB = '00000000-0000-4000-8000-000000000b0b';
const ADMIN_ID = '00000000-0000-4000-8000-000000000001';
const BROKEN_ORDER = '00000000-0000-4000-8000-00000000e000'; // the fake router answers with errors

// As a customer types them, with spaces; the simulator sees digits only.
const APPROVED_CARD = { number: '4242 4242 4242 4242', expMonth: 12, expYear: 2035, cvc: '123' };
const DECLINED_CARD = { ...APPROVED_CARD, number: '4000 0000 0000 0002' };
const TIMEOUT_CARD = { ...APPROVED_CARD, number: '4000 0000 0000 9995' };
const OTHER_CARD = { ...APPROVED_CARD, number: '5555 5555 5555 4444' }; // Luhn-valid, approved
const CARD_NUMBERS = [TEST_CARDS.approved, TEST_CARDS.declined, TEST_CARDS.timeout, '5555555555554444', APPROVED_CARD.number, DECLINED_CARD.number, TIMEOUT_CARD.number, OTHER_CARD.number];

interface FakeOrder {
  id: string;
  userId: string;
  status: 'PENDING' | 'PAID' | 'CANCELLED';
  total: { amount: number; currency: string };
  paymentId?: string;
}

/**
 * A stand-in for the router: answers `order(id)` from an in-memory table, applies
 * `markOrderPaid` to it (idempotent for the same payment, like orders), and records every call
 * and Authorization header. `failMarkOrderPaid` makes the next N `markOrderPaid` calls fail.
 */
async function startOrdersRouter() {
  const orders = new Map<string, FakeOrder>();
  const lookups: string[] = [];
  const markCalls: { orderId: string; paymentId: string }[] = [];
  const state = { failMarkOrderPaid: 0 };
  const answer = (query: string, variables: Record<string, string>) => {
    if (query.includes('markOrderPaid')) {
      const { orderId, paymentId } = variables as { orderId: string; paymentId: string };
      markCalls.push({ orderId, paymentId });
      if (state.failMarkOrderPaid > 0) {
        state.failMarkOrderPaid--;
        return { data: null, errors: [{ message: 'The orders service is unavailable.', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] };
      }
      const order = orders.get(orderId);
      if (!order) return { data: null, errors: [{ message: 'Order does not exist.', extensions: { code: 'NOT_FOUND' } }] };
      if (order.status === 'CANCELLED' || (order.status === 'PAID' && order.paymentId !== paymentId)) {
        return { data: null, errors: [{ message: 'Order cannot be paid.', extensions: { code: 'CONFLICT' } }] };
      }
      Object.assign(order, { status: 'PAID', paymentId });
      return { data: { markOrderPaid: { id: order.id, status: order.status } } };
    }
    const id = variables.id!;
    lookups.push(id);
    if (id === BROKEN_ORDER) return { data: { order: null }, errors: [{ message: 'orders is down', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] };
    const order = orders.get(id);
    return { data: { order: order ? { id: order.id, status: order.status, total: order.total, user: { id: order.userId } } : null } };
  };
  const router = await startFakeRouter(({ query, variables }) => answer(query, variables as Record<string, string>));
  return { ...router, orders, lookups, markCalls, state };
}

let router: Awaited<ReturnType<typeof startOrdersRouter>>;
let subgraph: TestSubgraph;
let db: PrismaClient;
let sqlStatements: string[] = [];
// Every charge the provider was asked for (payment ids only: the test keeps no card data either).
const charges: { paymentId: string; amount: number; currency: string }[] = [];
const logLines: string[] = [];
const responses: string[] = [];

const simulator = createSimulatedProvider();
const countingProvider: PaymentProvider = {
  charge(request, signal) {
    charges.push({ paymentId: request.paymentId, amount: request.amount, currency: request.currency });
    return simulator.charge(request, signal);
  },
};

beforeAll(async () => {
  router = await startOrdersRouter();
  subgraph = await startSubgraphForTest(
    'payments',
    (options) =>
      createPaymentsSubgraph({
        ...options,
        // Everything, debug included, so the test can prove no card data is ever logged.
        logger: createLogger({ level: 'debug', format: 'json', write: (line) => logLines.push(line) }),
        routerUrl: router.url,
        jwtSecret: SECRET,
        provider: countingProvider,
        providerTimeoutMs: PROVIDER_TIMEOUT_MS,
        onQuery: (event) => sqlStatements.push(event.sql),
      }),
    async (url) => {
      const client = new PrismaClient(createPrismaClientOptions(url));
      await seedPayments(client);
      await client.$disconnect();
    },
  );
  db = new PrismaClient(createPrismaClientOptions(subgraph.db.url));
});
afterAll(async () => {
  await db?.$disconnect();
  await subgraph?.stop();
  await router?.close();
});

const q = async (query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) => {
  const res = await graphql(subgraph.url, query, variables, headers);
  responses.push(JSON.stringify(res));
  return res;
};
const entities = (selection: string, representations: unknown[], headers: Record<string, string> = ADMIN(ADMIN_ID)) =>
  q(`query($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`, { r: representations }, headers);

const PAY = 'mutation($input: PayOrderInput!) { payOrder(input: $input) { id status declineReason amount { amount currency } method card { brand last4 } createdAt order { id } } }';
const pay = (input: { orderId: string; card: typeof APPROVED_CARD; idempotencyKey: string }, headers: Record<string, string> = CUSTOMER(ALICE)) =>
  q(PAY, { input }, headers);

/** A PENDING order of `userId` known to the fake router. */
function newOrder(userId = ALICE, change: Partial<FakeOrder> = {}): FakeOrder {
  const order: FakeOrder = { id: randomUUID(), userId, status: 'PENDING', total: { amount: 4200, currency: 'USD' }, ...change };
  router.orders.set(order.id, order);
  return order;
}
const newKey = () => `key-${randomUUID()}`;
const chargesFor = async (orderId: string) => {
  const ids = new Set((await db.payment.findMany({ where: { orderId }, select: { id: true } })).map((p) => p.id));
  return charges.filter((c) => ids.has(c.paymentId));
};

describe('seed', () => {
  it('has one payment per demo order with a payment, with the shared ids, amounts and outcomes', async () => {
    const expected = demoPayments();
    expect(expected).toHaveLength(demoOrders().filter((o) => o.payment !== null).length);
    const rows = await db.payment.findMany({ orderBy: { createdAt: 'asc' } });
    expect(rows).toHaveLength(expected.length);
    demoOrders().forEach((order, i) => {
      const row = rows.find((r) => r.id === seedId('payment', i + 1));
      if (order.payment === null) return expect(row).toBeUndefined();
      expect(row).toMatchObject({
        orderId: order.id,
        userId: seedId('user', order.userN),
        amount: order.totalAmount,
        currency: 'USD',
        status: order.payment,
        cardBrand: 'Visa',
        cardLast4: order.payment === 'APPROVED' ? '4242' : '0002',
        idempotencyKey: `seed-${i + 1}`,
        createdAt: new Date(order.createdAt.getTime() + 3_600_000),
      });
    });
    expect(await seedPayments(db)).toEqual({ created: 0 });
  });
});

describe('payOrder', () => {
  it('charges the order’s total from the router, marks the order paid once, as service:payments', async () => {
    const order = newOrder(ALICE, { total: { amount: 12_345, currency: 'EUR' } });
    router.requests.length = 0;
    const res = await pay({ orderId: order.id, card: APPROVED_CARD, idempotencyKey: newKey() });
    expect(res.errors).toBeUndefined();
    const payment = res.data!.payOrder;
    expect(payment).toMatchObject({ status: 'APPROVED', declineReason: null, amount: { amount: 12_345, currency: 'EUR' }, method: 'CARD', card: { brand: 'Visa', last4: '4242' }, order: { id: order.id } });
    expect(await chargesFor(order.id)).toEqual([{ paymentId: payment.id, amount: 12_345, currency: 'EUR' }]);
    expect(router.markCalls.filter((c) => c.orderId === order.id)).toEqual([{ orderId: order.id, paymentId: payment.id }]);
    expect(router.orders.get(order.id)!.status).toBe('PAID');
    const row = await db.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(row).toMatchObject({ userId: ALICE, status: 'APPROVED', providerReference: expect.stringMatching(/^sim_/), orderMarkedPaidAt: expect.any(Date) });

    // One lookup, one markOrderPaid, both with a token that verifies as the payments service.
    expect(router.requests).toHaveLength(2);
    const verify = createTokenVerifier({ alg: 'HS256', secret: SECRET });
    for (const { authorization } of router.requests) {
      const [scheme, token] = authorization!.split(' ');
      expect(scheme).toBe('Bearer');
      expect(await verify(token!)).toMatchObject({ ok: true, identity: { role: 'SERVICE', sub: 'service:payments' } });
    }
  });

  it('records a declined card as DECLINED (a result, not an error) and leaves the order unpaid', async () => {
    const order = newOrder();
    const res = await pay({ orderId: order.id, card: DECLINED_CARD, idempotencyKey: newKey() });
    expect(res.errors).toBeUndefined();
    expect(res.data!.payOrder).toMatchObject({ status: 'DECLINED', declineReason: 'card_declined', card: { brand: 'Visa', last4: '0002' } });
    expect(await chargesFor(order.id)).toHaveLength(1);
    expect(router.markCalls.filter((c) => c.orderId === order.id)).toEqual([]);
    expect(router.orders.get(order.id)!.status).toBe('PENDING');
  });

  it('ends a provider timeout as FAILED provider_timeout, leaves the order unpaid, and lets a new key pay', async () => {
    const order = newOrder();
    const res = await pay({ orderId: order.id, card: TIMEOUT_CARD, idempotencyKey: newKey() });
    expect(res.errors).toBeUndefined();
    expect(res.data!.payOrder).toMatchObject({ status: 'FAILED', declineReason: 'provider_timeout', card: { last4: '9995' } });
    expect(router.markCalls.filter((c) => c.orderId === order.id)).toEqual([]);
    expect(router.orders.get(order.id)!.status).toBe('PENDING');
    expect(await db.payment.findUniqueOrThrow({ where: { id: res.data!.payOrder.id } })).toMatchObject({ status: 'FAILED', providerReference: null });

    const retry = await pay({ orderId: order.id, card: APPROVED_CARD, idempotencyKey: newKey() });
    expect(retry.data!.payOrder.status).toBe('APPROVED');
    expect(router.orders.get(order.id)!.status).toBe('PAID');
  });

  it('returns the same payment for the same key without calling the provider or the router again', async () => {
    const order = newOrder();
    const key = newKey();
    const first = await pay({ orderId: order.id, card: APPROVED_CARD, idempotencyKey: key });
    const before = { lookups: router.lookups.length, marks: router.markCalls.length };
    const second = await pay({ orderId: order.id, card: APPROVED_CARD, idempotencyKey: key });
    expect(second.errors).toBeUndefined();
    expect(second.data!.payOrder).toEqual(first.data!.payOrder);
    expect(await chargesFor(order.id)).toHaveLength(1);
    expect({ lookups: router.lookups.length, marks: router.markCalls.length }).toEqual(before);
    expect(await db.payment.count({ where: { orderId: order.id } })).toBe(1);
  });

  it('charges once when the same key arrives concurrently', async () => {
    const order = newOrder();
    const key = newKey();
    const results = await Promise.all([1, 2, 3].map(() => pay({ orderId: order.id, card: APPROVED_CARD, idempotencyKey: key })));
    for (const res of results) expect(res.errors).toBeUndefined();
    const ids = new Set(results.map((r) => r.data!.payOrder.id));
    expect(ids.size).toBe(1);
    expect(results.map((r) => r.data!.payOrder.status)).toEqual(['APPROVED', 'APPROVED', 'APPROVED']);
    expect(await chargesFor(order.id)).toHaveLength(1);
    expect(await db.payment.count({ where: { orderId: order.id } })).toBe(1);
    // Usually one markOrderPaid; a duplicate that raced the first announcement would carry the
    // same payment id, which orders treats as a no-op.
    const marks = router.markCalls.filter((c) => c.orderId === order.id);
    expect(marks.length).toBeGreaterThanOrEqual(1);
    expect(new Set(marks.map((c) => c.paymentId))).toEqual(ids);
    expect(router.orders.get(order.id)!.status).toBe('PAID');
  });

  it('rejects the same key for another order with CONFLICT and writes nothing', async () => {
    const key = newKey();
    const first = newOrder();
    expect((await pay({ orderId: first.id, card: DECLINED_CARD, idempotencyKey: key })).errors).toBeUndefined();
    const second = newOrder();
    const before = await db.payment.count();
    const res = await pay({ orderId: second.id, card: APPROVED_CARD, idempotencyKey: key });
    expect(errorCodes(res)).toEqual(['CONFLICT']);
    expect(res.errors![0]!.message).toBe(idempotencyKeyReused().message);
    expect(res.errors![0]!.extensions).toMatchObject({ field: 'input.idempotencyKey' });
    expect(await db.payment.count()).toBe(before);
    expect(router.lookups).not.toContain(second.id);
  });

  it('refuses a second attempt while one is in flight for the same order', async () => {
    const order = newOrder();
    const slowKey = newKey();
    const slow = pay({ orderId: order.id, card: TIMEOUT_CARD, idempotencyKey: slowKey });
    while (!(await db.payment.findFirst({ where: { orderId: order.id } }))) await new Promise((r) => setTimeout(r, 5));
    const meanwhile = await pay({ orderId: order.id, card: APPROVED_CARD, idempotencyKey: newKey() });
    expect(errorCodes(meanwhile)).toEqual(['CONFLICT']);
    expect(meanwhile.errors![0]!.message).toBe(paymentInProgress(order.id).message);
    expect((await slow).data!.payOrder.status).toBe('FAILED');
    expect(await chargesFor(order.id)).toHaveLength(1);
  });

  it('keeps the payment APPROVED when markOrderPaid fails, and a retry with the same key completes it', async () => {
    const order = newOrder();
    const key = newKey();
    router.state.failMarkOrderPaid = 1;
    const first = await pay({ orderId: order.id, card: APPROVED_CARD, idempotencyKey: key });
    expect(first.errors).toBeUndefined();
    expect(first.data!.payOrder.status).toBe('APPROVED');
    expect(router.orders.get(order.id)!.status).toBe('PENDING');
    expect(await db.payment.findUniqueOrThrow({ where: { id: first.data!.payOrder.id } })).toMatchObject({ status: 'APPROVED', orderMarkedPaidAt: null });
    expect(logLines.some((line) => line.includes('markOrderPaid failed') && line.includes(first.data!.payOrder.id))).toBe(true);

    const retry = await pay({ orderId: order.id, card: APPROVED_CARD, idempotencyKey: key });
    expect(retry.data!.payOrder).toEqual(first.data!.payOrder);
    expect(router.orders.get(order.id)).toMatchObject({ status: 'PAID', paymentId: first.data!.payOrder.id });
    expect(await db.payment.findUniqueOrThrow({ where: { id: first.data!.payOrder.id } })).toMatchObject({ orderMarkedPaidAt: expect.any(Date) });
    expect(await chargesFor(order.id)).toHaveLength(1);
    expect(router.markCalls.filter((c) => c.orderId === order.id)).toHaveLength(2);

    // Once orders has confirmed, a retry calls nobody.
    const marks = router.markCalls.length;
    await pay({ orderId: order.id, card: APPROVED_CARD, idempotencyKey: key });
    expect(router.markCalls.length).toBe(marks);
  });

  it('never charges twice: a new key for an approved order that orders has not confirmed re-announces it and answers CONFLICT', async () => {
    const order = newOrder();
    router.state.failMarkOrderPaid = 1;
    const first = await pay({ orderId: order.id, card: APPROVED_CARD, idempotencyKey: newKey() });
    expect(router.orders.get(order.id)!.status).toBe('PENDING');
    const again = await pay({ orderId: order.id, card: OTHER_CARD, idempotencyKey: newKey() });
    expect(errorCodes(again)).toEqual(['CONFLICT']);
    expect(again.errors![0]!.message).toBe(orderAlreadyPaid(order.id).message);
    expect(router.orders.get(order.id)).toMatchObject({ status: 'PAID', paymentId: first.data!.payOrder.id });
    expect(await chargesFor(order.id)).toHaveLength(1);
  });

  it('answers FORBIDDEN for someone else’s order (admins included) and writes nothing', async () => {
    const order = newOrder(BOB);
    const before = await db.payment.count();
    for (const headers of [CUSTOMER(ALICE), ADMIN(ADMIN_ID)]) {
      const res = await pay({ orderId: order.id, card: APPROVED_CARD, idempotencyKey: newKey() }, headers);
      expect(errorCodes(res)).toEqual(['FORBIDDEN']);
      expect(res.errors![0]!.message).toBe(notYourOrder().message);
      expect(res.data).toBeNull();
    }
    expect(await db.payment.count()).toBe(before);
    expect(await chargesFor(order.id)).toHaveLength(0);
    expect(router.orders.get(order.id)!.status).toBe('PENDING');
  });

  it('lets an admin pay their own order', async () => {
    const order = newOrder(ADMIN_ID);
    const res = await pay({ orderId: order.id, card: APPROVED_CARD, idempotencyKey: newKey() }, ADMIN(ADMIN_ID));
    expect(res.data!.payOrder.status).toBe('APPROVED');
  });

  it.each([
    ['an unknown order', () => randomUUID(), 'NOT_FOUND'],
    ['an order already paid', () => newOrder(ALICE, { status: 'PAID', paymentId: randomUUID() }).id, 'CONFLICT'],
    ['a cancelled order', () => newOrder(ALICE, { status: 'CANCELLED' }).id, 'CONFLICT'],
    ['an order the router cannot look up', () => BROKEN_ORDER, 'SERVICE_UNAVAILABLE'],
  ])('rejects %s with a stable code and writes nothing', async (_label, orderId, code) => {
    const id = orderId();
    const before = await db.payment.count();
    const res = await pay({ orderId: id, card: APPROVED_CARD, idempotencyKey: newKey() });
    expect(errorCodes(res)).toEqual([code]);
    expect(await db.payment.count()).toBe(before);
    expect(await chargesFor(id)).toHaveLength(0);
  });

  it('names the problem for paid, cancelled and unreachable orders', async () => {
    const paid = newOrder(ALICE, { status: 'PAID', paymentId: randomUUID() });
    expect((await pay({ orderId: paid.id, card: APPROVED_CARD, idempotencyKey: newKey() })).errors![0]!.message).toBe(orderAlreadyPaid(paid.id).message);
    const cancelled = newOrder(ALICE, { status: 'CANCELLED' });
    expect((await pay({ orderId: cancelled.id, card: APPROVED_CARD, idempotencyKey: newKey() })).errors![0]!.message).toBe(orderCancelled(cancelled.id).message);
    const broken = await pay({ orderId: BROKEN_ORDER, card: APPROVED_CARD, idempotencyKey: newKey() });
    expect(broken.errors![0]!.message).toBe(ordersUnavailable().message);
  });

  const invalid: [string, Record<string, unknown>, string, string][] = [
    ['a number failing the Luhn check', { card: { ...APPROVED_CARD, number: '4242 4242 4242 4241' } }, 'input.card.number', invalidCardNumber().message],
    ['month 13', { card: { ...APPROVED_CARD, expMonth: 13 } }, 'input.card.expMonth', invalidExpiryMonth().message],
    ['an expired card', { card: { ...APPROVED_CARD, expYear: 2020 } }, 'input.card.expYear', 'The card has expired.'],
    ['a 2-digit CVC', { card: { ...APPROVED_CARD, cvc: '12' } }, 'input.card.cvc', invalidCvc().message],
    ['a short idempotency key', { idempotencyKey: 'short' }, 'input.idempotencyKey', invalidIdempotencyKey().message],
    ['a long idempotency key', { idempotencyKey: 'k'.repeat(101) }, 'input.idempotencyKey', invalidIdempotencyKey().message],
    ['a malformed order id', { orderId: 'order-1' }, 'input.orderId', 'Order id "order-1" is not a valid id.'],
  ];
  it.each(invalid)('rejects %s with BAD_USER_INPUT naming the field; nothing written, nobody called', async (_label, change, field, message) => {
    const order = newOrder();
    const before = { rows: await db.payment.count(), charges: charges.length, router: router.requests.length };
    const res = await pay({ orderId: order.id, card: APPROVED_CARD, idempotencyKey: newKey(), ...change } as Parameters<typeof pay>[0]);
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.message).toBe(message);
    expect(res.errors![0]!.extensions).toMatchObject({ field });
    expect({ rows: await db.payment.count(), charges: charges.length, router: router.requests.length }).toEqual(before);
  });

  it.each([
    ['an anonymous caller', {}, 'UNAUTHENTICATED'],
    ['a service', asIdentity({ sub: 'service:orders', role: 'SERVICE' }), 'FORBIDDEN'],
  ])('refuses %s', async (_label, headers, code) => {
    const order = newOrder();
    const before = await db.payment.count();
    expect(errorCodes(await pay({ orderId: order.id, card: APPROVED_CARD, idempotencyKey: newKey() }, headers))).toEqual([code]);
    expect(await db.payment.count()).toBe(before);
  });
});

describe('router down', () => {
  let downUrl: string;
  let stopDown: () => Promise<void>;

  beforeAll(async () => {
    const closedPort = await freePort(); // nothing listens there
    const down = createPaymentsSubgraph({
      databaseUrl: subgraph.db.url,
      logger: createLogger({ level: 'silent' }),
      routerUrl: `http://127.0.0.1:${closedPort}/graphql`,
      jwtSecret: SECRET,
      requestSigning: { secrets: [subgraph.signingSecret!] },
      provider: countingProvider,
    });
    downUrl = `${(await down.listen(0)).url}/graphql`;
    const forget = signRequestsTo(downUrl, subgraph.signingSecret!);
    stopDown = async () => {
      forget();
      await down.stop();
    };
  });
  afterAll(async () => {
    await stopDown?.();
  });

  it('answers SERVICE_UNAVAILABLE, charges nothing and writes nothing', async () => {
    const before = { rows: await db.payment.count(), charges: charges.length };
    const res = await graphql(downUrl, PAY, { input: { orderId: randomUUID(), card: APPROVED_CARD, idempotencyKey: newKey() } }, CUSTOMER(ALICE));
    expect(errorCodes(res)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(res.errors![0]!.message).toBe(ordersUnavailable().message);
    expect(JSON.stringify(res.errors)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|fetch/);
    expect({ rows: await db.payment.count(), charges: charges.length }).toEqual(before);
  });
});

describe('reading payments', () => {
  const PAYMENT = 'query($id: ID!) { payment(id: $id) { id status amount { amount } card { last4 } order { id } } }';
  let alicePayment: string;
  let aliceOrder: FakeOrder;

  beforeAll(async () => {
    aliceOrder = newOrder();
    alicePayment = (await pay({ orderId: aliceOrder.id, card: APPROVED_CARD, idempotencyKey: newKey() })).data!.payOrder.id;
  });

  it('shows payment(id) to its payer and to admins only', async () => {
    const own = await q(PAYMENT, { id: alicePayment }, CUSTOMER(ALICE));
    expect(own.data!.payment).toMatchObject({ id: alicePayment, status: 'APPROVED', amount: { amount: 4200 }, card: { last4: '4242' }, order: { id: aliceOrder.id } });
    expect((await q(PAYMENT, { id: alicePayment }, ADMIN(ADMIN_ID))).data!.payment.id).toBe(alicePayment);

    const other = await q(PAYMENT, { id: alicePayment }, CUSTOMER(BOB));
    expect(errorCodes(other)).toEqual(['FORBIDDEN']);
    expect(other.errors![0]!.message).toBe(notYourPayment().message);
    expect(other.data!.payment).toBeNull();
    expect(errorCodes(await q(PAYMENT, { id: alicePayment }, asIdentity({ sub: 'service:orders', role: 'SERVICE' })))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await q(PAYMENT, { id: alicePayment }))).toEqual(['UNAUTHENTICATED']);
  });

  it('answers null for an unknown or malformed payment id', async () => {
    for (const id of [randomUUID(), 'not-a-uuid']) {
      const res = await q(PAYMENT, { id }, CUSTOMER(ALICE));
      expect(res.errors).toBeUndefined();
      expect(res.data!.payment).toBeNull();
    }
  });

  it('resolves Payment references for the payer and admins, FORBIDDEN for others', async () => {
    const r = [{ __typename: 'Payment', id: alicePayment }, { __typename: 'Payment', id: randomUUID() }];
    const asAdmin = await entities('... on Payment { id status createdAt }', r);
    expect(asAdmin.errors).toBeUndefined();
    expect(asAdmin.data!._entities).toEqual([{ id: alicePayment, status: 'APPROVED', createdAt: expect.any(String) }, null]);
    expect((await entities('... on Payment { id }', r, CUSTOMER(ALICE))).data!._entities[0]).toEqual({ id: alicePayment });
    const asBob = await entities('... on Payment { id }', r, CUSTOMER(BOB));
    expect(errorCodes(asBob)).toEqual(['FORBIDDEN']);
    expect(asBob.data!._entities[0]).toBeNull();
  });

  it('adds the payment to an order: its owner and admins only', async () => {
    const r = [{ __typename: 'Order', id: aliceOrder.id }];
    const selection = '... on Order { id payment { id status } }';
    expect((await entities(selection, r, CUSTOMER(ALICE))).data!._entities).toEqual([{ id: aliceOrder.id, payment: { id: alicePayment, status: 'APPROVED' } }]);
    expect((await entities(selection, r)).data!._entities[0].payment.id).toBe(alicePayment);
    for (const [headers, code] of [
      [CUSTOMER(BOB), 'FORBIDDEN'],
      [asIdentity({ sub: 'service:orders', role: 'SERVICE' }), 'FORBIDDEN'],
      [{}, 'UNAUTHENTICATED'],
    ] as const) {
      const res = await entities(selection, r, headers);
      expect(errorCodes(res)).toEqual([code]);
      expect(res.data!._entities).toEqual([{ id: aliceOrder.id, payment: null }]);
    }
  });

  it('shows the APPROVED attempt when there is one, else the latest', async () => {
    const declinedThenApproved = newOrder();
    await pay({ orderId: declinedThenApproved.id, card: DECLINED_CARD, idempotencyKey: newKey() });
    const approved = (await pay({ orderId: declinedThenApproved.id, card: APPROVED_CARD, idempotencyKey: newKey() })).data!.payOrder.id;
    const failedThenDeclined = newOrder();
    await pay({ orderId: failedThenDeclined.id, card: TIMEOUT_CARD, idempotencyKey: newKey() });
    const declined = (await pay({ orderId: failedThenDeclined.id, card: DECLINED_CARD, idempotencyKey: newKey() })).data!.payOrder.id;
    const unpaid = newOrder();
    const res = await entities('... on Order { id payment { id status } }', [declinedThenApproved, failedThenDeclined, unpaid].map((o) => ({ __typename: 'Order', id: o.id })));
    expect(res.data!._entities).toEqual([
      { id: declinedThenApproved.id, payment: { id: approved, status: 'APPROVED' } },
      { id: failedThenDeclined.id, payment: { id: declined, status: 'DECLINED' } },
      { id: unpaid.id, payment: null },
    ]);
  });
});

describe('batching (no N+1)', () => {
  beforeEach(() => {
    sqlStatements = [];
  });

  it('resolves Order.payment for 20 orders in one SQL statement', async () => {
    const orders = demoOrders().slice(0, 20);
    const res = await entities('... on Order { id payment { status amount { amount } } }', orders.map((o) => ({ __typename: 'Order', id: o.id })));
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual(orders.map((o) => ({ id: o.id, payment: o.payment && { status: o.payment, amount: { amount: o.totalAmount } } })));
    expect(sqlStatements.length).toBeGreaterThan(0);
    expect(sqlStatements.length).toBeLessThanOrEqual(2);
    expect(sqlStatements).toHaveLength(1);
  });

  it('resolves 19 Payment references in one SQL statement, and order references in none', async () => {
    const ids = demoPayments().map((p) => p.id!);
    const res = await entities('... on Payment { id status order { id } }', ids.map((id) => ({ __typename: 'Payment', id })));
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities.map((p: any) => p.id)).toEqual(ids);
    expect(sqlStatements).toHaveLength(1);
    sqlStatements = [];
    await entities('... on Order { id }', ids.map(() => ({ __typename: 'Order', id: randomUUID() })));
    expect(sqlStatements).toHaveLength(0);
  });
});

describe('card data', () => {
  it('is never stored, returned or logged: only brand and last 4 digits', async () => {
    const rows = await db.$queryRaw<{ row: string }[]>`SELECT row_to_json(p)::text AS row FROM payments p`;
    expect(rows.length).toBeGreaterThan(demoPayments().length);
    const everything = [...rows.map((r) => r.row), ...responses, ...logLines].join('\n');
    for (const number of CARD_NUMBERS) expect(everything).not.toContain(number);
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toMatch(/cvc|card\.number|"number"/i);
    expect(responses.join('\n')).not.toMatch(/providerReference|sim_/);
  });
});
