import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClientOptions, seedId } from '@store/db';
import { ADMIN, asIdentity, CUSTOMER, errorCodes, graphql, startSubgraphForTest, type TestSubgraph } from '@store/testkit';
import { PrismaClient } from '../generated/prisma/client.ts';
import { seedInventory } from '../prisma/seed.ts';
import { differentReservation, insufficientStock, reservationConsumed, reservationNotFound, reservationReleased } from '../src/errors.ts';
import { createInventorySubgraph } from '../src/server.ts';

const [AMS, CHI, SIN] = [1, 2, 3].map((n) => seedId('warehouse', n)) as [string, string, string];
const SERVICE = asIdentity({ sub: 'service:orders', role: 'SERVICE', scopes: [] });

let subgraph: TestSubgraph;
let db: PrismaClient;

beforeAll(async () => {
  subgraph = await startSubgraphForTest(
    'inventory',
    // Reservations never ask the router; a closed port proves it.
    (options) => createInventorySubgraph({ ...options, routerUrl: 'http://127.0.0.1:9/graphql' }),
    async (url) => {
      const client = new PrismaClient(createPrismaClientOptions(url));
      await seedInventory(client);
      await client.$disconnect();
    },
  );
  db = new PrismaClient(createPrismaClientOptions(subgraph.db.url));
});
afterAll(async () => {
  await db?.$disconnect();
  await subgraph?.stop();
});

const q = (query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) => graphql(subgraph.url, query, variables, headers);

const RESERVATION = 'orderId status items { product { id } warehouse { id code } quantity }';
const reserve = (orderId: string, items: { productId: string; quantity: number }[], headers = SERVICE) =>
  q(`mutation($orderId: ID!, $items: [ReservationItemInput!]!) { reserveStock(orderId: $orderId, items: $items) { ${RESERVATION} } }`, { orderId, items }, headers);
const release = (orderId: string, headers = SERVICE) => q(`mutation($orderId: ID!) { releaseStock(orderId: $orderId) { ${RESERVATION} } }`, { orderId }, headers);
const consume = (orderId: string, headers = SERVICE) => q(`mutation($orderId: ID!) { consumeStock(orderId: $orderId) { ${RESERVATION} } }`, { orderId }, headers);

/** A product of its own for one test: `[AMS-1, CHI-1, SIN-1]` units on hand. */
async function stockedProduct(quantities: [number, number, number]): Promise<string> {
  const productId = randomUUID();
  await db.stockLevel.createMany({ data: [AMS, CHI, SIN].map((warehouseId, i) => ({ warehouseId, productId, quantity: quantities[i]! })) });
  return productId;
}

async function availability(productIds: string[]): Promise<{ inStock: boolean; quantityAvailable: number; reservedQuantity: number }[]> {
  const res = await q('query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { inStock quantityAvailable reservedQuantity } } }', {
    r: productIds.map((id) => ({ __typename: 'Product', id })),
  });
  expect(res.errors).toBeUndefined();
  return res.data!._entities;
}

async function snapshot() {
  return {
    levels: await db.stockLevel.findMany({ orderBy: [{ productId: 'asc' }, { warehouseId: 'asc' }] }),
    reservations: await db.stockReservation.findMany({ orderBy: { id: 'asc' } }),
  };
}

const codeOf = (res: Awaited<ReturnType<typeof q>>) => (res.errors ? errorCodes(res).join(',') : 'OK');

