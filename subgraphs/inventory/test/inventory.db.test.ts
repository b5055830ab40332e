import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, createTokenVerifier } from '@store/core';
import { createPrismaClientOptions, DEMO, freePort, seedId } from '@store/db';
import { createServiceTokenSource } from '@store/subgraph-kit';
import { ADMIN, asIdentity, CUSTOMER, errorCodes, graphql, startFakeRouter, signRequestsTo, startSubgraphForTest, type FakeRouter, type TestSubgraph } from '@store/testkit';
import { PrismaClient } from '../generated/prisma/client.ts';
import { DEMO_WAREHOUSES, isDemoSoldOut, seedInventory } from '../prisma/seed.ts';
import { catalogUnavailable, invalidRestockQuantity, stockLimitReached, unknownProduct, unknownWarehouse } from '../src/errors.ts';
import { createRouterProductDirectory } from '../src/product-directory.ts';
import { createInventorySubgraph } from '../src/server.ts';

const SECRET = 'inventory-test-secret-0123456789-abcdefghij';
const PRODUCT_1 = seedId('product', 1);
const SOLD_OUT = seedId('product', 20); // every 20th demo product has no stock
const NEW_PRODUCT = '00000000-0000-4000-8000-00000000f00d'; // known to the fake router, no stock rows
const UNKNOWN_PRODUCT = '00000000-0000-4000-8000-00000000dead'; // unknown to the fake router
const BROKEN_PRODUCT = '00000000-0000-4000-8000-00000000e000'; // the fake router answers with errors
const UNKNOWN_WAREHOUSE = '00000000-0000-4000-8000-0000000000aa';
const [AMS, CHI, SIN] = [1, 2, 3].map((n) => seedId('warehouse', n)) as [string, string, string];
const KNOWN_PRODUCTS = new Set([NEW_PRODUCT, ...Array.from({ length: DEMO.products }, (_, i) => seedId('product', i + 1))]);
const SERVICE = asIdentity({ sub: 'service:orders', role: 'SERVICE', scopes: [] });

let router: FakeRouter;
let subgraph: TestSubgraph;
let db: PrismaClient;
let sqlStatements: string[] = [];

