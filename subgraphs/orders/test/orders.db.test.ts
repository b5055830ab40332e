import { readFileSync } from 'node:fs';
import { Kind, parse, type FieldNode } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, createTokenVerifier } from '@store/core';
import { createPrismaClientOptions, demoOrders, freePort, seedId } from '@store/db';
import { createServiceTokenSource } from '@store/subgraph-kit';
import { ADMIN, asIdentity, CUSTOMER, errorCodes, graphql, NO_ANSWER, startFakeRouter, signRequestsTo, startSubgraphForTest, type TestSubgraph } from '@store/testkit';
import { PrismaClient } from '../generated/prisma/client.ts';
import { seedOrders } from '../prisma/seed.ts';
import {
  MAX_ITEMS,
  cancelledOrderCannotBePaid,
  catalogUnavailable,
  duplicateProduct,
  inventoryUnavailable,
  invalidItemCount,
  invalidQuantity,
  mixedCurrencies,
  notCancellable,
  notYourOrder,
  paidByAnotherPayment,
  unknownProduct,
} from '../src/errors.ts';
import { createRouterPriceList, PriceListUnavailableError } from '../src/price-list.ts';
import { PRICES_MAX_IDS, PRICES_QUERY } from '../src/router-operations.ts';
import { createOrdersSubgraph } from '../src/server.ts';

const SECRET = 'orders-test-secret-0123456789-abcdefghij';
const SERVICE = asIdentity({ sub: 'service:payments', role: 'SERVICE' });
const DEMO_ORDERS = demoOrders();

// Products the stand-in router knows, and their prices (mutable: the snapshot test changes one).
const product = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const APPLE = product(0xa1);
const BREAD = product(0xb2);
const CHEESE = product(0xc3);
const EURO_WINE = product(0xe4); // priced in EUR
const PRICEY = product(0xf5); // so expensive that 1000 of them overflow an Int
const UNKNOWN_PRODUCT = product(0xdead); // unknown to the stand-in
const BROKEN_PRODUCT = product(0xe000); // the stand-in answers with errors
const HANGING_PRODUCT = product(0xa000); // the stand-in never answers
const STRAY_PRODUCT = product(0x5a); // the stand-in answers it with APPLE, which was not asked for
const INITIAL_PRICES: Record<string, { amount: number; currency: string }> = {
  [APPLE]: { amount: 150, currency: 'USD' },
  [BREAD]: { amount: 399, currency: 'USD' },
  [CHEESE]: { amount: 1250, currency: 'USD' },
  [EURO_WINE]: { amount: 2000, currency: 'EUR' },
  [PRICEY]: { amount: 5_000_000, currency: 'USD' },
};
const MANY = Array.from({ length: 51 }, (_, i) => product(0x1000 + i)); // for the 50-item limit
for (const id of MANY) INITIAL_PRICES[id] = { amount: 100, currency: 'USD' };

interface RouterCall {
  authorization: string | undefined;
  query: string;
  /** The product ids asked for, in the order sent. */
  ids: string[];
}

