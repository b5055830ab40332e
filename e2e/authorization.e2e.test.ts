import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_JWT_SECRET, mintServiceToken, scopesForRole, signAccessToken, type Identity } from '@store/core';
import { graphql, type GraphQLResponse } from '@store/testkit';
import { startInProcessSupergraph, type InProcessSupergraph } from './support/in-process.ts';

// The store's authorization directives (@authenticated, @requiresScopes, @policy in
// subgraphs/*/schema.graphql) enforced by the real router over the real subgraphs and databases:
// who may select what, what the router answers when they may not, and that each subgraph still
// refuses on its own when the router does not check (AUTHORIZATION_MODE=off).
const KEY = { alg: 'HS256', secret: DEV_JWT_SECRET } as const;
const NOBODY = '00000000-0000-4000-8000-000000000000';

let graph: InProcessSupergraph;
let rejectUrl: string;
let offUrl: string;
const headers: Record<Caller, Record<string, string>> = { anonymous: {}, customer: {}, admin: {}, service: {} };
let customerId: string;

type Caller = 'anonymous' | 'customer' | 'admin' | 'service';

beforeAll(async () => {
  graph = await startInProcessSupergraph();
  rejectUrl = await graph.startRouter({ authorizationMode: 'reject' });
  offUrl = await graph.startRouter({ authorizationMode: 'off' });
  const ids: Partial<Record<'customer' | 'admin', string>> = {};
  for (const [who, email, password] of [
    ['customer', 'demo@store.example', 'demo-password'],
    ['admin', 'admin@store.example', 'admin-password'],
  ] as const) {
    const res = await graphql(graph.routerUrl, 'mutation($email: String!, $password: String!) { logIn(email: $email, password: $password) { user { id } } }', { email, password });
    expect(res.errors).toBeUndefined();
    ids[who] = res.data!.logIn.user.id;
  }
  customerId = ids.customer!;
  const sign = async (identity: Identity) => ({ authorization: `Bearer ${(await signAccessToken(identity, KEY, 600)).token}` });
  headers.customer = await sign({ sub: ids.customer!, role: 'CUSTOMER', scopes: scopesForRole('CUSTOMER') });
  headers.admin = await sign({ sub: ids.admin!, role: 'ADMIN', scopes: scopesForRole('ADMIN') });
  headers.service = { authorization: `Bearer ${(await mintServiceToken('e2e', KEY)).token}` };
}, 180_000);
afterAll(async () => {
  await graph?.stop();
});

const unauthorizedPaths = (res: GraphQLResponse) => (res.errors ?? []).filter((e) => e.extensions?.code === 'UNAUTHORIZED_FIELD_OR_TYPE').map((e) => e.path);
const codes = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.extensions?.code);

interface Row {
  name: string;
  query: () => string;
  /** The path the router reports when it removes the selection. */
  path: string[];
  allowed: Caller[];
}

const BAD_PRODUCT = '{ sku: "", name: "", description: "", priceAmount: -1, weight: 0, categoryId: "nope" }';
const ROWS: Row[] = [
  { name: '@authenticated Query.me', query: () => '{ me { id } }', path: ['me'], allowed: ['customer', 'admin', 'service'] },
  { name: '@authenticated User.orders (non-null: nulls the user)', query: () => `{ user(id: "${customerId}") { name orders(first: 1) { totalCount } } }`, path: ['user', 'orders'], allowed: ['customer', 'admin', 'service'] },
  { name: '@authenticated Query.myOrders', query: () => '{ myOrders(first: 1) { totalCount } }', path: ['myOrders'], allowed: ['customer', 'admin', 'service'] },
  { name: '@authenticated type Payment (Query.payment)', query: () => `{ payment(id: "${NOBODY}") { id } }`, path: ['payment'], allowed: ['customer', 'admin', 'service'] },
  { name: '@requiresScopes users:read Query.users', query: () => '{ users(first: 1) { totalCount } }', path: ['users'], allowed: ['admin'] },
  { name: '@requiresScopes inventory:write on type StockLevel (Product.stock)', query: () => '{ product(sku: "SKU-0001") { name stock { quantity } } }', path: ['product', 'stock'], allowed: ['admin'] },
  { name: '@requiresScopes catalog:write Mutation.createProduct', query: () => `mutation { createProduct(input: ${BAD_PRODUCT}) { id } }`, path: ['createProduct'], allowed: ['admin'] },
  {
    name: '@requiresScopes reviews:write + @policy user_account Mutation.addReview',
    query: () => `mutation { addReview(input: { productId: "${NOBODY}", rating: 9, body: "" }) { id } }`,
    path: ['addReview'],
    allowed: ['customer', 'admin'],
  },
  { name: '@policy service_account Mutation.releaseStock', query: () => `mutation { releaseStock(orderId: "${NOBODY}") { status } }`, path: ['releaseStock'], allowed: ['service'] },
];

