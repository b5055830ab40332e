import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequestSigner, SIGNATURE_HEADER } from '@store/core';
import { createPrismaClientOptions } from '@store/db';
import { ADMIN, CUSTOMER, errorCodes, graphql, startSubgraphForTest, type TestSubgraph } from '@store/testkit';
import { PrismaClient } from '../generated/prisma/client.ts';
import { seedCatalog } from '../prisma/seed.ts';
import { createCatalogSubgraph } from '../src/server.ts';

let subgraph: TestSubgraph;
let db: PrismaClient;

beforeAll(async () => {
  subgraph = await startSubgraphForTest('catalog', createCatalogSubgraph, async (url) => {
    const client = new PrismaClient(createPrismaClientOptions(url));
    await seedCatalog(client);
    await client.$disconnect();
  });
  db = new PrismaClient(createPrismaClientOptions(subgraph.db.url));
});
afterAll(async () => {
  await db?.$disconnect();
  await subgraph?.stop();
});

const q = (query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) => graphql(subgraph.url, query, variables, headers);

describe('catalog queries', () => {
  it('pages through all products with cursors, in SKU order, without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (;;) {
      const res = await q(`query($after: String) { products(first: 100, after: $after) { totalCount edges { cursor node { sku price { amount currency } } } pageInfo { hasNextPage endCursor } } }`, { after });
      expect(res.errors).toBeUndefined();
      const page = res.data!.products;
      total = page.totalCount;
      seen.push(...page.edges.map((e: any) => e.node.sku));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(total).toBeGreaterThanOrEqual(200);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect([...seen].sort()).toEqual(seen);
  });

  it('filters by category, search and price', async () => {
    const categories = (await q('{ categories { id slug name } }')).data!.categories;
    expect(categories.length).toBeGreaterThanOrEqual(8);
    const audio = categories.find((c: any) => c.slug === 'audio');
    const bySlug = await q('{ products(filter: { categorySlug: "audio" }, first: 100) { totalCount edges { node { category { id slug } } } } }');
    expect(bySlug.data!.products.totalCount).toBeGreaterThan(0);
    expect(bySlug.data!.products.edges.every((e: any) => e.node.category.id === audio.id)).toBe(true);
    const search = await q('{ products(filter: { search: "sku-000" }, first: 50) { totalCount edges { node { sku } } } }');
    expect(search.data!.products.totalCount).toBe(9);
    const priced = await q('{ products(filter: { minPrice: 1000, maxPrice: 2000 }, first: 100) { edges { node { price { amount } } } } }');
    expect(priced.data!.products.edges.length).toBeGreaterThan(0);
    for (const e of priced.data!.products.edges) expect(e.node.price.amount).toBeGreaterThanOrEqual(1000);
    for (const e of priced.data!.products.edges) expect(e.node.price.amount).toBeLessThanOrEqual(2000);
  });

  it('filters by ids, leaving unknown and malformed ones out, AND-ed with the other filters', async () => {
    const page = (await q('{ products(first: 3) { edges { node { id sku } } } }')).data!.products.edges.map((e: any) => e.node);
    const ids = page.map((p: any) => p.id);
    const unknown = '00000000-0000-4000-8000-00000000dead';
    const byIds = await q('query($ids: [ID!]!) { products(filter: { ids: $ids }, first: 50) { totalCount edges { node { id sku } } } }', {
      ids: [ids[2], unknown, 'not-a-uuid', ids[0].toUpperCase(), ids[1]],
    });
    expect(byIds.errors).toBeUndefined();
    expect(byIds.data!.products.totalCount).toBe(3);
    expect(byIds.data!.products.edges.map((e: any) => e.node.id)).toEqual(ids);
    const none = await q('{ products(filter: { ids: [] }) { totalCount edges { node { id } } } }');
    expect(none.data!.products).toEqual({ totalCount: 0, edges: [] });
    // With a search for the second one's SKU only that one is left: the filters are AND-ed.
    const and = await q('query($ids: [ID!]!, $sku: String!) { products(filter: { ids: $ids, search: $sku }) { edges { node { id } } } }', { ids, sku: page[1].sku });
    expect(and.data!.products.edges.map((e: any) => e.node.id)).toEqual([ids[1]]);
  });

  it('refuses more than 100 ids with BAD_USER_INPUT naming the field', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`);
    const res = await q('query($ids: [ID!]!) { products(filter: { ids: $ids }) { totalCount } }', { ids });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.message).toBe('"filter.ids" takes at most 100 ids; got 101. Ask for them in several requests.');
    expect(res.errors![0]!.extensions!.field).toBe('filter.ids');
    expect(errorCodes(await q('query($ids: [ID!]!) { products(filter: { ids: $ids }) { totalCount } }', { ids: ids.slice(1) }))).toEqual([]);
  });

  it('finds a product by id or sku, and returns null for unknown ones', async () => {
    const bySku = await q('{ product(sku: "SKU-0007") { id sku name weight createdAt category { name } } }');
    const id = bySku.data!.product.id;
    const byId = await q('query($id: ID) { product(id: $id) { sku } }', { id });
    expect(byId.data!.product.sku).toBe('SKU-0007');
    expect((await q('{ product(sku: "NOPE") { id } }')).data!.product).toBeNull();
    expect((await q('{ product(id: "not-a-uuid") { id } }')).data!.product).toBeNull();
  });

  it('rejects product() with both or neither argument', async () => {
    expect(errorCodes(await q('{ product { id } }'))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await q('{ product(id: "x", sku: "y") { id } }'))).toEqual(['BAD_USER_INPUT']);
  });

  it('rejects a page size over 100 and a forged cursor', async () => {
    expect(errorCodes(await q('{ products(first: 101) { totalCount } }'))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await q('{ products(after: "Zm9v") { totalCount } }'))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('_entities', () => {
  it('resolves products by id and by sku in one batch, one SQL query per key kind', async () => {
    const ids = (await q('{ products(first: 3) { edges { node { id sku } } } }')).data!.products.edges.map((e: any) => e.node);
    const representations = [
      ...ids.map((p: any) => ({ __typename: 'Product', id: p.id })),
      ...ids.map((p: any) => ({ __typename: 'Product', sku: p.sku })),
      { __typename: 'Product', id: '00000000-0000-4000-8000-000000000000' },
    ];
    const res = await q('query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id sku price { amount } } } }', { r: representations });
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities.slice(0, 3).map((p: any) => p.sku)).toEqual(ids.map((p: any) => p.sku));
    expect(res.data!._entities.slice(3, 6).map((p: any) => p.id)).toEqual(ids.map((p: any) => p.id));
    expect(res.data!._entities[6]).toBeNull();
  });
});

describe('admin mutations', () => {
  const create = `mutation($input: CreateProductInput!) { createProduct(input: $input) { id sku name price { amount currency } weight category { slug } } }`;
  const validInput = async () => {
    const categoryId = (await q('{ categories { id } }')).data!.categories[0].id;
    return { sku: 'NEW-0001', name: 'New thing', description: 'Brand new', priceAmount: 1999, weight: 300, categoryId };
  };

  it('creates and updates a product as admin', async () => {
    const input = await validInput();
    const created = await q(create, { input }, ADMIN());
    expect(created.errors).toBeUndefined();
    expect(created.data!.createProduct).toMatchObject({ sku: 'NEW-0001', price: { amount: 1999, currency: 'USD' }, weight: 300 });
    const id = created.data!.createProduct.id;
    const updated = await q('mutation($id: ID!) { updateProduct(id: $id, input: { priceAmount: 2499, name: "Renamed" }) { name price { amount } weight } }', { id }, ADMIN());
    expect(updated.data!.updateProduct).toEqual({ name: 'Renamed', price: { amount: 2499 }, weight: 300 });
  });

  it('refuses anonymous and customer callers, writing nothing', async () => {
    const before = await db.product.count();
    const input = { ...(await validInput()), sku: 'NEW-0002' };
    expect(errorCodes(await q(create, { input }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await q(create, { input }, CUSTOMER('00000000-0000-4000-8000-000000000002')))).toEqual(['FORBIDDEN']);
    expect(await db.product.count()).toBe(before);
  });

  it.each([
    ['a negative price', { priceAmount: -1 }, 'BAD_USER_INPUT'],
    ['a zero weight', { weight: 0 }, 'BAD_USER_INPUT'],
    ['a malformed SKU', { sku: 'bad sku' }, 'BAD_USER_INPUT'],
    ['an unknown category', { categoryId: '00000000-0000-4000-8000-000000000009' }, 'BAD_USER_INPUT'],
    ['a non-uuid category', { categoryId: 'audio' }, 'BAD_USER_INPUT'],
    ['an empty name', { name: '  ' }, 'BAD_USER_INPUT'],
    ['a bad currency', { currency: 'dollars' }, 'BAD_USER_INPUT'],
    ['a duplicate SKU', { sku: 'SKU-0001' }, 'CONFLICT'],
  ])('rejects %s with a stable code and writes nothing', async (_label, change, code) => {
    const before = await db.product.count();
    const res = await q(create, { input: { ...(await validInput()), sku: 'NEW-0003', ...change } }, ADMIN());
    expect(errorCodes(res)).toEqual([code]);
    expect(await db.product.count()).toBe(before);
  });

  it('updateProduct on an unknown id is NOT_FOUND', async () => {
    const res = await q('mutation { updateProduct(id: "00000000-0000-4000-8000-00000000abcd", input: { name: "x" }) { id } }', {}, ADMIN());
    expect(errorCodes(res)).toEqual(['NOT_FOUND']);
  });
});

describe('malformed requests', () => {
  it('answers a variable of the wrong type with BAD_USER_INPUT and HTTP 400', async () => {
    const res = await q('query($first: Int) { products(first: $first) { totalCount } }', { first: 'ten' });
    expect(res.status).toBe(400);
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
  });
  it('answers broken JSON (signed by the router) with 400', async () => {
    const body = '{"query": ';
    const signature = createRequestSigner(subgraph.signingSecret!)({ method: 'POST', path: '/graphql', body, identity: undefined });
    const response = await fetch(subgraph.url, { method: 'POST', headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature }, body });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
  });
  it('rejects a forged identity header with 401', async () => {
    const res = await q('{ categories { id } }', {}, { 'x-store-identity': 'not-base64-json' });
    expect(res.status).toBe(401);
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
  });
});
