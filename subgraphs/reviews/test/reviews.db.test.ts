import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, createTokenVerifier } from '@store/core';
import { createPrismaClientOptions, DEMO, freePort, seedId } from '@store/db';
import { createServiceTokenSource } from '@store/subgraph-kit';
import { ADMIN, asIdentity, CUSTOMER, errorCodes, graphql, NO_ANSWER, startFakeRouter, signRequestsTo, startSubgraphForTest, type FakeRouter, type FakeRouterRequest, type TestSubgraph } from '@store/testkit';
import { PrismaClient } from '../generated/prisma/client.ts';
import { seedReviews } from '../prisma/seed.ts';
import { catalogUnavailable, duplicateReview, unknownProduct } from '../src/errors.ts';
import { createRouterProductDirectory, ProductDirectoryUnavailableError } from '../src/product-directory.ts';
import { createReviewsSubgraph } from '../src/server.ts';

const SECRET = 'reviews-test-secret-0123456789-abcdefghij';
const PRODUCT_1 = seedId('product', 1);
const NEW_PRODUCT = '00000000-0000-4000-8000-00000000f00d'; // known to the fake router, no reviews
const UNKNOWN_PRODUCT = '00000000-0000-4000-8000-00000000dead'; // unknown to the fake router
const BROKEN_PRODUCT = '00000000-0000-4000-8000-00000000e000'; // the fake router answers with errors
const HANGING_PRODUCT = '00000000-0000-4000-8000-00000000a000'; // the fake router never answers
const KNOWN_PRODUCTS = new Set([NEW_PRODUCT, ...Array.from({ length: DEMO.products }, (_, i) => seedId('product', i + 1))]);