describe('reserveStock', () => {
  it('holds units greedily in warehouse code order and lowers quantityAvailable', async () => {
    const product = await stockedProduct([2, 5, 5]);
    const other = await stockedProduct([0, 0, 3]);
    const orderId = randomUUID();
    const res = await reserve(orderId, [
      { productId: product, quantity: 4 },
      { productId: other, quantity: 3 },
    ]);
    expect(res.errors).toBeUndefined();
    const items = res.data!.reserveStock.items;
    expect(res.data!.reserveStock).toMatchObject({ orderId, status: 'ACTIVE' });
    expect(items.filter((i: any) => i.product.id === product)).toEqual([
      { product: { id: product }, warehouse: { id: AMS, code: 'AMS-1' }, quantity: 2 },
      { product: { id: product }, warehouse: { id: CHI, code: 'CHI-1' }, quantity: 2 },
    ]);
    expect(items.filter((i: any) => i.product.id === other)).toEqual([{ product: { id: other }, warehouse: { id: SIN, code: 'SIN-1' }, quantity: 3 }]);
    expect(await availability([product, other])).toEqual([
      { inStock: true, quantityAvailable: 8, reservedQuantity: 4 },
      { inStock: false, quantityAvailable: 0, reservedQuantity: 3 },
    ]);
    // On-hand stock is untouched: reservations are subtracted, not written into stock_levels.
    expect((await db.stockLevel.findMany({ where: { productId: product } })).reduce((sum, l) => sum + l.quantity, 0)).toBe(12);
  });

  it('lets the next order take only what is left', async () => {
    const product = await stockedProduct([3, 0, 0]);
    expect(codeOf(await reserve(randomUUID(), [{ productId: product, quantity: 2 }]))).toBe('OK');
    const res = await reserve(randomUUID(), [{ productId: product, quantity: 2 }]);
    expect(errorCodes(res)).toEqual(['CONFLICT']);
    expect(res.errors![0]!.extensions).toMatchObject({ productId: product, requested: 2, available: 1 });
    expect(codeOf(await reserve(randomUUID(), [{ productId: product, quantity: 1 }]))).toBe('OK');
    expect(await availability([product])).toEqual([{ inStock: false, quantityAvailable: 0, reservedQuantity: 3 }]);
  });

  it('is all or nothing: one item short of stock reserves nothing, naming that product', async () => {
    const plenty = await stockedProduct([10, 10, 10]);
    const scarce = await stockedProduct([1, 1, 0]);
    const before = await snapshot();
    const orderId = randomUUID();
    const res = await reserve(orderId, [
      { productId: plenty, quantity: 5 },
      { productId: scarce, quantity: 3 },
    ]);
    expect(errorCodes(res)).toEqual(['CONFLICT']);
    expect(res.data).toBeNull();
    expect(res.errors![0]!.message).toBe(insufficientStock(scarce, 3, 2).message);
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', productId: scarce });
    expect(await snapshot()).toEqual(before);
    expect(await availability([plenty, scarce])).toEqual([
      { inStock: true, quantityAvailable: 30, reservedQuantity: 0 },
      { inStock: true, quantityAvailable: 2, reservedQuantity: 0 },
    ]);
  });

  it('answers CONFLICT for a product no warehouse holds', async () => {
    const unknown = randomUUID();
    const res = await reserve(randomUUID(), [{ productId: unknown, quantity: 1 }]);
    expect(errorCodes(res)).toEqual(['CONFLICT']);
    expect(res.errors![0]!.extensions).toMatchObject({ productId: unknown, requested: 1, available: 0 });
  });

  it('is idempotent: the same call again returns the same reservation and holds nothing more', async () => {
    const product = await stockedProduct([4, 4, 0]);
    const orderId = randomUUID();
    const items = [{ productId: product, quantity: 6 }];
    const first = await reserve(orderId, items);
    expect(first.errors).toBeUndefined();
    const again = await reserve(orderId, items);
    expect(again.errors).toBeUndefined();
    expect(again.data).toEqual(first.data);
    expect(await db.stockReservation.count({ where: { orderId } })).toBe(2);
    expect(await availability([product])).toEqual([{ inStock: true, quantityAvailable: 2, reservedQuantity: 6 }]);
  });

  it('treats concurrent retries for one order as one reservation', async () => {
    const product = await stockedProduct([5, 0, 0]);
    const orderId = randomUUID();
    const results = await Promise.all(Array.from({ length: 4 }, () => reserve(orderId, [{ productId: product, quantity: 3 }])));
    expect(results.map(codeOf)).toEqual(['OK', 'OK', 'OK', 'OK']);
    expect(await db.stockReservation.findMany({ where: { orderId }, select: { quantity: true } })).toEqual([{ quantity: 3 }]);
  });

  it('refuses other items for an order that already holds a reservation, with CONFLICT', async () => {
    const product = await stockedProduct([5, 0, 0]);
    const orderId = randomUUID();
    expect(codeOf(await reserve(orderId, [{ productId: product, quantity: 1 }]))).toBe('OK');
    const before = await snapshot();
    const res = await reserve(orderId, [{ productId: product, quantity: 2 }]);
    expect(errorCodes(res)).toEqual(['CONFLICT']);
    expect(res.errors![0]!.message).toBe(differentReservation(orderId).message);
    expect(await snapshot()).toEqual(before);
  });

  it('never oversells: two orders for the last units at once, exactly one wins', async () => {
    for (let round = 0; round < 5; round++) {
      const product = await stockedProduct([1, 1, 0]);
      const results = await Promise.all([reserve(randomUUID(), [{ productId: product, quantity: 2 }]), reserve(randomUUID(), [{ productId: product, quantity: 2 }])]);
      expect(results.map(codeOf).sort()).toEqual(['CONFLICT', 'OK']);
      const held = await db.stockReservation.aggregate({ where: { productId: product, status: 'ACTIVE' }, _sum: { quantity: true } });
      expect(held._sum.quantity).toBe(2);
    }
  });

  it('never oversells under many concurrent one-unit orders', async () => {
    const product = await stockedProduct([2, 1, 1]);
    const results = await Promise.all(Array.from({ length: 10 }, () => reserve(randomUUID(), [{ productId: product, quantity: 1 }])));
    const codes = results.map(codeOf);
    expect(codes.filter((c) => c === 'OK')).toHaveLength(4);
    expect(codes.filter((c) => c === 'CONFLICT')).toHaveLength(6);
    const rows = await db.stockReservation.groupBy({ by: ['warehouseId'], where: { productId: product, status: 'ACTIVE' }, _sum: { quantity: true } });
    expect(Object.fromEntries(rows.map((r) => [r.warehouseId, r._sum.quantity]))).toEqual({ [AMS]: 2, [CHI]: 1, [SIN]: 1 });
    expect(await availability([product])).toEqual([{ inStock: false, quantityAvailable: 0, reservedQuantity: 4 }]);
  });

  it('does not deadlock when orders lock the same products in opposite order', async () => {
    const a = await stockedProduct([50, 0, 0]);
    const b = await stockedProduct([0, 50, 0]);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        reserve(
          randomUUID(),
          i % 2
            ? [
                { productId: a, quantity: 1 },
                { productId: b, quantity: 1 },
              ]
            : [
                { productId: b, quantity: 1 },
                { productId: a, quantity: 1 },
              ],
        ),
      ),
    );
    expect(results.map(codeOf)).toEqual(Array(8).fill('OK'));
    expect(await availability([a, b])).toEqual([
      { inStock: true, quantityAvailable: 42, reservedQuantity: 8 },
      { inStock: true, quantityAvailable: 42, reservedQuantity: 8 },
    ]);
  });

  const product = seedId('product', 1);
  const cases: [string, unknown[], string, string][] = [
    ['a quantity of 0', [{ productId: product, quantity: 0 }], 'BAD_USER_INPUT', 'items[0].quantity'],
    ['a negative quantity', [{ productId: product, quantity: -1 }], 'BAD_USER_INPUT', 'items[0].quantity'],
    ['a quantity over 1000', [{ productId: product, quantity: 1001 }], 'BAD_USER_INPUT', 'items[0].quantity'],
    ['the same product twice', [{ productId: product, quantity: 1 }, { productId: product.toUpperCase(), quantity: 1 }], 'BAD_USER_INPUT', 'items[1].productId'],
    ['a malformed product id', [{ productId: 'SKU-0001', quantity: 1 }], 'BAD_USER_INPUT', 'items[0].productId'],
    ['no items', [], 'BAD_USER_INPUT', 'items'],
    ['over 100 items', Array.from({ length: 101 }, () => ({ productId: randomUUID(), quantity: 1 })), 'BAD_USER_INPUT', 'items'],
  ];
  it.each(cases)('rejects %s with a stable code and changes no row', async (_label, items, code, field) => {
    const before = await snapshot();
    const res = await reserve(randomUUID(), items as { productId: string; quantity: number }[]);
    expect(errorCodes(res)).toEqual([code]);
    expect(res.errors![0]!.extensions!.field).toBe(field);
    expect(await snapshot()).toEqual(before);
  });

  it('rejects a malformed order id', async () => {
    const before = await snapshot();
    const res = await reserve('order-1', [{ productId: product, quantity: 1 }]);
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.extensions!.field).toBe('orderId');
    expect(await snapshot()).toEqual(before);
  });
});

