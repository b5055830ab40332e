import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, graphql } from '@store/testkit';
import { startStack, type Stack } from './stack.ts';

// The store through its one endpoint, every part real: the launcher, PostgreSQL, three subgraph
// processes and the router, talking HTTP.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const q = (query: string, variables?: Record<string, unknown>, token?: string) =>
  graphql(stack.routerUrl, query, variables, token ? { authorization: `Bearer ${token}` } : {});

describe('the store through the router', () => {
  it('serves public data across all three subgraphs without a token', async () => {
    const res = await q(`{ products(first: 5) { edges { node { name price { amount currency } averageRating reviewCount reviews(first: 2) { edges { node { rating author { name } } } } } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.products.edges).toHaveLength(5);
    const authors = res.data!.products.edges.flatMap((e: any) => e.node.reviews.edges.map((r: any) => r.node.author.name));
    expect(authors.length).toBeGreaterThan(0);
    for (const name of authors) expect(name).toEqual(expect.any(String));
  });

  it('sign up → log in → review a product, checked through the router with a service identity', async () => {
    const email = `e2e-${Date.now()}@example.com`;
    const signUp = await q('mutation($i: SignUpInput!) { signUp(input: $i) { token user { id email role } } }', { i: { email, name: 'E2E Shopper', password: 'correct horse battery' } });
    expect(signUp.errors).toBeUndefined();
    expect(signUp.data!.signUp.user).toMatchObject({ email, role: 'CUSTOMER' });
    const logIn = await q('mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }', { e: email, p: 'correct horse battery' });
    const token = logIn.data!.logIn.token as string;

    const me = await q('{ me { id name email } }', {}, token);
    expect(me.data!.me).toMatchObject({ id: signUp.data!.signUp.user.id, email, name: 'E2E Shopper' });

    const product = (await q('{ product(sku: "SKU-0042") { id name reviewCount } }')).data!.product;
    const added = await q('mutation($i: AddReviewInput!) { addReview(input: $i) { id rating body author { name } product { name } } }', { i: { productId: product.id, rating: 5, body: 'Works as described.' } }, token);
    expect(added.errors).toBeUndefined();
    expect(added.data!.addReview).toMatchObject({ rating: 5, author: { name: 'E2E Shopper' }, product: { name: product.name } });

    const after = await q('query($id: ID) { product(id: $id) { reviewCount reviews(first: 1) { edges { node { body author { name } } } } } }', { id: product.id });
    expect(after.data!.product.reviewCount).toBe(product.reviewCount + 1);
    expect(after.data!.product.reviews.edges[0].node).toEqual({ body: 'Works as described.', author: { name: 'E2E Shopper' } });

    const again = await q('mutation($i: AddReviewInput!) { addReview(input: $i) { id } }', { i: { productId: product.id, rating: 4, body: 'Twice?' } }, token);
    expect(errorCodes(again)).toEqual(['CONFLICT']);
    const unknown = await q('mutation($i: AddReviewInput!) { addReview(input: $i) { id } }', { i: { productId: '00000000-0000-4000-8000-000000000000', rating: 4, body: 'Ghost' } }, token);
    expect(errorCodes(unknown)).toEqual(['BAD_USER_INPUT']);
  });

  it('keeps access rules: anonymous writes and other users\' emails are refused with paths', async () => {
    // Refused by the router (@requiresScopes / @policy) before the reviews subgraph sees it.
    const anonymous = await q('mutation { addReview(input: { productId: "00000000-0000-4000-8000-000000000000", rating: 5, body: "x" }) { id } }');
    expect(errorCodes(anonymous)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
    const token = (await q('mutation { logIn(email: "demo@store.example", password: "demo-password") { token } }')).data!.logIn.token;
    const users = await q('{ users(first: 1) { totalCount } }', {}, token);
    expect(errorCodes(users)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
    const review = await q('{ products(first: 1) { edges { node { reviews(first: 1) { edges { node { author { name email } } } } } } } }', {}, token);
    const error = review.errors?.find((e) => e.extensions?.code === 'FORBIDDEN');
    expect(error?.path?.at(-1)).toBe('email');
  });

  it('answers a bad token with 401 and never trusts a client-sent identity header', async () => {
    const bad = await q('{ me { id } }', {}, 'not.a.jwt');
    expect(bad.status).toBe(401);
    expect(errorCodes(bad)).toEqual(['UNAUTHENTICATED']);
    const forged = Buffer.from(JSON.stringify({ sub: '00000000-0000-4000-8000-000000000001', role: 'ADMIN', scopes: [] })).toString('base64url');
    const res = await graphql(stack.routerUrl, '{ me { id } users(first: 1) { totalCount } }', {}, { 'x-store-identity': forged });
    expect(res.data?.me ?? null).toBeNull();
    // Anonymous to the router: both fields are removed for want of a caller.
    expect(errorCodes(res)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE', 'UNAUTHORIZED_FIELD_OR_TYPE']);
  });

  it('rejects bad input with a clear code and keeps serving', async () => {
    const badVariable = await q('query($n: Int) { products(first: $n) { totalCount } }', { n: 'many' });
    expect(badVariable.status).toBe(400);
    expect(errorCodes(badVariable)).toEqual(['BAD_USER_INPUT']);
    const invalid = await q('{ products { nope } }');
    expect(errorCodes(invalid)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const rating = await q('mutation { signUp(input: { email: "not-an-email", name: "x", password: "longenough" }) { token } }');
    expect(errorCodes(rating)).toEqual(['BAD_USER_INPUT']);
    expect((await q('{ categories { id } }')).data!.categories.length).toBeGreaterThanOrEqual(8);
  });
});