describe('authorization matrix (filter mode, the default)', () => {
  for (const row of ROWS) {
    for (const caller of ['anonymous', 'customer', 'admin', 'service'] as const) {
      const allowed = row.allowed.includes(caller);
      it(`${row.name}: ${caller} → ${allowed ? 'allowed' : 'null + UNAUTHORIZED_FIELD_OR_TYPE'}`, async () => {
        const res = await graphql(graph.routerUrl, row.query(), undefined, headers[caller]);
        expect(res.status).toBe(200);
        if (allowed) {
          expect(unauthorizedPaths(res)).toEqual([]);
          return;
        }
        expect(unauthorizedPaths(res)).toEqual([row.path]);
        expect(res.errors!.find((e) => e.extensions?.code === 'UNAUTHORIZED_FIELD_OR_TYPE')!.message).toBe('Unauthorized field or type');
        // The removed field is null (or, non-null, nulls its parent: here the root).
        let value: unknown = res.data;
        for (const key of row.path) value = value === null ? null : (value as Record<string, unknown>)[key];
        expect(value ?? null).toBeNull();
      });
    }
  }

  it('removes a field before planning: the subgraph that owns it runs no SQL, the rest of the operation runs', async () => {
    graph.resetCounts();
    const res = await graphql(graph.routerUrl, '{ categories { slug } product(sku: "SKU-0001") { name stock { quantity } } }', undefined, headers.customer);
    // `stock` is non-null: its null takes `product` with it (GraphQL null propagation), nothing else.
    expect(res.data).toEqual({ categories: expect.arrayContaining([{ slug: expect.any(String) }]), product: null });
    expect(unauthorizedPaths(res)).toEqual([['product', 'stock']]);
    expect(graph.sql.get('catalog')!.length).toBeGreaterThan(0);
    expect(graph.sql.get('inventory')).toEqual([]);
  });

  it('answers the same through the fast path (the second identical request)', async () => {
    const query = `{ user(id: "${customerId}") { name } payment(id: "${NOBODY}") { id } }`;
    const first = await graphql(graph.routerUrl, query);
    const second = await graphql(graph.routerUrl, query);
    expect(second).toEqual(first);
    expect(second.data).toEqual({ user: { name: expect.any(String) }, payment: null });
    expect(unauthorizedPaths(second)).toEqual([['payment']]);
  });

  it('leaves data-dependent rules to the subgraph: another user\'s email is FORBIDDEN by accounts, not removed by the router', async () => {
    const res = await graphql(graph.routerUrl, `{ user(id: "${customerId}") { name email } }`);
    expect(res.data).toEqual({ user: { name: expect.any(String), email: null } });
    expect(codes(res)).toEqual(['FORBIDDEN']);
  });
});

describe('authorization: reject mode', () => {
  it('refuses the whole operation with one error per unauthorized field, and calls no subgraph', async () => {
    graph.resetCounts();
    const res = await graphql(rejectUrl, '{ products(first: 1) { totalCount } me { id } users(first: 1) { totalCount } }');
    expect(res.status).toBe(200);
    expect(res.data).toBeNull();
    expect(unauthorizedPaths(res)).toEqual([['me'], ['users']]);
    expect([...graph.sql.values()].flat()).toEqual([]);
  });

  it('runs an operation the caller may make in full', async () => {
    const res = await graphql(rejectUrl, '{ products(first: 1) { totalCount } me { id } }', undefined, headers.customer);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ products: { totalCount: expect.any(Number) }, me: { id: customerId } });
  });
});

describe('authorization: defence in depth (AUTHORIZATION_MODE=off, the subgraphs still check)', () => {
  it.each([
    ['anonymous', '{ users(first: 1) { totalCount } }', 'UNAUTHENTICATED'],
    ['customer', '{ users(first: 1) { totalCount } }', 'FORBIDDEN'],
    ['customer', '{ product(sku: "SKU-0001") { stock { quantity } } }', 'FORBIDDEN'],
    ['anonymous', `mutation { createProduct(input: ${BAD_PRODUCT}) { id } }`, 'UNAUTHENTICATED'],
    ['customer', `mutation { createProduct(input: ${BAD_PRODUCT}) { id } }`, 'FORBIDDEN'],
    ['customer', `mutation { releaseStock(orderId: "${NOBODY}") { status } }`, 'FORBIDDEN'],
    ['anonymous', '{ myOrders(first: 1) { totalCount } }', 'UNAUTHENTICATED'],
  ] as const)('%s: %s → %s from the subgraph', async (caller, query, code) => {
    const res = await graphql(offUrl, query, undefined, headers[caller]);
    expect(unauthorizedPaths(res)).toEqual([]);
    expect(codes(res)).toContain(code);
  });
});