describe('releaseStock', () => {
  it('gives the units back (quantityAvailable returns) and is idempotent', async () => {
    const product = await stockedProduct([3, 3, 0]);
    const orderId = randomUUID();
    expect(codeOf(await reserve(orderId, [{ productId: product, quantity: 4 }]))).toBe('OK');
    expect(await availability([product])).toEqual([{ inStock: true, quantityAvailable: 2, reservedQuantity: 4 }]);

    const first = await release(orderId);
    expect(first.errors).toBeUndefined();
    expect(first.data!.releaseStock).toEqual({
      orderId,
      status: 'RELEASED',
      items: [
        { product: { id: product }, warehouse: { id: AMS, code: 'AMS-1' }, quantity: 3 },
        { product: { id: product }, warehouse: { id: CHI, code: 'CHI-1' }, quantity: 1 },
      ],
    });
    expect(await availability([product])).toEqual([{ inStock: true, quantityAvailable: 6, reservedQuantity: 0 }]);
    const rows = await db.stockReservation.findMany({ where: { orderId } });
    expect(rows.every((r) => r.status === 'RELEASED' && r.releasedAt instanceof Date)).toBe(true);

    const before = await snapshot();
    const again = await release(orderId);
    expect(again.data).toEqual(first.data);
    expect(await snapshot()).toEqual(before);
  });

  it('answers NOT_FOUND for an order that never reserved, BAD_USER_INPUT for a malformed id', async () => {
    const orderId = randomUUID();
    const res = await release(orderId);
    expect(errorCodes(res)).toEqual(['NOT_FOUND']);
    expect(res.errors![0]!.message).toBe(reservationNotFound(orderId).message);
    expect(errorCodes(await release('nope'))).toEqual(['BAD_USER_INPUT']);
  });

  it('lets a released order reserve again, replacing the released rows', async () => {
    const product = await stockedProduct([2, 2, 0]);
    const orderId = randomUUID();
    expect(codeOf(await reserve(orderId, [{ productId: product, quantity: 3 }]))).toBe('OK');
    expect(codeOf(await release(orderId))).toBe('OK');
    const again = await reserve(orderId, [{ productId: product, quantity: 1 }]);
    expect(again.errors).toBeUndefined();
    expect(again.data!.reserveStock).toMatchObject({ status: 'ACTIVE', items: [{ warehouse: { code: 'AMS-1' }, quantity: 1 }] });
    expect(await db.stockReservation.findMany({ where: { orderId }, select: { status: true, quantity: true } })).toEqual([{ status: 'ACTIVE', quantity: 1 }]);
    expect(await availability([product])).toEqual([{ inStock: true, quantityAvailable: 3, reservedQuantity: 1 }]);
  });

  it('refuses to release or re-reserve a consumed reservation', async () => {
    const product = await stockedProduct([2, 0, 0]);
    const orderId = randomUUID();
    expect(codeOf(await reserve(orderId, [{ productId: product, quantity: 1 }]))).toBe('OK');
    await db.stockReservation.updateMany({ where: { orderId }, data: { status: 'CONSUMED' } });
    const res = await release(orderId);
    expect(errorCodes(res)).toEqual(['CONFLICT']);
    expect(res.errors![0]!.message).toBe(reservationConsumed(orderId).message);
    expect(errorCodes(await reserve(orderId, [{ productId: product, quantity: 1 }]))).toEqual(['CONFLICT']);
  });
});