/** The stand-in router's answer to `product(id:)`: from a fixed set, with errors, or never. */
function answerProduct({ variables }: FakeRouterRequest) {
  if (variables.id === HANGING_PRODUCT) return NO_ANSWER;
  return variables.id === BROKEN_PRODUCT
    ? { data: { product: null }, errors: [{ message: 'catalog is down', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }
    : { data: { product: KNOWN_PRODUCTS.has(variables.id as string) ? { id: variables.id } : null } };
}

let router: FakeRouter;
let subgraph: TestSubgraph;
let db: PrismaClient;
let sqlStatements: string[] = [];

beforeAll(async () => {
  router = await startFakeRouter(answerProduct);
  subgraph = await startSubgraphForTest(
    'reviews',
    (options) => createReviewsSubgraph({ ...options, routerUrl: router.url, jwtSecret: SECRET, onQuery: (event) => sqlStatements.push(event.sql) }),
    async (url) => {
      const client = new PrismaClient(createPrismaClientOptions(url));
      await seedReviews(client);
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
const entities = (selection: string, representations: unknown[]) =>
  q(`query($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`, { r: representations });
const newestFirst = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

/** The product with the most reviews (for pagination tests). */
async function busiestProduct(): Promise<{ productId: string; count: number }> {
  const [top] = await db.review.groupBy({ by: ['productId'], _count: { _all: true }, orderBy: { _count: { productId: 'desc' } }, take: 1 });
  return { productId: top!.productId, count: top!._count._all };
}

describe('seed', () => {
  it('writes DEMO.reviews reviews by users 2.., ratings skewed to 3–5, and is idempotent', async () => {
    expect(await db.review.count()).toBe(DEMO.reviews);
    expect(await seedReviews(db)).toEqual({ created: 0 });
    expect(await db.review.count({ where: { authorId: seedId('user', 1) } })).toBe(0);
    const high = await db.review.count({ where: { rating: { gte: 3 } } });
    expect(high / DEMO.reviews).toBeGreaterThan(0.75);
    const years = await db.$queryRaw<{ min: Date; max: Date }[]>`SELECT min(created_at) AS min, max(created_at) AS max FROM reviews`;
    expect(years[0]!.min.getUTCFullYear()).toBe(2026);
    expect(years[0]!.max.getUTCFullYear()).toBe(2026);
  });

  it('is enforced by a CHECK constraint on rating, even for writers that bypass the subgraph', async () => {
    await expect(db.review.create({ data: { productId: PRODUCT_1, authorId: seedId('user', 999), rating: 6, body: 'x' } })).rejects.toThrow();
    expect(await db.review.count({ where: { authorId: seedId('user', 999) } })).toBe(0);
  });
});

describe('review(id)', () => {
  it('returns a review with key stubs for its author and product', async () => {
    const row = await db.review.findFirstOrThrow({ orderBy: { id: 'asc' } });
    const res = await q('query($id: ID!) { review(id: $id) { id rating body createdAt author { id } product { id } } }', { id: row.id });
    expect(res.errors).toBeUndefined();
    expect(res.data!.review).toEqual({
      id: row.id,
      rating: row.rating,
      body: row.body,
      createdAt: row.createdAt.toISOString(),
      author: { id: row.authorId },
      product: { id: row.productId },
    });
  });

  it('returns null for an unknown or malformed id', async () => {
    expect((await q('{ review(id: "00000000-0000-4000-8000-000000000000") { id } }')).data!.review).toBeNull();
    expect((await q('{ review(id: "nope") { id } }')).data!.review).toBeNull();
  });
});

describe('_entities', () => {
  it('resolves several reviews in one call, in order, with nulls for unknown ids', async () => {
    const rows = await db.review.findMany({ take: 3, orderBy: { id: 'asc' } });
    const res = await entities('... on Review { id rating product { id } }', [
      ...rows.map((r) => ({ __typename: 'Review', id: r.id })),
      { __typename: 'Review', id: '00000000-0000-4000-8000-000000000000' },
      { __typename: 'Review', id: 'not-a-uuid' },
    ]);
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([...rows.map((r) => ({ id: r.id, rating: r.rating, product: { id: r.productId } })), null, null]);
  });

  it('adds reviews, averageRating and reviewCount to several products', async () => {
    const { productId } = await busiestProduct();
    const res = await entities('... on Product { id reviewCount averageRating reviews(first: 2) { totalCount edges { node { id product { id } } } pageInfo { hasNextPage } } }', [
      { __typename: 'Product', id: productId },
      { __typename: 'Product', id: PRODUCT_1 },
      { __typename: 'Product', id: NEW_PRODUCT },
      { __typename: 'Product', id: 'not-a-uuid' },
    ]);
    expect(res.errors).toBeUndefined();
    const [busiest, first, empty, malformed] = res.data!._entities;
    for (const [product, id] of [[busiest, productId], [first, PRODUCT_1]] as const) {
      const rows = await db.review.findMany({ where: { productId: id }, orderBy: newestFirst });
      expect(product.reviewCount).toBe(rows.length);
      expect(product.reviews.totalCount).toBe(rows.length);
      expect(product.reviews.edges.map((e: any) => e.node.id)).toEqual(rows.slice(0, 2).map((r) => r.id));
      expect(product.reviews.edges.every((e: any) => e.node.product.id === id)).toBe(true);
      expect(product.reviews.pageInfo.hasNextPage).toBe(rows.length > 2);
    }
    const emptyConnection = { totalCount: 0, edges: [], pageInfo: { hasNextPage: false } };
    expect(empty).toEqual({ id: NEW_PRODUCT, reviewCount: 0, averageRating: null, reviews: emptyConnection });
    expect(malformed).toEqual({ id: 'not-a-uuid', reviewCount: 0, averageRating: null, reviews: emptyConnection });
  });

  it('adds reviews to several users', async () => {
    const users = [seedId('user', 2), seedId('user', 3)];
    const res = await entities('... on User { id reviews(first: 3) { totalCount edges { node { id author { id } } } } }', [
      ...users.map((id) => ({ __typename: 'User', id })),
      { __typename: 'User', id: seedId('user', 1) },
      { __typename: 'User', id: 'admin' },
    ]);
    expect(res.errors).toBeUndefined();
    const [a, b, admin, malformed] = res.data!._entities;
    for (const [user, id] of [[a, users[0]], [b, users[1]]] as const) {
      const rows = await db.review.findMany({ where: { authorId: id }, orderBy: newestFirst });
      expect(rows.length).toBeGreaterThan(0);
      expect(user.reviews.totalCount).toBe(rows.length);
      expect(user.reviews.edges.map((e: any) => e.node.id)).toEqual(rows.slice(0, 3).map((r) => r.id));
      expect(user.reviews.edges.every((e: any) => e.node.author.id === id)).toBe(true);
    }
    expect(admin.reviews).toEqual({ totalCount: 0, edges: [] });
    expect(malformed.reviews).toEqual({ totalCount: 0, edges: [] });
  });

  it('computes averageRating for every product exactly as SQL does', async () => {
    const ids = Array.from({ length: DEMO.products }, (_, i) => seedId('product', i + 1));
    const res = await entities('... on Product { id averageRating reviewCount }', ids.map((id) => ({ __typename: 'Product', id })));
    expect(res.errors).toBeUndefined();
    const expected = await db.$queryRaw<{ product_id: string; avg: number; count: number }[]>`
      SELECT product_id, avg(rating)::float8 AS avg, count(*)::int AS count FROM reviews GROUP BY product_id`;
    const byId = new Map(expected.map((row) => [row.product_id, row]));
    for (const product of res.data!._entities) {
      const row = byId.get(product.id);
      expect(product.reviewCount).toBe(row?.count ?? 0);
      if (row) expect(product.averageRating).toBeCloseTo(row.avg, 10);
      else expect(product.averageRating).toBeNull();
    }
  });
});

describe('pagination', () => {
  const pageQuery = 'query($r: [_Any!]!, $after: String) { _entities(representations: $r) { ... on Product { reviews(first: 3, after: $after) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } } }';

  it('pages through a product’s reviews newest first, without gaps or repeats', async () => {
    const { productId, count } = await busiestProduct();
    expect(count).toBeGreaterThan(6);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res = await q(pageQuery, { r: [{ __typename: 'Product', id: productId }], after });
      expect(res.errors).toBeUndefined();
      const page = res.data!._entities[0].reviews;
      expect(page.totalCount).toBe(count);
      seen.push(...page.edges.map((e: any) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1).cursor);
      after = page.pageInfo.endCursor;
    }
    const expected = await db.review.findMany({ where: { productId }, orderBy: newestFirst, select: { id: true } });
    expect(seen).toEqual(expected.map((r) => r.id));
  });

  it('keeps order stable among reviews written in the same millisecond', async () => {
    const createdAt = new Date('2026-06-01T12:00:00.000Z');
    const authorIds = [1, 2, 3, 4, 5].map((n) => `00000000-0000-4000-8000-0000000b000${n}`);
    await db.review.createMany({ data: authorIds.map((authorId) => ({ productId: NEW_PRODUCT, authorId, rating: 4, body: 'same time', createdAt })) });
    try {
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const res = await q(pageQuery.replace('first: 3', 'first: 2'), { r: [{ __typename: 'Product', id: NEW_PRODUCT }], after });
        const page = res.data!._entities[0].reviews;
        seen.push(...page.edges.map((e: any) => e.node.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(seen).toHaveLength(5);
      expect(seen).toEqual([...seen].sort().reverse());
    } finally {
      await db.review.deleteMany({ where: { productId: NEW_PRODUCT } });
    }
  });

  it('rejects a page size over 100 and a forged cursor', async () => {
    const r = [{ __typename: 'Product', id: PRODUCT_1 }];
    expect(errorCodes(await q('query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { reviews(first: 101) { totalCount } } } }', { r }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await q(pageQuery, { r, after: 'Zm9v' }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await q(pageQuery, { r, after: Buffer.from('c:yesterday|x').toString('base64url') }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('batching (no N+1)', () => {
  beforeEach(() => {
    sqlStatements = [];
  });

  it('resolves 30 products’ reviews, averages and counts in at most 3 SQL statements', async () => {
    const representations = Array.from({ length: 30 }, (_, i) => ({ __typename: 'Product', id: seedId('product', i + 1) }));
    const res = await entities('... on Product { reviews(first: 3) { edges { node { rating } } } averageRating reviewCount }', representations);
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toHaveLength(30);
    expect(sqlStatements.length).toBeGreaterThan(0);
    expect(sqlStatements.length).toBeLessThanOrEqual(3);
    expect(sqlStatements.filter((sql) => /row_number\(\)/i.test(sql))).toHaveLength(1);
  });

  it('resolves 50 products asking reviews(first: 5) with one page statement', async () => {
    const representations = Array.from({ length: 50 }, (_, i) => ({ __typename: 'Product', id: seedId('product', i + 1) }));
    const res = await entities('... on Product { reviews(first: 5) { totalCount edges { node { id rating } } pageInfo { hasNextPage endCursor } } }', representations);
    expect(res.errors).toBeUndefined();
    expect(sqlStatements).toHaveLength(2); // one page query, one count aggregate
  });

  it('batches users and review references too', async () => {
    const users = Array.from({ length: 20 }, (_, i) => ({ __typename: 'User', id: seedId('user', i + 2) }));
    const res = await entities('... on User { reviews { totalCount edges { node { rating } } } }', users);
    expect(res.errors).toBeUndefined();
    expect(sqlStatements).toHaveLength(2);
    sqlStatements = [];
    const rows = await db.review.findMany({ take: 25, select: { id: true } });
    const reviews = await entities('... on Review { id rating }', rows.map((r) => ({ __typename: 'Review', id: r.id })));
    expect(reviews.data!._entities.map((r: any) => r.id)).toEqual(rows.map((r) => r.id));
    expect(sqlStatements).toHaveLength(1);
  });

  it('resolving product and user references reads nothing', async () => {
    const res = await entities('... on Product { id } ... on User { id }', [
      { __typename: 'Product', id: PRODUCT_1 },
      { __typename: 'User', id: seedId('user', 2) },
    ]);
    expect(res.data!._entities).toEqual([{ id: PRODUCT_1 }, { id: seedId('user', 2) }]);
    expect(sqlStatements).toHaveLength(0);
  });
});

describe('addReview', () => {
  const add = 'mutation($input: AddReviewInput!) { addReview(input: $input) { id rating body createdAt author { id } product { id } } }';
  const customer = '00000000-0000-4000-8000-00000000c001';

  it('saves a review after checking the product through the router with a service token', async () => {
    router.requests.length = 0;
    const res = await q(add, { input: { productId: PRODUCT_1, rating: 4, body: '  Works as advertised.  ' } }, CUSTOMER(customer));
    expect(res.errors).toBeUndefined();
    expect(res.data!.addReview).toMatchObject({ rating: 4, body: 'Works as advertised.', author: { id: customer }, product: { id: PRODUCT_1 } });
    const row = await db.review.findUniqueOrThrow({ where: { id: res.data!.addReview.id } });
    expect(row).toMatchObject({ productId: PRODUCT_1, authorId: customer, rating: 4, body: 'Works as advertised.' });

    expect(router.requests).toHaveLength(1);
    const [scheme, token] = router.requests[0]!.authorization!.split(' ');
    expect(scheme).toBe('Bearer');
    const check = await createTokenVerifier({ alg: 'HS256', secret: SECRET })(token!);
    expect(check).toMatchObject({ ok: true, identity: { role: 'SERVICE', sub: 'service:reviews' } });

    // The new review is first in the product's newest-first list.
    const list = await entities('... on Product { reviews(first: 1) { edges { node { id } } } }', [{ __typename: 'Product', id: PRODUCT_1 }]);
    expect(list.data!._entities[0].reviews.edges[0].node.id).toBe(row.id);
  });

  it('lets an admin review too', async () => {
    const res = await q(add, { input: { productId: NEW_PRODUCT, rating: 5, body: 'Admin approved.' } }, ADMIN());
    expect(res.errors).toBeUndefined();
    await db.review.delete({ where: { id: res.data!.addReview.id } });
  });

  const cases: [string, Record<string, unknown>, Record<string, string>, string][] = [
    ['a rating of 0', { rating: 0 }, CUSTOMER(customer), 'BAD_USER_INPUT'],
    ['a rating of 6', { rating: 6 }, CUSTOMER(customer), 'BAD_USER_INPUT'],
    ['an empty body', { body: '   ' }, CUSTOMER(customer), 'BAD_USER_INPUT'],
    ['a body over 5000 characters', { body: 'x'.repeat(5001) }, CUSTOMER(customer), 'BAD_USER_INPUT'],
    ['a malformed productId', { productId: 'SKU-0001' }, CUSTOMER(customer), 'BAD_USER_INPUT'],
    ['an unknown productId', { productId: UNKNOWN_PRODUCT }, CUSTOMER(customer), 'BAD_USER_INPUT'],
    ['an anonymous caller', {}, {}, 'UNAUTHENTICATED'],
    ['a service caller', {}, asIdentity({ sub: 'service:orders', role: 'SERVICE' }), 'FORBIDDEN'],
  ];
  it.each(cases)('rejects %s with a stable code and writes nothing', async (_label, change, headers, code) => {
    const before = await db.review.count();
    const input = { productId: NEW_PRODUCT, rating: 3, body: 'Fine.', ...change };
    const res = await q(add, { input }, headers);
    expect(errorCodes(res)).toEqual([code]);
    expect(res.data).toBeNull();
    expect(await db.review.count()).toBe(before);
  });

  it('names the field and the product for an unknown product', async () => {
    const res = await q(add, { input: { productId: UNKNOWN_PRODUCT, rating: 3, body: 'Fine.' } }, CUSTOMER(customer));
    expect(res.errors![0]!.message).toBe(unknownProduct(UNKNOWN_PRODUCT).message);
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.productId' });
    const rating = await q(add, { input: { productId: NEW_PRODUCT, rating: 0, body: 'Fine.' } }, CUSTOMER(customer));
    expect(rating.errors![0]!.extensions).toMatchObject({ field: 'input.rating' });
  });

  it('rejects a second review of the same product by the same user with CONFLICT', async () => {
    const author = seedId('user', 2);
    const existing = await db.review.findFirstOrThrow({ where: { authorId: author } });
    const before = await db.review.count();
    const res = await q(add, { input: { productId: existing.productId, rating: 1, body: 'Changed my mind.' } }, CUSTOMER(author));
    expect(errorCodes(res)).toEqual(['CONFLICT']);
    expect(res.errors![0]!.message).toBe(duplicateReview(existing.productId).message);
    expect(await db.review.count()).toBe(before);
  });

  it('maps a lost race on the unique index to CONFLICT', async () => {
    const author = '00000000-0000-4000-8000-00000000c002';
    const input = { productId: NEW_PRODUCT, rating: 2, body: 'Twice at once.' };
    const results = await Promise.all([q(add, { input }, CUSTOMER(author)), q(add, { input }, CUSTOMER(author))]);
    const codes = results.map((r) => (r.errors ? errorCodes(r)[0] : 'OK')).sort();
    expect(codes).toEqual(['CONFLICT', 'OK']);
    expect(await db.review.count({ where: { authorId: author } })).toBe(1);
    await db.review.deleteMany({ where: { authorId: author } });
  });

  it('answers SERVICE_UNAVAILABLE when the router answers with errors, writing nothing', async () => {
    const before = await db.review.count();
    const res = await q(add, { input: { productId: BROKEN_PRODUCT, rating: 3, body: 'Fine.' } }, CUSTOMER(customer));
    expect(errorCodes(res)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(res.errors![0]!.message).toBe(catalogUnavailable().message);
    expect(await db.review.count()).toBe(before);
  });
});

describe('router down', () => {
  let downUrl: string;
  let stopDown: () => Promise<void>;

  beforeAll(async () => {
    const closedPort = await freePort(); // nothing listens there
    const down = createReviewsSubgraph({
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
    const before = await db.review.count();
    const res = await graphql(downUrl, 'mutation { addReview(input: { productId: "' + NEW_PRODUCT + '", rating: 5, body: "Great." }) { id } }', {}, CUSTOMER('00000000-0000-4000-8000-00000000c003'));
    expect(errorCodes(res)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(JSON.stringify(res.errors)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|fetch/);
    expect(await db.review.count()).toBe(before);
  });
});

describe('router product directory', () => {
  it('gives up after its timeout instead of hanging', async () => {
    const directory = createRouterProductDirectory({ routerUrl: router.url, token: async () => 't', timeoutMs: 200 });
    const started = Date.now();
    await expect(directory.exists(HANGING_PRODUCT)).rejects.toBeInstanceOf(ProductDirectoryUnavailableError);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('sends a pre-minted SERVICE_TOKEN as is', async () => {
    router.requests.length = 0;
    const directory = createRouterProductDirectory({ routerUrl: router.url, token: createServiceTokenSource({ serviceToken: 'pre-minted' }) });
    expect(await directory.exists(PRODUCT_1)).toBe(true);
    expect(await directory.exists(UNKNOWN_PRODUCT)).toBe(false);
    expect(router.requests.map((r) => r.authorization)).toEqual(['Bearer pre-minted', 'Bearer pre-minted']);
  });
});