/** Inventory behind the stand-in router: each order's reservation, and the orders it cannot reach. */
function createStandInInventory() {
  const reservations = new Map<string, 'ACTIVE' | 'CONSUMED' | 'RELEASED'>();
  const unreachable = new Set<string>();
  const consumeCalls: { orderId: string; authorization: string | undefined }[] = [];
  /** Inventory's `consumeStock`: null when nothing was reserved, CONFLICT once released. */
  const consumeStock = (orderId: string, authorization: string | undefined) => {
    consumeCalls.push({ orderId, authorization });
    if (unreachable.has(orderId)) return { data: null, errors: [{ message: 'inventory is down', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] };
    const status = reservations.get(orderId);
    if (status === 'RELEASED') return { data: null, errors: [{ message: 'released', extensions: { code: 'CONFLICT' } }] };
    if (status) reservations.set(orderId, 'CONSUMED');
    return { data: { consumeStock: status ? { status: 'CONSUMED' } : null } };
  };
  return { reservations, unreachable, consumeCalls, consumeStock };
}

/** The `products(filter: { ids: $ids }, first: N)` field of an operation, with the ids asked for. */
function productsByIds(field: FieldNode, variables: Record<string, unknown>): { ids: string[]; first: number } {
  const filter = field.arguments!.find((a) => a.name.value === 'filter')?.value;
  const idsValue = filter?.kind === Kind.OBJECT ? filter.fields.find((f) => f.name.value === 'ids')?.value : undefined;
  const first = field.arguments!.find((a) => a.name.value === 'first')?.value;
  if (field.name.value !== 'products' || idsValue?.kind !== Kind.VARIABLE || first?.kind !== Kind.INT) throw new Error('expected products(filter: { ids: $var }, first: <int>)');
  return { ids: variables[idsValue.name.value] as string[], first: Number(first.value) };
}

/**
 * A stand-in for the router: answers `products(filter: { ids: $ids }, first: N) { edges { node
 * { id price { … } } } }` from a price table as the catalog would (known ids only, in its own
 * order, not the order asked), and records who asked what; `consumeStock` from a stand-in inventory.
 */
async function startPriceRouter() {
  const calls: RouterCall[] = [];
  const prices = new Map(Object.entries(INITIAL_PRICES));
  const inventory = createStandInInventory();
  const router = await startFakeRouter(({ query, variables, authorization }) => {
    const operation = parse(query).definitions[0]!;
    if (operation.kind !== Kind.OPERATION_DEFINITION) throw new Error('expected an operation');
    const fields = operation.selectionSet.selections as FieldNode[];
    if (fields[0]?.name.value === 'consumeStock') return inventory.consumeStock(variables.orderId as string, authorization);
    const { ids, first } = productsByIds(fields[0]!, variables);
    calls.push({ authorization, query, ids });
    if (ids.includes(HANGING_PRODUCT)) return NO_ANSWER;
    if (ids.includes(BROKEN_PRODUCT)) return { data: null, errors: [{ message: 'catalog is down', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] };
    const known = ids.map((id) => id.toLowerCase()).filter((id) => prices.has(id)).sort().slice(0, first);
    const answered = ids.includes(STRAY_PRODUCT) ? [...known, APPLE] : known;
    return { data: { products: { edges: answered.map((id) => ({ node: { id, price: prices.get(id) } })) } } };
  });
  return { ...router, calls, prices, inventory };
}

let router: Awaited<ReturnType<typeof startPriceRouter>>;
let subgraph: TestSubgraph;
let db: PrismaClient;
let sqlStatements: string[] = [];

beforeAll(async () => {
  router = await startPriceRouter();
  subgraph = await startSubgraphForTest(
    'orders',
    (options) =>
      createOrdersSubgraph({ ...options, routerUrl: router.url, routerTimeoutMs: 500, jwtSecret: SECRET, onQuery: (event) => sqlStatements.push(event.sql) }),
    async (url) => {
      const client = new PrismaClient(createPrismaClientOptions(url));
      await seedOrders(client);
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

const q = (query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) => graphql(subgraph.url, query, variables, headers);
const entities = (selection: string, representations: unknown[], headers: Record<string, string> = ADMIN()) =>
  q(`query($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`, { r: representations }, headers);
const newestFirst = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];
const rowCounts = async () => ({ orders: await db.order.count(), items: await db.orderItem.count() });

/** A fresh customer id per test, so tests do not see each other's orders. */
let customerSerial = 0;
const freshCustomer = () => `00000000-0000-4000-8000-0000000c${String(++customerSerial).padStart(4, '0')}`;

const ORDER_FIELDS = 'id status createdAt user { id } total { amount currency } items { product { id } quantity unitPrice { amount currency } subtotal { amount currency } }';
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { ${ORDER_FIELDS} } }`;
const CANCEL = 'mutation($id: ID!) { cancelOrder(id: $id) { id status } }';
const MARK_PAID = 'mutation($orderId: ID!, $paymentId: ID!) { markOrderPaid(orderId: $orderId, paymentId: $paymentId) { id status total { amount } } }';
const ORDER = `query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;

async function placeFor(customer: string, items: { productId: string; quantity: number }[] = [{ productId: APPLE, quantity: 1 }]): Promise<string> {
  const res = await q(PLACE, { input: { items } }, CUSTOMER(customer));
  expect(res.errors).toBeUndefined();
  return res.data!.placeOrder.id;
}

/** The expected GraphQL shape of a stored order. */
async function expectedOrder(id: string) {
  const row = await db.order.findUniqueOrThrow({ where: { id }, include: { items: { orderBy: { position: 'asc' } } } });
  return {
    id: row.id,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    user: { id: row.userId },
    total: { amount: row.totalAmount, currency: row.currency },
    items: row.items.map((item) => ({
      product: { id: item.productId },
      quantity: item.quantity,
      unitPrice: { amount: item.unitAmount, currency: item.currency },
      subtotal: { amount: item.quantity * item.unitAmount, currency: item.currency },
    })),
  };
}

describe('seed', () => {
  it('writes exactly the orders of demoOrders(), and is idempotent', async () => {
    expect(await db.order.count()).toBe(DEMO_ORDERS.length);
    expect(await seedOrders(db)).toEqual({ created: 0 });
    for (const [index, demo] of DEMO_ORDERS.entries()) {
      const row = await db.order.findUniqueOrThrow({ where: { id: demo.id }, include: { items: { orderBy: { position: 'asc' } } } });
      const paid = demo.payment === 'APPROVED';
      expect(row).toMatchObject({
        userId: seedId('user', demo.userN),
        status: paid ? 'PAID' : 'PENDING',
        totalAmount: demo.totalAmount,
        currency: 'USD',
        createdAt: demo.createdAt,
        paymentId: paid ? seedId('payment', index + 1) : null,
        paidAt: paid ? new Date(demo.createdAt.getTime() + 3_600_000) : null,
        updatedAt: paid ? new Date(demo.createdAt.getTime() + 3_600_000) : demo.createdAt,
      });
      expect(row.items.map((i) => ({ productId: i.productId, quantity: i.quantity, unitAmount: i.unitAmount, currency: i.currency }))).toEqual(
        demo.items.map((i) => ({ productId: seedId('product', i.productN), quantity: i.quantity, unitAmount: i.unitAmount, currency: 'USD' })),
      );
    }
    expect(await db.order.count({ where: { status: 'PAID' } })).toBe(DEMO_ORDERS.filter((o) => o.payment === 'APPROVED').length);
  });

  it('is guarded by CHECK constraints, even for writers that bypass the subgraph', async () => {
    const order = DEMO_ORDERS[0]!.id;
    const item = { orderId: order, position: 99, unitAmount: 100, currency: 'USD' };
    await expect(db.orderItem.create({ data: { ...item, productId: product(0x9001), quantity: 0 } })).rejects.toThrow();
    await expect(db.orderItem.create({ data: { ...item, productId: product(0x9002), quantity: 1, unitAmount: -1 } })).rejects.toThrow();
    await expect(db.order.create({ data: { userId: freshCustomer(), status: 'PAID', totalAmount: 1, currency: 'USD' } })).rejects.toThrow();
    await expect(db.order.create({ data: { userId: freshCustomer(), totalAmount: -1, currency: 'USD' } })).rejects.toThrow();
    expect(await rowCounts()).toEqual({ orders: DEMO_ORDERS.length, items: DEMO_ORDERS.reduce((n, o) => n + o.items.length, 0) });
  });
});

describe('order(id)', () => {
  const demo = DEMO_ORDERS[0]!;
  const owner = seedId('user', demo.userN);

  it('returns the order to its owner, with key stubs for the user and products', async () => {
    const res = await q(ORDER, { id: demo.id }, CUSTOMER(owner));
    expect(res.errors).toBeUndefined();
    expect(res.data!.order).toEqual(await expectedOrder(demo.id));
    expect(res.data!.order.items.length).toBe(demo.items.length);
  });

  it('returns it to an admin and to a service', async () => {
    for (const headers of [ADMIN(), SERVICE]) {
      const res = await q('query($id: ID!) { order(id: $id) { id total { amount } } }', { id: demo.id }, headers);
      expect(res.errors).toBeUndefined();
      expect(res.data!.order).toEqual({ id: demo.id, total: { amount: demo.totalAmount } });
    }
  });

  it('answers FORBIDDEN (and null) to another customer, UNAUTHENTICATED to an anonymous caller', async () => {
    const stranger = await q(ORDER, { id: demo.id }, CUSTOMER(seedId('user', 30)));
    expect(errorCodes(stranger)).toEqual(['FORBIDDEN']);
    expect(stranger.errors![0]!.message).toBe(notYourOrder().message);
    expect(stranger.data).toEqual({ order: null });
    const anonymous = await q(ORDER, { id: demo.id });
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
    expect(anonymous.data).toEqual({ order: null });
  });

  it('returns null for an unknown or malformed id', async () => {
    expect((await q(ORDER, { id: product(0) }, CUSTOMER(owner))).data).toEqual({ order: null });
    const malformed = await q(ORDER, { id: 'order-1' }, CUSTOMER(owner));
    expect(malformed.errors).toBeUndefined();
    expect(malformed.data).toEqual({ order: null });
  });
});

describe('myOrders', () => {
  it('lists the caller’s orders newest first, with the total count', async () => {
    const user = seedId('user', 2);
    const res = await q('{ myOrders(first: 2) { totalCount edges { cursor node { id user { id } } } pageInfo { hasNextPage endCursor } } }', {}, CUSTOMER(user));
    expect(res.errors).toBeUndefined();
    const rows = await db.order.findMany({ where: { userId: user }, orderBy: newestFirst });
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const page = res.data!.myOrders;
    expect(page.totalCount).toBe(rows.length);
    expect(page.edges.map((e: any) => e.node.id)).toEqual(rows.slice(0, 2).map((r) => r.id));
    expect(page.edges.every((e: any) => e.node.user.id === user)).toBe(true);
    expect(page.pageInfo).toEqual({ hasNextPage: rows.length > 2, endCursor: page.edges[1].cursor });
  });

  it('defaults to 10 and is empty for a customer without orders', async () => {
    const user = seedId('user', 3);
    const res = await q('{ myOrders { totalCount edges { node { id } } } }', {}, CUSTOMER(user));
    expect(res.data!.myOrders.edges).toHaveLength(await db.order.count({ where: { userId: user } }));
    const none = await q('{ myOrders { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }', {}, CUSTOMER(freshCustomer()));
    expect(none.data!.myOrders).toEqual({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('requires a signed-in caller', async () => {
    const res = await q('{ myOrders { totalCount } }');
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.data).toBeNull();
  });
});

describe('_entities', () => {
  it('resolves several orders in one call, in order, with nulls for unknown and malformed ids', async () => {
    const ids = DEMO_ORDERS.slice(0, 3).map((o) => o.id);
    const res = await entities(`... on Order { ${ORDER_FIELDS} }`, [
      ...ids.map((id) => ({ __typename: 'Order', id })),
      { __typename: 'Order', id: product(0) },
      { __typename: 'Order', id: 'not-a-uuid' },
    ]);
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([...(await Promise.all(ids.map(expectedOrder))), null, null]);
  });

  it('applies the read rule per order: mine resolves, someone else’s is FORBIDDEN', async () => {
    const mine = DEMO_ORDERS.find((o) => o.userN === 2)!;
    const theirs = DEMO_ORDERS.find((o) => o.userN === 3)!;
    const res = await entities(
      '... on Order { id }',
      [mine, theirs].map((o) => ({ __typename: 'Order', id: o.id })),
      CUSTOMER(seedId('user', 2)),
    );
    expect(res.data!._entities).toEqual([{ id: mine.id }, null]);
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    expect(res.errors![0]!.path).toEqual(['_entities', 1]);
    expect(errorCodes(await entities('... on Order { id }', [{ __typename: 'Order', id: mine.id }], {}))).toEqual(['UNAUTHENTICATED']);
  });

  it('adds orders to users: their own, or any user’s for an admin', async () => {
    const users = [seedId('user', 2), seedId('user', 5)];
    const selection = '... on User { id orders(first: 2) { totalCount edges { node { id user { id } } } } }';
    const res = await entities(selection, [...users.map((id) => ({ __typename: 'User', id })), { __typename: 'User', id: 'admin' }]);
    expect(res.errors).toBeUndefined();
    for (const [index, id] of users.entries()) {
      const rows = await db.order.findMany({ where: { userId: id }, orderBy: newestFirst });
      expect(res.data!._entities[index]).toEqual({
        id,
        orders: { totalCount: rows.length, edges: rows.slice(0, 2).map((r) => ({ node: { id: r.id, user: { id } } })) },
      });
    }
    expect(res.data!._entities[2]).toEqual({ id: 'admin', orders: { totalCount: 0, edges: [] } });

    const own = await entities(selection, [{ __typename: 'User', id: users[0] }], CUSTOMER(users[0]!));
    expect(own.errors).toBeUndefined();
    expect(own.data!._entities[0].orders.totalCount).toBeGreaterThan(0);
  });

  it('refuses another customer’s orders with FORBIDDEN and an anonymous caller with UNAUTHENTICATED', async () => {
    const selection = '... on User { id orders { totalCount } }';
    const representations = [{ __typename: 'User', id: seedId('user', 2) }];
    const stranger = await entities(selection, representations, CUSTOMER(seedId('user', 3)));
    expect(errorCodes(stranger)).toEqual(['FORBIDDEN']);
    expect(stranger.data!._entities).toEqual([null]);
    expect(errorCodes(await entities(selection, representations, SERVICE))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await entities(selection, representations, {}))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('pagination', () => {
  const pageQuery = 'query($after: String, $first: Int) { myOrders(first: $first, after: $after) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }';

  async function walk(user: string, first: number): Promise<string[]> {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res = await q(pageQuery, { after, first }, CUSTOMER(user));
      expect(res.errors).toBeUndefined();
      const page = res.data!.myOrders;
      seen.push(...page.edges.map((e: any) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1).cursor);
      after = page.pageInfo.endCursor;
    }
    return seen;
  }

  it('pages through a user’s orders newest first, without gaps or repeats', async () => {
    const user = seedId('user', 2);
    const expected = await db.order.findMany({ where: { userId: user }, orderBy: newestFirst, select: { id: true } });
    expect(expected.length).toBeGreaterThan(1);
    expect(await walk(user, 1)).toEqual(expected.map((r) => r.id));
  });

  it('keeps order stable among orders placed in the same millisecond', async () => {
    const user = freshCustomer();
    const createdAt = new Date('2026-06-01T12:00:00.000Z');
    await db.order.createMany({ data: [1, 2, 3, 4, 5].map(() => ({ userId: user, totalAmount: 0, currency: 'USD', createdAt })) });
    try {
      const seen = await walk(user, 2);
      expect(seen).toHaveLength(5);
      expect(seen).toEqual([...seen].sort().reverse());
    } finally {
      await db.order.deleteMany({ where: { userId: user } });
    }
  });

  it('rejects a page size over 100 and a forged cursor', async () => {
    const user = CUSTOMER(seedId('user', 2));
    expect(errorCodes(await q(pageQuery, { first: 101 }, user))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await q(pageQuery, { after: 'Zm9v' }, user))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await q(pageQuery, { after: Buffer.from('c:yesterday|x').toString('base64url') }, user))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('batching (no N+1)', () => {
  const users = Array.from({ length: 20 }, (_, i) => ({ __typename: 'User', id: seedId('user', i + 2) }));

  beforeEach(() => {
    sqlStatements = [];
  });

  it('resolves 20 users’ orders(first: 5) with totals and items in at most 3 SQL statements', async () => {
    const res = await entities('... on User { orders(first: 5) { edges { node { total { amount } items { quantity } } } } }', users);
    expect(res.errors).toBeUndefined();
    const nodes = res.data!._entities.flatMap((u: any) => u.orders.edges.map((e: any) => e.node));
    expect(nodes.length).toBe(DEMO_ORDERS.length); // users 2..11 have orders, 12..21 none
    expect(nodes.every((n: any) => n.items.length > 0)).toBe(true);
    expect(sqlStatements.length).toBeLessThanOrEqual(3);
    expect(sqlStatements).toHaveLength(2); // one page query, one items query
    expect(sqlStatements.filter((sql) => /row_number\(\)/i.test(sql))).toHaveLength(1);
  });

  it('adds totalCount with one aggregate', async () => {
    const res = await entities('... on User { orders(first: 5) { totalCount edges { node { id } } pageInfo { hasNextPage } } }', users);
    expect(res.errors).toBeUndefined();
    expect(sqlStatements).toHaveLength(2); // page, count
  });

  it('resolves 20 order references with their items in 2 statements', async () => {
    const representations = DEMO_ORDERS.slice(0, 20).map((o) => ({ __typename: 'Order', id: o.id }));
    const res = await entities('... on Order { id status items { quantity subtotal { amount } product { id } } }', representations);
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities.map((o: any) => o.id)).toEqual(representations.map((r) => r.id));
    expect(sqlStatements).toHaveLength(2);
  });

  it('resolving user references reads nothing', async () => {
    const res = await entities('... on User { id }', users.slice(0, 3));
    expect(res.data!._entities).toEqual(users.slice(0, 3).map((u) => ({ id: u.id })));
    expect(sqlStatements).toHaveLength(0);
  });
});

describe('placeOrder', () => {
  it('prices every product through the router in one request with a service token, and saves a PENDING order', async () => {
    const customer = freshCustomer();
    router.calls.length = 0;
    const before = await rowCounts();
    const items = [
      { productId: CHEESE, quantity: 2 },
      { productId: APPLE, quantity: 3 },
      { productId: BREAD, quantity: 1 },
    ];
    const res = await q(PLACE, { input: { items } }, CUSTOMER(customer));
    expect(res.errors).toBeUndefined();
    const order = res.data!.placeOrder;
    expect(order).toMatchObject({
      status: 'PENDING',
      user: { id: customer },
      total: { amount: 2 * 1250 + 3 * 150 + 399, currency: 'USD' },
      items: [
        { product: { id: CHEESE }, quantity: 2, unitPrice: { amount: 1250, currency: 'USD' }, subtotal: { amount: 2500, currency: 'USD' } },
        { product: { id: APPLE }, quantity: 3, unitPrice: { amount: 150, currency: 'USD' }, subtotal: { amount: 450, currency: 'USD' } },
        { product: { id: BREAD }, quantity: 1, unitPrice: { amount: 399, currency: 'USD' }, subtotal: { amount: 399, currency: 'USD' } },
      ],
    });
    expect(order).toEqual(await expectedOrder(order.id));
    expect(await rowCounts()).toEqual({ orders: before.orders + 1, items: before.items + 3 });

    // One request for all three products, from the orders service.
    expect(router.calls).toHaveLength(1);
    expect(router.calls[0]!.ids).toEqual([CHEESE, APPLE, BREAD]);
    expect(router.calls[0]!.query).toMatch(/^query OrdersPrices\(/);
    const [scheme, token] = router.calls[0]!.authorization!.split(' ');
    expect(scheme).toBe('Bearer');
    expect(await createTokenVerifier({ alg: 'HS256', secret: SECRET })(token!)).toMatchObject({ ok: true, identity: { role: 'SERVICE', sub: 'service:orders' } });

    // It is the newest of the customer's orders.
    const mine = await q('{ myOrders(first: 1) { totalCount edges { node { id } } } }', {}, CUSTOMER(customer));
    expect(mine.data!.myOrders).toEqual({ totalCount: 1, edges: [{ node: { id: order.id } }] });
  });

  it('lets an admin order too', async () => {
    const admin = freshCustomer();
    const res = await q(PLACE, { input: { items: [{ productId: BREAD, quantity: 1 }] } }, ADMIN(admin));
    expect(res.errors).toBeUndefined();
    expect(res.data!.placeOrder).toMatchObject({ user: { id: admin }, total: { amount: 399 } });
  });

  it('keeps the prices of the moment it was placed when the catalog’s change', async () => {
    const customer = freshCustomer();
    const id = await placeFor(customer, [{ productId: APPLE, quantity: 4 }]);
    const before = await q(ORDER, { id }, CUSTOMER(customer));
    router.prices.set(APPLE, { amount: 9999, currency: 'USD' });
    try {
      const after = await q(ORDER, { id }, CUSTOMER(customer));
      expect(after.data!.order).toEqual(before.data!.order);
      expect(after.data!.order.total.amount).toBe(600);
      // A new order gets the new price.
      const newer = await q(PLACE, { input: { items: [{ productId: APPLE, quantity: 1 }] } }, CUSTOMER(customer));
      expect(newer.data!.placeOrder.total.amount).toBe(9999);
    } finally {
      router.prices.set(APPLE, INITIAL_PRICES[APPLE]!);
    }
  });

  const line = (productId: string, quantity = 1) => ({ productId, quantity });
  const cases: [string, unknown[], Record<string, string> | 'customer', string, string | null, boolean][] = [
    // label, items, caller, code, field, asks the router
    ['a negative quantity', [line(APPLE, -1)], 'customer', 'BAD_USER_INPUT', 'input.items[0].quantity', false],
    ['a zero quantity', [line(APPLE), line(BREAD, 0)], 'customer', 'BAD_USER_INPUT', 'input.items[1].quantity', false],
    ['a quantity over 1000', [line(APPLE, 1001)], 'customer', 'BAD_USER_INPUT', 'input.items[0].quantity', false],
    ['no items', [], 'customer', 'BAD_USER_INPUT', 'input.items', false],
    ['51 items', MANY.map((id) => line(id)), 'customer', 'BAD_USER_INPUT', 'input.items', false],
    ['the same product twice', [line(APPLE), line(BREAD), line(APPLE, 2)], 'customer', 'BAD_USER_INPUT', 'input.items[2].productId', false],
    ['a malformed product id', [line('SKU-0001')], 'customer', 'BAD_USER_INPUT', 'input.items[0].productId', false],
    ['an unknown product', [line(APPLE), line(UNKNOWN_PRODUCT)], 'customer', 'BAD_USER_INPUT', 'input.items[1].productId', true],
    ['products in two currencies', [line(APPLE), line(EURO_WINE)], 'customer', 'BAD_USER_INPUT', 'input.items', true],
    ['a total over the Int range', [line(PRICEY, 1000)], 'customer', 'BAD_USER_INPUT', 'input.items', true],
    ['a router that answers with errors', [line(APPLE), line(BROKEN_PRODUCT)], 'customer', 'SERVICE_UNAVAILABLE', null, true],
    ['a router that does not answer in time', [line(HANGING_PRODUCT)], 'customer', 'SERVICE_UNAVAILABLE', null, true],
    ['an anonymous caller', [line(APPLE)], {}, 'UNAUTHENTICATED', null, false],
    ['a service caller', [line(APPLE)], SERVICE, 'FORBIDDEN', null, false],
    ['a customer whose id is not a user id', [line(APPLE)], CUSTOMER('not-a-user'), 'FORBIDDEN', null, false],
  ];
  it.each(cases)('rejects %s with a stable code and writes nothing', async (_label, items, caller, code, field, asksRouter) => {
    const before = await rowCounts();
    router.calls.length = 0;
    const res = await q(PLACE, { input: { items } }, caller === 'customer' ? CUSTOMER(freshCustomer()) : caller);
    expect(errorCodes(res)).toEqual([code]);
    expect(res.data).toBeNull();
    if (field) expect(res.errors![0]!.extensions!.field).toBe(field);
    expect(JSON.stringify(res.errors)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|fetch|prisma/i);
    expect(router.calls.length).toBe(asksRouter ? 1 : 0);
    expect(await rowCounts()).toEqual(before);
  });

  it('names the product and the problem in each message', async () => {
    const place = (items: unknown[]) => q(PLACE, { input: { items } }, CUSTOMER(freshCustomer()));
    const unknown = await place([line(APPLE), line(UNKNOWN_PRODUCT)]);
    expect(unknown.errors![0]!.message).toBe(unknownProduct(1, UNKNOWN_PRODUCT).message);
    expect(unknown.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', productId: UNKNOWN_PRODUCT });
    expect((await place([line(APPLE, -1)])).errors![0]!.message).toBe(invalidQuantity(0).message);
    expect((await place([line(APPLE), line(APPLE)])).errors![0]!.extensions).toMatchObject({ productId: APPLE });
    expect((await place([line(APPLE), line(APPLE)])).errors![0]!.message).toBe(duplicateProduct(1, APPLE).message);
    expect((await place(MANY.map((id) => line(id)))).errors![0]!.message).toBe(invalidItemCount(51).message);
    expect((await place([line(APPLE), line(EURO_WINE)])).errors![0]!.message).toBe(mixedCurrencies(['EUR', 'USD']).message);
    expect((await place([line(HANGING_PRODUCT)])).errors![0]!.message).toBe(catalogUnavailable().message);
  });

  it('accepts exactly 50 items and 1000 of one product', async () => {
    const res = await q(PLACE, { input: { items: MANY.slice(0, 50).map((id, i) => line(id, i === 0 ? 1000 : 1)) } }, CUSTOMER(freshCustomer()));
    expect(res.errors).toBeUndefined();
    expect(res.data!.placeOrder.items).toHaveLength(50);
    expect(res.data!.placeOrder.total.amount).toBe((1000 + 49) * 100);
  });

  it('treats a product id in capitals as the same product', async () => {
    const res = await q(PLACE, { input: { items: [line(APPLE), line(APPLE.toUpperCase())] } }, CUSTOMER(freshCustomer()));
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    const upper = await q(PLACE, { input: { items: [line(CHEESE.toUpperCase())] } }, CUSTOMER(freshCustomer()));
    expect(upper.data!.placeOrder.items[0].product.id).toBe(CHEESE);
  });
});

describe('router down', () => {
  let downUrl: string;
  let stopDown: () => Promise<void>;

  beforeAll(async () => {
    const closedPort = await freePort(); // nothing listens there
    const down = createOrdersSubgraph({
      databaseUrl: subgraph.db.url,
      logger: createLogger({ level: 'silent' }),
      routerUrl: `http://127.0.0.1:${closedPort}/graphql`,
      jwtSecret: SECRET,
      requestSigning: { secrets: [subgraph.signingSecret!] },
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

  it('answers SERVICE_UNAVAILABLE and writes nothing', async () => {
    const before = await rowCounts();
    const res = await graphql(downUrl, PLACE, { input: { items: [{ productId: APPLE, quantity: 1 }] } }, CUSTOMER(freshCustomer()));
    expect(errorCodes(res)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(res.errors![0]!.message).toBe(catalogUnavailable().message);
    expect(JSON.stringify(res.errors)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|fetch/);
    expect(await rowCounts()).toEqual(before);
  });
});

describe('cancelOrder', () => {
  it('lets the owner cancel a PENDING order once; cancelling again is a CONFLICT', async () => {
    const customer = freshCustomer();
    const id = await placeFor(customer);
    const res = await q(CANCEL, { id }, CUSTOMER(customer));
    expect(res.errors).toBeUndefined();
    expect(res.data!.cancelOrder).toEqual({ id, status: 'CANCELLED' });
    expect((await db.order.findUniqueOrThrow({ where: { id } })).status).toBe('CANCELLED');
    const again = await q(CANCEL, { id }, CUSTOMER(customer));
    expect(errorCodes(again)).toEqual(['CONFLICT']);
    expect(again.errors![0]!.message).toBe(notCancellable(id, 'CANCELLED').message);
  });

  it('lets an admin cancel anyone’s PENDING order', async () => {
    const id = await placeFor(freshCustomer());
    const res = await q(CANCEL, { id }, ADMIN());
    expect(res.data!.cancelOrder.status).toBe('CANCELLED');
  });

  it('refuses a PAID order with CONFLICT', async () => {
    const paid = DEMO_ORDERS.find((o) => o.payment === 'APPROVED')!;
    const res = await q(CANCEL, { id: paid.id }, CUSTOMER(seedId('user', paid.userN)));
    expect(errorCodes(res)).toEqual(['CONFLICT']);
    expect(res.errors![0]!.message).toBe(notCancellable(paid.id, 'PAID').message);
    expect((await db.order.findUniqueOrThrow({ where: { id: paid.id } })).status).toBe('PAID');
  });

  it.each([
    ['another customer', () => CUSTOMER(seedId('user', 40)), 'FORBIDDEN'],
    ['a service', () => SERVICE, 'FORBIDDEN'],
    ['an anonymous caller', () => ({}), 'UNAUTHENTICATED'],
  ])('refuses %s and leaves the order PENDING', async (_label, headers, code) => {
    const id = await placeFor(freshCustomer());
    const res = await q(CANCEL, { id }, headers());
    expect(errorCodes(res)).toEqual([code]);
    expect((await db.order.findUniqueOrThrow({ where: { id } })).status).toBe('PENDING');
  });

  it('answers NOT_FOUND for an unknown id and BAD_USER_INPUT for a malformed one', async () => {
    expect(errorCodes(await q(CANCEL, { id: product(0) }, ADMIN()))).toEqual(['NOT_FOUND']);
    const malformed = await q(CANCEL, { id: 'nope' }, ADMIN());
    expect(errorCodes(malformed)).toEqual(['BAD_USER_INPUT']);
    expect(malformed.errors![0]!.extensions!.field).toBe('id');
  });
});

describe('markOrderPaid', () => {
  const paymentA = '00000000-0000-4000-8000-0000000a0001';
  const paymentB = '00000000-0000-4000-8000-0000000b0001';

  it('marks a PENDING order PAID for a service, and answers a retry with the same payment unchanged', async () => {
    const id = await placeFor(freshCustomer());
    const res = await q(MARK_PAID, { orderId: id, paymentId: paymentA }, SERVICE);
    expect(res.errors).toBeUndefined();
    expect(res.data!.markOrderPaid).toMatchObject({ id, status: 'PAID' });
    const row = await db.order.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'PAID', paymentId: paymentA });
    expect(row.paidAt).toBeInstanceOf(Date);
    expect(row.updatedAt.getTime()).toBeGreaterThan(row.createdAt.getTime());

    const retry = await q(MARK_PAID, { orderId: id, paymentId: paymentA.toUpperCase() }, SERVICE);
    expect(retry.errors).toBeUndefined();
    expect(retry.data!.markOrderPaid).toEqual(res.data!.markOrderPaid);
    expect(await db.order.findUniqueOrThrow({ where: { id } })).toEqual(row);

    const other = await q(MARK_PAID, { orderId: id, paymentId: paymentB }, SERVICE);
    expect(errorCodes(other)).toEqual(['CONFLICT']);
    expect(other.errors![0]!.message).toBe(paidByAnotherPayment(id).message);
    expect(await db.order.findUniqueOrThrow({ where: { id } })).toEqual(row);
  });

  it('refuses a CANCELLED order with CONFLICT', async () => {
    const customer = freshCustomer();
    const id = await placeFor(customer);
    await q(CANCEL, { id }, CUSTOMER(customer));
    const res = await q(MARK_PAID, { orderId: id, paymentId: '00000000-0000-4000-8000-0000000a0002' }, SERVICE);
    expect(errorCodes(res)).toEqual(['CONFLICT']);
    expect(res.errors![0]!.message).toBe(cancelledOrderCannotBePaid(id).message);
    expect(await db.order.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'CANCELLED', paymentId: null, paidAt: null });
  });

  it('refuses a payment that already paid another order with CONFLICT', async () => {
    const first = await placeFor(freshCustomer());
    const second = await placeFor(freshCustomer());
    const payment = '00000000-0000-4000-8000-0000000a0003';
    expect((await q(MARK_PAID, { orderId: first, paymentId: payment }, SERVICE)).errors).toBeUndefined();
    expect(errorCodes(await q(MARK_PAID, { orderId: second, paymentId: payment }, SERVICE))).toEqual(['CONFLICT']);
    expect((await db.order.findUniqueOrThrow({ where: { id: second } })).status).toBe('PENDING');
  });

  it('lets exactly one of two concurrent payments win', async () => {
    const id = await placeFor(freshCustomer());
    const payments = ['00000000-0000-4000-8000-0000000a0004', '00000000-0000-4000-8000-0000000a0005'];
    const results = await Promise.all(payments.map((paymentId) => q(MARK_PAID, { orderId: id, paymentId }, SERVICE)));
    expect(results.map((r) => (r.errors ? errorCodes(r)[0] : 'OK')).sort()).toEqual(['CONFLICT', 'OK']);
    const winner = payments[results.findIndex((r) => !r.errors)];
    expect((await db.order.findUniqueOrThrow({ where: { id } })).paymentId).toBe(winner);
  });

  it.each([
    ['the owner', (owner: string) => CUSTOMER(owner), 'FORBIDDEN'],
    ['an admin', () => ADMIN(), 'FORBIDDEN'],
    ['an anonymous caller', () => ({}), 'UNAUTHENTICATED'],
  ])('is SERVICE only: refuses %s', async (_label, headers, code) => {
    const owner = freshCustomer();
    const id = await placeFor(owner);
    const res = await q(MARK_PAID, { orderId: id, paymentId: '00000000-0000-4000-8000-0000000a0006' }, headers(owner));
    expect(errorCodes(res)).toEqual([code]);
    expect((await db.order.findUniqueOrThrow({ where: { id } })).status).toBe('PENDING');
  });

  describe("the order's reserved stock", () => {
    const inventory = () => router.inventory;
    const consumeCallsFor = (orderId: string) => inventory().consumeCalls.filter((call) => call.orderId === orderId);

    it('is marked sold through the router with a service token when the order is paid, and again on a retry', async () => {
      const id = await placeFor(freshCustomer());
      inventory().reservations.set(id, 'ACTIVE');
      const paymentId = '00000000-0000-4000-8000-0000000a0101';
      const res = await q(MARK_PAID, { orderId: id, paymentId }, SERVICE);
      expect(res.errors).toBeUndefined();
      expect(inventory().reservations.get(id)).toBe('CONSUMED');
      expect(consumeCallsFor(id)).toHaveLength(1);
      expect(consumeCallsFor(id)[0]!.authorization).toMatch(/^Bearer \S+$/);
      // inventory's consumeStock is idempotent: a retry asks again and is answered the same.
      const retry = await q(MARK_PAID, { orderId: id, paymentId }, SERVICE);
      expect(retry.data).toEqual(res.data);
      expect(consumeCallsFor(id)).toHaveLength(2);
    });

    it('unreachable: the order is PAID, the answer SERVICE_UNAVAILABLE, and the same payment again finishes it', async () => {
      const id = await placeFor(freshCustomer());
      inventory().reservations.set(id, 'ACTIVE');
      inventory().unreachable.add(id);
      const paymentId = '00000000-0000-4000-8000-0000000a0102';
      const res = await q(MARK_PAID, { orderId: id, paymentId }, SERVICE);
      expect(errorCodes(res)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(res.errors![0]!.message).toBe(inventoryUnavailable(id).message);
      expect(await db.order.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'PAID', paymentId });
      expect(inventory().reservations.get(id)).toBe('ACTIVE');

      inventory().unreachable.delete(id);
      const retry = await q(MARK_PAID, { orderId: id, paymentId }, SERVICE);
      expect(retry.errors).toBeUndefined();
      expect(retry.data!.markOrderPaid).toMatchObject({ id, status: 'PAID' });
      expect(inventory().reservations.get(id)).toBe('CONSUMED');
    });

    it('pays an order that never reserved or whose reservation was released (nothing to retry); a cancelled one asks nothing', async () => {
      const never = await placeFor(freshCustomer());
      const released = await placeFor(freshCustomer());
      inventory().reservations.set(released, 'RELEASED');
      expect((await q(MARK_PAID, { orderId: never, paymentId: '00000000-0000-4000-8000-0000000a0103' }, SERVICE)).errors).toBeUndefined();
      expect((await q(MARK_PAID, { orderId: released, paymentId: '00000000-0000-4000-8000-0000000a0104' }, SERVICE)).errors).toBeUndefined();
      expect([consumeCallsFor(never).length, consumeCallsFor(released).length]).toEqual([1, 1]);
      expect(inventory().reservations.get(released)).toBe('RELEASED');

      const customer = freshCustomer();
      const cancelled = await placeFor(customer);
      await q(CANCEL, { id: cancelled }, CUSTOMER(customer));
      expect(errorCodes(await q(MARK_PAID, { orderId: cancelled, paymentId: '00000000-0000-4000-8000-0000000a0105' }, SERVICE))).toEqual(['CONFLICT']);
      expect(consumeCallsFor(cancelled)).toEqual([]);
    });
  });

  it('answers NOT_FOUND for an unknown order and BAD_USER_INPUT for malformed ids', async () => {
    expect(errorCodes(await q(MARK_PAID, { orderId: product(0), paymentId: paymentA }, SERVICE))).toEqual(['NOT_FOUND']);
    const badOrder = await q(MARK_PAID, { orderId: 'x', paymentId: paymentA }, SERVICE);
    expect(badOrder.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'orderId' });
    const badPayment = await q(MARK_PAID, { orderId: DEMO_ORDERS[0]!.id, paymentId: 'pay_1' }, SERVICE);
    expect(badPayment.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'paymentId' });
  });
});

describe('router price list', () => {
  it('gives up after its timeout instead of hanging', async () => {
    const prices = createRouterPriceList({ routerUrl: router.url, token: async () => 't', timeoutMs: 200 });
    const started = Date.now();
    await expect(prices.pricesOf([APPLE, HANGING_PRODUCT])).rejects.toBeInstanceOf(PriceListUnavailableError);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('sends a pre-minted SERVICE_TOKEN as is, and reports unknown products as null', async () => {
    router.calls.length = 0;
    const prices = createRouterPriceList({ routerUrl: router.url, token: createServiceTokenSource({ serviceToken: 'pre-minted' }) });
    expect(await prices.pricesOf([APPLE, UNKNOWN_PRODUCT])).toEqual(new Map([[APPLE, INITIAL_PRICES[APPLE]], [UNKNOWN_PRODUCT, null]]));
    expect(router.calls.map((c) => c.authorization)).toEqual(['Bearer pre-minted']);
  });

  it('sends one fixed document, the one its manifest lists, whatever the number of products', async () => {
    router.calls.length = 0;
    const prices = createRouterPriceList({ routerUrl: router.url, token: async () => 't' });
    await prices.pricesOf([APPLE]);
    await prices.pricesOf(MANY.slice(0, PRICES_MAX_IDS));
    expect(router.calls.map((c) => c.query)).toEqual([PRICES_QUERY, PRICES_QUERY]);
    expect(router.calls[1]!.ids).toEqual(MANY.slice(0, PRICES_MAX_IDS));
    const manifest = JSON.parse(readFileSync(new URL('../persisted-operations.json', import.meta.url), 'utf8')) as { operations: { name: string; document: string }[] };
    expect(manifest.operations.find((o) => o.name === 'OrdersPrices')?.document).toBe(PRICES_QUERY);
  });

  it('takes every order the subgraph accepts, and refuses more ids than one page without asking', async () => {
    expect(MAX_ITEMS).toBeLessThanOrEqual(PRICES_MAX_IDS);
    router.calls.length = 0;
    const prices = createRouterPriceList({ routerUrl: router.url, token: async () => 't' });
    await expect(prices.pricesOf(MANY.slice(0, PRICES_MAX_IDS + 1))).rejects.toThrow(`pricesOf takes at most ${PRICES_MAX_IDS} product ids (one OrdersPrices page); got ${PRICES_MAX_IDS + 1}`);
    expect(router.calls).toHaveLength(0);
  });

  it('takes a product it did not ask for as a broken answer, not a price', async () => {
    const prices = createRouterPriceList({ routerUrl: router.url, token: async () => 't' });
    await expect(prices.pricesOf([BREAD, STRAY_PRODUCT])).rejects.toThrow(new PriceListUnavailableError(`router answered with products that were not asked for: ${APPLE}`));
  });
});