describe('consumeStock', () => {
  const levelsOf = async (productId: string) =>
    (await db.stockLevel.findMany({ where: { productId }, orderBy: { warehouseId: 'asc' } })).map((level) => level.quantity);

  it('sells the held units: each stock level loses them, availability stays, and a repeat changes nothing', async () => {
    const product = await stockedProduct([3, 3, 0]);
    const orderId = randomUUID();
    expect(codeOf(await reserve(orderId, [{ productId: product, quantity: 4 }]))).toBe('OK');
    expect(await availability([product])).toEqual([{ inStock: true, quantityAvailable: 2, reservedQuantity: 4 }]);

    const first = await consume(orderId);
    expect(first.errors).toBeUndefined();
    expect(first.data!.consumeStock).toEqual({
      orderId,
      status: 'CONSUMED',
      items: [
        { product: { id: product }, warehouse: { id: AMS, code: 'AMS-1' }, quantity: 3 },
        { product: { id: product }, warehouse: { id: CHI, code: 'CHI-1' }, quantity: 1 },
      ],
    });
    expect(await levelsOf(product)).toEqual([0, 2, 0]);
    expect(await availability([product])).toEqual([{ inStock: true, quantityAvailable: 2, reservedQuantity: 0 }]);

    const before = await snapshot();
    const again = await consume(orderId);
    expect(again.data).toEqual(first.data);
    expect(await snapshot()).toEqual(before);
    // Sold units cannot be given back or held again.
    expect(errorCodes(await release(orderId))).toEqual(['CONFLICT']);
  });

  it('takes the units once when the same order is consumed twice at the same time', async () => {
    const product = await stockedProduct([5, 0, 0]);
    const orderId = randomUUID();
    expect(codeOf(await reserve(orderId, [{ productId: product, quantity: 2 }]))).toBe('OK');
    const results = await Promise.all([consume(orderId), consume(orderId)]);
    expect(results.map(codeOf)).toEqual(['OK', 'OK']);
    expect(await levelsOf(product)).toEqual([3, 0, 0]);
  });

  it('answers null for an order that never reserved, CONFLICT for a released one, changing nothing', async () => {
    const product = await stockedProduct([2, 0, 0]);
    const released = randomUUID();
    expect(codeOf(await reserve(released, [{ productId: product, quantity: 1 }]))).toBe('OK');
    expect(codeOf(await release(released))).toBe('OK');
    const before = await snapshot();

    const never = await consume(randomUUID());
    expect(never.errors).toBeUndefined();
    expect(never.data).toEqual({ consumeStock: null });
    const res = await consume(released);
    expect(errorCodes(res)).toEqual(['CONFLICT']);
    expect(res.errors![0]!.message).toBe(reservationReleased(released).message);
    expect(errorCodes(await consume('nope'))).toEqual(['BAD_USER_INPUT']);
    expect(await snapshot()).toEqual(before);
  });

  it('leaves a stock level a manual correction lowered below what it held at 0, not failing', async () => {
    const product = await stockedProduct([3, 0, 0]);
    const orderId = randomUUID();
    expect(codeOf(await reserve(orderId, [{ productId: product, quantity: 3 }]))).toBe('OK');
    await db.stockLevel.updateMany({ where: { productId: product, warehouseId: AMS }, data: { quantity: 1 } });
    expect(codeOf(await consume(orderId))).toBe('OK');
    expect(await levelsOf(product)).toEqual([0, 0, 0]);
  });

  it.each([
    ['an anonymous caller', {}, 'UNAUTHENTICATED'],
    ['a customer', CUSTOMER('00000000-0000-4000-8000-00000000c001'), 'FORBIDDEN'],
    ['an admin', ADMIN(), 'FORBIDDEN'],
  ])('is SERVICE only: refuses %s, changing nothing', async (_label, headers, code) => {
    const product = await stockedProduct([1, 0, 0]);
    const orderId = randomUUID();
    expect(codeOf(await reserve(orderId, [{ productId: product, quantity: 1 }]))).toBe('OK');
    const held = await snapshot();
    expect(errorCodes(await consume(orderId, headers as Record<string, string>))).toEqual([code]);
    expect(await snapshot()).toEqual(held);
  });
});

describe('access', () => {
  const callers: [string, Record<string, string>, string][] = [
    ['an anonymous caller', {}, 'UNAUTHENTICATED'],
    ['a customer', CUSTOMER('00000000-0000-4000-8000-00000000c001'), 'FORBIDDEN'],
    ['an admin', ADMIN(), 'FORBIDDEN'],
  ];

  it.each(callers)('refuses reserveStock and releaseStock to %s, changing nothing', async (_label, headers, code) => {
    const product = await stockedProduct([5, 0, 0]);
    const orderId = randomUUID();
    const before = await snapshot();
    expect(errorCodes(await reserve(orderId, [{ productId: product, quantity: 1 }], headers))).toEqual([code]);
    expect(await snapshot()).toEqual(before);

    expect(codeOf(await reserve(orderId, [{ productId: product, quantity: 1 }]))).toBe('OK');
    const held = await snapshot();
    expect(errorCodes(await release(orderId, headers))).toEqual([code]);
    expect(await snapshot()).toEqual(held);
  });
});