beforeAll(async () => {
  // Answers `product(id:)` from KNOWN_PRODUCTS, and with GraphQL errors for BROKEN_PRODUCT.
  router = await startFakeRouter(({ variables }) =>
    variables.id === BROKEN_PRODUCT
      ? { data: { product: null }, errors: [{ message: 'catalog is down', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }
      : { data: { product: KNOWN_PRODUCTS.has(variables.id as string) ? { id: variables.id } : null } },
  );
  subgraph = await startSubgraphForTest(
    'inventory',
    (options) => createInventorySubgraph({ ...options, routerUrl: router.url, jwtSecret: SECRET, onQuery: (event) => sqlStatements.push(event.sql) }),
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
  await router?.close();
});

const q = (query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) => graphql(subgraph.url, query, variables, headers);
const entities = (selection: string, representations: unknown[], headers?: Record<string, string>) =>
  q(`query($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`, { r: representations }, headers);
const product = (id: string, weight?: number, price?: { amount: number; currency: string }) => ({
  __typename: 'Product',
  id,
  ...(weight !== undefined && { weight }),
  ...(price !== undefined && { price }),
});

/** Every stock row and reservation, to prove a refused write changed nothing. */
async function snapshot() {
  const levels = await db.stockLevel.findMany({ orderBy: [{ productId: 'asc' }, { warehouseId: 'asc' }] });
  return { levels, reservations: await db.stockReservation.count() };
}

/** On hand per warehouse minus ACTIVE reservations there, floored at 0, summed (the documented rule). */
async function expectedAvailable(productId: string): Promise<number> {
  const levels = await db.stockLevel.findMany({ where: { productId } });
  const held = await db.stockReservation.groupBy({ by: ['warehouseId'], where: { productId, status: 'ACTIVE' }, _sum: { quantity: true } });
  const reserved = new Map(held.map((row) => [row.warehouseId, row._sum.quantity ?? 0]));
  return levels.reduce((sum, level) => sum + Math.max(0, level.quantity - (reserved.get(level.warehouseId) ?? 0)), 0);
}

describe('seed', () => {
  it('writes 3 warehouses and a stock level in each for every demo product, and is idempotent', async () => {
    const warehouses = await db.warehouse.findMany({ orderBy: { code: 'asc' } });
    expect(warehouses.map((w) => [w.id, w.code])).toEqual([
      [AMS, 'AMS-1'],
      [CHI, 'CHI-1'],
      [SIN, 'SIN-1'],
    ]);
    expect(await db.stockLevel.count()).toBe(3 * DEMO.products);
    expect(await seedInventory(db)).toEqual({ warehouses: 0, stockLevels: 0 });
    expect(await db.stockLevel.count()).toBe(3 * DEMO.products);
  });

  it('leaves about 5% of products with no stock anywhere, and every other product with some', async () => {
    const totals = await db.stockLevel.groupBy({ by: ['productId'], _sum: { quantity: true } });
    const soldOut = totals.filter((t) => t._sum.quantity === 0).map((t) => t.productId).sort();
    const expected = Array.from({ length: DEMO.products }, (_, i) => i + 1).filter(isDemoSoldOut).map((n) => seedId('product', n)).sort();
    expect(soldOut).toEqual(expected);
    expect(soldOut.length / DEMO.products).toBe(0.05);
  });

  it('is guarded by CHECK constraints, even for writers that bypass the subgraph', async () => {
    await expect(db.stockLevel.update({ where: { warehouseId_productId: { warehouseId: AMS, productId: PRODUCT_1 } }, data: { quantity: -1 } })).rejects.toThrow();
    const order = '00000000-0000-4000-8000-0000000c0c0c';
    await expect(db.stockReservation.create({ data: { orderId: order, productId: PRODUCT_1, warehouseId: AMS, quantity: 0 } })).rejects.toThrow();
    expect(await db.stockReservation.count({ where: { orderId: order } })).toBe(0);
    expect((await db.stockLevel.findUniqueOrThrow({ where: { warehouseId_productId: { warehouseId: AMS, productId: PRODUCT_1 } } })).quantity).toBeGreaterThanOrEqual(0);
  });
});

describe('warehouses', () => {
  it('lists every warehouse in code order, to anyone', async () => {
    const res = await q('{ warehouses { id code name city } }');
    expect(res.errors).toBeUndefined();
    expect(res.data!.warehouses).toEqual(DEMO_WAREHOUSES.map((w, i) => ({ id: seedId('warehouse', i + 1), ...w })));
  });
});

describe('_entities', () => {
  it('resolves warehouses by key, with null for unknown and malformed ids', async () => {
    const res = await entities('... on Warehouse { id code city }', [
      { __typename: 'Warehouse', id: SIN },
      { __typename: 'Warehouse', id: AMS },
      { __typename: 'Warehouse', id: UNKNOWN_WAREHOUSE },
      { __typename: 'Warehouse', id: 'AMS-1' },
    ]);
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([{ id: SIN, code: 'SIN-1', city: 'Singapore' }, { id: AMS, code: 'AMS-1', city: 'Amsterdam' }, null, null]);
  });

  it('adds inStock and quantityAvailable to products; no stock rows or a malformed id is 0 / false, not an error', async () => {
    const res = await entities('... on Product { id inStock quantityAvailable }', [product(PRODUCT_1), product(SOLD_OUT), product(NEW_PRODUCT), product('SKU-0001')]);
    expect(res.errors).toBeUndefined();
    const total = await expectedAvailable(PRODUCT_1);
    expect(total).toBeGreaterThan(0);
    expect(res.data!._entities).toEqual([
      { id: PRODUCT_1, inStock: true, quantityAvailable: total },
      { id: SOLD_OUT, inStock: false, quantityAvailable: 0 },
      { id: NEW_PRODUCT, inStock: false, quantityAvailable: 0 },
      { id: 'SKU-0001', inStock: false, quantityAvailable: 0 },
    ]);
  });

  it('matches the documented rule for every demo product', async () => {
    const ids = Array.from({ length: DEMO.products }, (_, i) => seedId('product', i + 1));
    const res = await entities('... on Product { id inStock quantityAvailable }', ids.map((id) => product(id)));
    expect(res.errors).toBeUndefined();
    const totals = await db.stockLevel.groupBy({ by: ['productId'], _sum: { quantity: true } });
    const byId = new Map(totals.map((t) => [t.productId, t._sum.quantity ?? 0]));
    for (const entity of res.data!._entities) {
      expect(entity.quantityAvailable).toBe(byId.get(entity.id)); // no reservations in this file
      expect(entity.inStock).toBe(entity.quantityAvailable > 0);
    }
  });

  it.each([
    ['a light, cheap product', 1, 1999, 'USD', 549],
    ['exactly 500 g', 500, 1999, 'USD', 549],
    ['one gram into the second step', 501, 1999, 'USD', 599],
    ['a heavy product', 4321, 4999, 'USD', 499 + 9 * 50],
    ['a weightless product', 0, 500, 'USD', 499],
    ['just under the free-shipping price', 2000, 9999, 'USD', 699],
    ['at the free-shipping price', 2000, 10000, 'USD', 0],
    ['above it, heavy', 5049, 25000, 'USD', 0],
    ['another currency', 1200, 3000, 'EUR', 649],
  ])('estimates shipping from the @requires fields: %s', async (_label, weight, amount, currency, expected) => {
    const res = await entities('... on Product { id shippingEstimate { amount currency } }', [product(PRODUCT_1, weight, { amount, currency })]);
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities[0]).toEqual({ id: PRODUCT_1, shippingEstimate: { amount: expected, currency } });
  });

  it('answers shippingEstimate null when the representation lacks the required fields', async () => {
    const res = await entities('... on Product { shippingEstimate { amount } }', [product(PRODUCT_1), product(PRODUCT_1, 100)]);
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([{ shippingEstimate: null }, { shippingEstimate: null }]);
  });

  it('serves the @inaccessible reservedQuantity to the router (it never reaches clients)', async () => {
    const res = await entities('... on Product { reservedQuantity }', [product(PRODUCT_1), product(NEW_PRODUCT)]);
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([{ reservedQuantity: 0 }, { reservedQuantity: 0 }]);
  });
});

describe('Product.stock (admin only)', () => {
  const query = '... on Product { id stock { quantity warehouse { code } } }';

  it('lists an admin the level in every warehouse, in code order', async () => {
    const res = await entities(query, [product(PRODUCT_1), product(NEW_PRODUCT)], ADMIN());
    expect(res.errors).toBeUndefined();
    const levels = await db.stockLevel.findMany({ where: { productId: PRODUCT_1 }, include: { warehouse: true } });
    const expected = levels.sort((a, b) => a.warehouse.code.localeCompare(b.warehouse.code)).map((l) => ({ quantity: l.quantity, warehouse: { code: l.warehouse.code } }));
    expect(res.data!._entities).toEqual([
      { id: PRODUCT_1, stock: expected },
      { id: NEW_PRODUCT, stock: [] },
    ]);
  });

  it.each([
    ['an anonymous caller', {}, 'UNAUTHENTICATED'],
    ['a customer', CUSTOMER('00000000-0000-4000-8000-00000000c001'), 'FORBIDDEN'],
    ['a service', SERVICE, 'FORBIDDEN'],
  ])('refuses %s', async (_label, headers, code) => {
    const res = await entities(query, [product(PRODUCT_1)], headers);
    expect(errorCodes(res)).toEqual([code]);
  });
});

describe('batching (no N+1)', () => {
  beforeEach(() => {
    sqlStatements = [];
  });

  it('resolves 50 products’ inStock, quantityAvailable and shippingEstimate (the @requires path) in one SQL statement', async () => {
    const representations = Array.from({ length: 50 }, (_, i) => product(seedId('product', i + 1), 100 * (i + 1), { amount: 1000 + 300 * i, currency: 'USD' }));
    const res = await entities('... on Product { inStock quantityAvailable shippingEstimate { amount } }', representations);
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toHaveLength(50);
    expect(res.data!._entities.every((e: any) => typeof e.inStock === 'boolean' && typeof e.shippingEstimate.amount === 'number')).toBe(true);
    expect(sqlStatements.length).toBeLessThanOrEqual(2);
    expect(sqlStatements).toHaveLength(1);
  });

  it('costs the same one statement for 5 products as for 240', async () => {
    await entities('... on Product { inStock }', Array.from({ length: 5 }, (_, i) => product(seedId('product', i + 1))));
    expect(sqlStatements).toHaveLength(1);
    sqlStatements = [];
    await entities('... on Product { inStock quantityAvailable reservedQuantity }', Array.from({ length: DEMO.products }, (_, i) => product(seedId('product', i + 1))));
    expect(sqlStatements).toHaveLength(1);
  });

  it('estimates shipping without any SQL', async () => {
    const res = await entities('... on Product { shippingEstimate { amount } }', Array.from({ length: 50 }, (_, i) => product(seedId('product', i + 1), 700, { amount: 2500, currency: 'USD' })));
    expect(res.data!._entities.every((e: any) => e.shippingEstimate.amount === 599)).toBe(true);
    expect(sqlStatements).toHaveLength(0);
  });

  it('lists 50 products’ stock with warehouses in one statement, and warehouse references in one', async () => {
    const res = await entities('... on Product { stock { quantity warehouse { code name } } }', Array.from({ length: 50 }, (_, i) => product(seedId('product', i + 1))), ADMIN());
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities.every((e: any) => e.stock.length === 3)).toBe(true);
    expect(sqlStatements).toHaveLength(1);
    sqlStatements = [];
    await entities('... on Warehouse { code }', [AMS, CHI, SIN].map((id) => ({ __typename: 'Warehouse', id })));
    expect(sqlStatements).toHaveLength(1);
  });
});

describe('restock', () => {
  const restock = 'mutation($input: RestockInput!) { restock(input: $input) { quantity warehouse { id code } } }';

  it('adds units after checking the product through the router with the inventory service token', async () => {
    router.requests.length = 0;
    const before = await db.stockLevel.findUniqueOrThrow({ where: { warehouseId_productId: { warehouseId: CHI, productId: PRODUCT_1 } } });
    const availableBefore = await expectedAvailable(PRODUCT_1);
    const res = await q(restock, { input: { productId: PRODUCT_1, warehouseId: CHI, quantity: 25 } }, ADMIN());
    expect(res.errors).toBeUndefined();
    expect(res.data!.restock).toEqual({ quantity: before.quantity + 25, warehouse: { id: CHI, code: 'CHI-1' } });
    const after = await db.stockLevel.findUniqueOrThrow({ where: { warehouseId_productId: { warehouseId: CHI, productId: PRODUCT_1 } } });
    expect(after.quantity).toBe(before.quantity + 25);
    expect(Math.abs(after.updatedAt.getTime() - Date.now())).toBeLessThan(60_000);

    expect(router.requests).toHaveLength(1);
    const [scheme, token] = router.requests[0]!.authorization!.split(' ');
    expect(scheme).toBe('Bearer');
    const check = await createTokenVerifier({ alg: 'HS256', secret: SECRET })(token!);
    expect(check).toMatchObject({ ok: true, identity: { role: 'SERVICE', sub: 'service:inventory' } });

    const entity = await entities('... on Product { quantityAvailable }', [product(PRODUCT_1)]);
    expect(entity.data!._entities[0].quantityAvailable).toBe(availableBefore + 25);
  });

  it('creates the stock level of a product the warehouse did not hold, accepting an upper-case id', async () => {
    const res = await q(restock, { input: { productId: NEW_PRODUCT.toUpperCase(), warehouseId: SIN, quantity: 100_000 } }, ADMIN());
    expect(res.errors).toBeUndefined();
    expect(res.data!.restock.quantity).toBe(100_000);
    expect(await db.stockLevel.findMany({ where: { productId: NEW_PRODUCT }, select: { warehouseId: true, quantity: true } })).toEqual([{ warehouseId: SIN, quantity: 100_000 }]);
    const entity = await entities('... on Product { inStock quantityAvailable }', [product(NEW_PRODUCT)]);
    expect(entity.data!._entities[0]).toEqual({ inStock: true, quantityAvailable: 100_000 });
    await db.stockLevel.delete({ where: { warehouseId_productId: { warehouseId: SIN, productId: NEW_PRODUCT } } });
  });

  it('loses no units when restocks race', async () => {
    const before = await db.stockLevel.findUniqueOrThrow({ where: { warehouseId_productId: { warehouseId: AMS, productId: PRODUCT_1 } } });
    const results = await Promise.all(Array.from({ length: 8 }, () => q(restock, { input: { productId: PRODUCT_1, warehouseId: AMS, quantity: 3 } }, ADMIN())));
    expect(results.flatMap(errorCodes)).toEqual([]);
    const after = await db.stockLevel.findUniqueOrThrow({ where: { warehouseId_productId: { warehouseId: AMS, productId: PRODUCT_1 } } });
    expect(after.quantity).toBe(before.quantity + 24);
  });

  const admin = ADMIN();
  const cases: [string, Record<string, unknown>, Record<string, string>, string, string | undefined][] = [
    ['an anonymous caller', {}, {}, 'UNAUTHENTICATED', undefined],
    ['a customer', {}, CUSTOMER('00000000-0000-4000-8000-00000000c001'), 'FORBIDDEN', undefined],
    ['a service', {}, SERVICE, 'FORBIDDEN', undefined],
    ['a quantity of 0', { quantity: 0 }, admin, 'BAD_USER_INPUT', 'input.quantity'],
    ['a negative quantity', { quantity: -5 }, admin, 'BAD_USER_INPUT', 'input.quantity'],
    ['a quantity over 100000', { quantity: 100_001 }, admin, 'BAD_USER_INPUT', 'input.quantity'],
    ['a malformed productId', { productId: 'SKU-0001' }, admin, 'BAD_USER_INPUT', 'input.productId'],
    ['a malformed warehouseId', { warehouseId: 'AMS-1' }, admin, 'BAD_USER_INPUT', 'input.warehouseId'],
    ['an unknown warehouse', { warehouseId: UNKNOWN_WAREHOUSE }, admin, 'BAD_USER_INPUT', 'input.warehouseId'],
    ['an unknown product', { productId: UNKNOWN_PRODUCT }, admin, 'BAD_USER_INPUT', 'input.productId'],
    ['a catalog that answers with errors', { productId: BROKEN_PRODUCT }, admin, 'SERVICE_UNAVAILABLE', undefined],
  ];
  it.each(cases)('rejects %s with a stable code and changes no row', async (_label, change, headers, code, field) => {
    const before = await snapshot();
    const res = await q(restock, { input: { productId: PRODUCT_1, warehouseId: AMS, quantity: 5, ...change } }, headers);
    expect(errorCodes(res)).toEqual([code]);
    expect(res.errors![0]!.extensions!.field).toBe(field);
    expect(res.data).toBeNull();
    expect(await snapshot()).toEqual(before);
  });

  it('names the problem in the messages clients see', async () => {
    const messages = async (input: Record<string, unknown>) => (await q(restock, { input: { productId: PRODUCT_1, warehouseId: AMS, quantity: 5, ...input } }, admin)).errors![0]!.message;
    expect(await messages({ productId: UNKNOWN_PRODUCT })).toBe(unknownProduct(UNKNOWN_PRODUCT).message);
    expect(await messages({ warehouseId: UNKNOWN_WAREHOUSE })).toBe(unknownWarehouse(UNKNOWN_WAREHOUSE).message);
    expect(await messages({ quantity: 0 })).toBe(invalidRestockQuantity().message);
    expect(await messages({ productId: BROKEN_PRODUCT })).toBe(catalogUnavailable().message);
  });

  it('checks the warehouse before asking the router', async () => {
    router.requests.length = 0;
    await q(restock, { input: { productId: PRODUCT_1, warehouseId: UNKNOWN_WAREHOUSE, quantity: 5 } }, admin);
    await q(restock, { input: { productId: PRODUCT_1, warehouseId: AMS, quantity: 0 } }, admin);
    expect(router.requests).toHaveLength(0);
  });

  it('refuses to overflow a stock level with CONFLICT, writing nothing', async () => {
    const key = { warehouseId_productId: { warehouseId: SIN, productId: SOLD_OUT } };
    await db.stockLevel.update({ where: key, data: { quantity: 2_147_483_000 } });
    try {
      const res = await q(restock, { input: { productId: SOLD_OUT, warehouseId: SIN, quantity: 1000 } }, admin);
      expect(errorCodes(res)).toEqual(['CONFLICT']);
      expect(res.errors![0]!.message).toBe(stockLimitReached(SOLD_OUT, SIN).message);
      expect((await db.stockLevel.findUniqueOrThrow({ where: key })).quantity).toBe(2_147_483_000);
    } finally {
      await db.stockLevel.update({ where: key, data: { quantity: 0 } });
    }
  });
});

describe('router down', () => {
  let downUrl: string;
  let stopDown: () => Promise<void>;

  beforeAll(async () => {
    const closedPort = await freePort(); // nothing listens there
    const down = createInventorySubgraph({
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

  it('answers restock with SERVICE_UNAVAILABLE and writes nothing', async () => {
    const before = await snapshot();
    const res = await graphql(downUrl, `mutation { restock(input: { productId: "${PRODUCT_1}", warehouseId: "${AMS}", quantity: 5 }) { quantity } }`, {}, ADMIN());
    expect(errorCodes(res)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(JSON.stringify(res.errors)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|fetch/);
    expect(await snapshot()).toEqual(before);
  });
});

describe('router product directory', () => {
  it('sends a pre-minted SERVICE_TOKEN as is', async () => {
    router.requests.length = 0;
    const directory = createRouterProductDirectory({ routerUrl: router.url, token: createServiceTokenSource({ serviceToken: 'pre-minted' }) });
    expect(await directory.exists(PRODUCT_1)).toBe(true);
    expect(await directory.exists(UNKNOWN_PRODUCT)).toBe(false);
    expect(router.requests.map((r) => r.authorization)).toEqual(['Bearer pre-minted', 'Bearer pre-minted']);
  });
});
