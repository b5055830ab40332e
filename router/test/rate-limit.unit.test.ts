import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, signAccessToken, type Identity } from '@store/core';
import { parseRouterEnv, PRODUCTION_RATE_LIMIT } from '../src/config.ts';
import { RATE_LIMIT_UNAVAILABLE_MESSAGE, rateLimitedMessage } from '../src/rate-limit/errors.ts';
import type { RateLimitOptions } from '../src/rate-limit/limiter.ts';
import { RATE_LIMIT_SPEC_HINT } from '../src/rate-limit/policy.ts';
import { createRouter, RouterSetupError, type RouterOptions } from '../src/server.ts';
import { redisTestsEnabled, TEST_REDIS_URL } from '@store/testkit';
import { closedPortUrl, composeSupergraph, createGate, DEV_KEY, quietLogger, startAccountsSubgraph, startPostsSubgraph, type TestSubgraph } from './support/test-graph.ts';

let accounts: TestSubgraph;
let posts: TestSubgraph;
let supergraphSdl: string;
const toStop: (() => Promise<void>)[] = [];

beforeAll(async () => {
  accounts = await startAccountsSubgraph();
  posts = await startPostsSubgraph(() => createGate());
  toStop.push(accounts.stop, posts.stop);
  supergraphSdl = composeSupergraph([
    { name: 'accounts', typeDefs: accounts.typeDefs, url: accounts.url },
    { name: 'posts', typeDefs: posts.typeDefs, url: posts.url },
  ]);
});
afterAll(async () => {
  for (const stop of toStop.reverse()) await stop();
});

/** A long window: no test here waits for a window to end. */
const HOUR = 3_600_000;
const ada: Identity = { sub: 'u1', role: 'CUSTOMER', scopes: [] };
const grace: Identity = { sub: 'u2', role: 'CUSTOMER', scopes: [] };
const bearer = async (identity: Identity) => `Bearer ${(await signAccessToken(identity, DEV_KEY, 300)).token}`;
const USERS = '{ users { id } }';

async function startRouter(options: Partial<RouterOptions>): Promise<string> {
  const router = await createRouter({ supergraphSdl, logger: quietLogger, verifyingKey: DEV_KEY, ...options });
  toStop.push(() => router.stop());
  return `${(await router.listen(0)).url}/graphql`;
}

async function post(url: string, query: string, headers: Record<string, string> = {}, variables?: Record<string, unknown>) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } };
}

type Answer = Awaited<ReturnType<typeof post>>;

function expectRateLimited(res: Answer, limit: number) {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(HOUR / 1000);
  expect(res.headers.get('ratelimit-limit')).toBe(String(limit));
  expect(res.headers.get('ratelimit-remaining')).toBe('0');
  expect(res.headers.get('ratelimit-reset')).toBe(String(retryAfter));
  expect(res.body).toEqual({ errors: [{ message: rateLimitedMessage(retryAfter), extensions: { code: 'RATE_LIMITED' } }] });
}

describe('in-memory rate limit', () => {
  it('refuses the (N+1)-th request of a user with 429 and headers; other users and anonymous callers are unaffected', async () => {
    const url = await startRouter({ rateLimit: { max: 3, windowMs: HOUR } });
    const adaToken = await bearer(ada);
    // The first request goes through Apollo Server, the next ones through the fast path.
    for (const remaining of [2, 1, 0]) {
      const res = await post(url, USERS, { authorization: adaToken });
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-limit')).toBe('3');
      expect(res.headers.get('ratelimit-remaining')).toBe(String(remaining));
      expect(res.headers.get('ratelimit-policy')).toBe('3;w=3600');
    }
    expectRateLimited(await post(url, USERS, { authorization: adaToken }), 3);
    // A document the router has not seen yet (Apollo Server's path) is refused the same way.
    expectRateLimited(await post(url, '{ users { name } }', { authorization: adaToken }), 3);

    const other = await post(url, USERS, { authorization: await bearer(grace) });
    expect(other.status).toBe(200);
    expect(other.headers.get('ratelimit-remaining')).toBe('2');
    const anonymous = await post(url, USERS);
    expect(anonymous.status).toBe(200);
    expect(anonymous.headers.get('ratelimit-remaining')).toBe('2');
  });

  it('with RATE_LIMIT_KEY=ip, every caller from one address shares one budget', async () => {
    const url = await startRouter({ rateLimit: { max: 3, windowMs: HOUR, key: 'ip' } });
    expect((await post(url, USERS, { authorization: await bearer(ada) })).status).toBe(200);
    expect((await post(url, USERS, { authorization: await bearer(grace) })).status).toBe(200);
    expect((await post(url, USERS)).status).toBe(200);
    expectRateLimited(await post(url, USERS, { authorization: await bearer({ sub: 'u3', role: 'CUSTOMER', scopes: [] }) }), 3);
    expectRateLimited(await post(url, USERS), 3);
  });

  it('counts anonymous requests per IP', async () => {
    const url = await startRouter({ rateLimit: { max: 2, windowMs: HOUR } });
    expect((await post(url, USERS)).status).toBe(200);
    expect((await post(url, USERS)).status).toBe(200);
    expectRateLimited(await post(url, USERS), 2);
    // A signed-in user has a budget of their own.
    expect((await post(url, USERS, { authorization: await bearer(ada) })).status).toBe(200);
  });

  it('counts a request once when the fast path hands it to Apollo Server (bad variables)', async () => {
    const url = await startRouter({ rateLimit: { max: 2, windowMs: HOUR } });
    const headers = { authorization: await bearer(ada) };
    const query = 'query($id: ID!) { user(id: $id) { name } }';
    const first = await post(url, query, headers, { id: 'u1' });
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-remaining')).toBe('1');
    // Prepared now: the fast path builds the context, rejects the variables and falls back to
    // Apollo Server, which builds the context again. Counted twice, this would be a 429.
    const fallback = await post(url, query, headers, { id: { not: 'an id' } });
    expect(fallback.status).toBe(400);
    expect(fallback.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(fallback.headers.get('ratelimit-remaining')).toBe('0');
    expectRateLimited(await post(url, query, headers, { id: 'u1' }), 2);
  });

  it('counts refused tokens against the IP, so token guessing is throttled too', async () => {
    const url = await startRouter({ rateLimit: { max: 2, windowMs: HOUR } });
    for (let i = 0; i < 2; i++) {
      const res = await post(url, USERS, { authorization: 'Bearer not.a.jwt' });
      expect(res.status).toBe(401);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    expectRateLimited(await post(url, USERS, { authorization: 'Bearer not.a.jwt' }), 2);
    expectRateLimited(await post(url, USERS), 2);
  });

  it('does not limit the platform\'s own services (SERVICE tokens)', async () => {
    const url = await startRouter({ rateLimit: { max: 1, windowMs: HOUR } });
    const service = await bearer({ sub: 'orders', role: 'SERVICE', scopes: [] });
    for (let i = 0; i < 3; i++) expect((await post(url, USERS, { authorization: service })).status).toBe(200);
  });

  it('ignores X-Forwarded-For unless told how many proxies to trust', async () => {
    const direct = await startRouter({ rateLimit: { max: 1, windowMs: HOUR } });
    expect((await post(direct, USERS, { 'x-forwarded-for': '203.0.113.1' })).status).toBe(200);
    // A client cannot buy a fresh budget by writing the header itself.
    expectRateLimited(await post(direct, USERS, { 'x-forwarded-for': '203.0.113.2' }), 1);

    const proxied = await startRouter({ rateLimit: { max: 1, windowMs: HOUR }, trustedProxyHops: 1 });
    expect((await post(proxied, USERS, { 'x-forwarded-for': '203.0.113.1' })).status).toBe(200);
    expect((await post(proxied, USERS, { 'x-forwarded-for': '203.0.113.2' })).status).toBe(200);
    // Only the entry the trusted proxy appended counts, not what the client put before it.
    expectRateLimited(await post(proxied, USERS, { 'x-forwarded-for': '198.51.100.7, 203.0.113.1' }), 1);
  });

  it('is off by default: many requests from one IP keep working', async () => {
    const url = await startRouter({});
    const answers = await Promise.all(Array.from({ length: 50 }, () => post(url, USERS)));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    expect(answers[0]!.headers.get('ratelimit-limit')).toBeNull();
  });
});

describe('what counts: every request to the GraphQL endpoint, once, refused ones too', () => {
  const send = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(url, { method: 'POST', ...init, headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) } });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text === '' ? {} : JSON.parse(text)) as Answer['body'] };
  };
  const remaining = (res: { headers: Headers }) => res.headers.get('ratelimit-remaining');
  const codeOf = (res: { body: Answer['body'] }) => res.body.errors?.[0]?.extensions?.code;

  it('charges requests refused before GraphQL runs (body, JSON, parse, validation, token), then refuses with 429 before reading the body', async () => {
    const url = await startRouter({ rateLimit: { max: 6, windowMs: HOUR }, maxBodyBytes: 1024 });
    const refused = [
      { init: { body: '{"query": "{ users { id } ' }, status: 400, code: 'BAD_REQUEST' },
      { init: { body: JSON.stringify({ query: `{ users { id } } #${'x'.repeat(2048)}` }) }, status: 413, code: 'PAYLOAD_TOO_LARGE' },
      { init: { body: JSON.stringify({ query: '{ users { id ' }) }, status: 400, code: 'GRAPHQL_PARSE_FAILED' },
      { init: { body: JSON.stringify({ query: '{ nope }' }) }, status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
      { init: { body: JSON.stringify({ query: USERS }), headers: { authorization: 'Bearer not.a.jwt' } }, status: 401, code: 'UNAUTHENTICATED' },
    ];
    for (const [i, { init, status, code }] of refused.entries()) {
      const res = await send(url, init);
      expect([res.status, codeOf(res)]).toEqual([status, code]);
      // Counted once each: the budget goes down by exactly one per request.
      expect(remaining(res)).toBe(String(6 - 1 - i));
    }
    expect((await send(url, { body: JSON.stringify({ query: USERS }) })).status).toBe(200);
    // Over the budget: 429 first, whatever the body — even one the router would refuse as malformed
    // or too large (it is not read).
    expectRateLimited(await send(url, { body: JSON.stringify({ query: USERS }) }), 6);
    expectRateLimited(await send(url, { body: '{"query": ' }), 6);
    expectRateLimited(await send(url, { body: JSON.stringify({ query: `{ users { id } } #${'x'.repeat(512 * 1024)}` }) }), 6);
    // The connection stays usable after a refusal with an unread body: the router still answers.
    expect((await send(url, { body: JSON.stringify({ query: USERS }), headers: { authorization: await bearer(ada) } })).status).toBe(200);
  });

  it('charges operations the safelist refuses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rate-limit-safelist-'));
    try {
      const file = join(dir, 'persisted-operations.json');
      const hash = createHash('sha256').update(USERS).digest('hex');
      writeFileSync(file, JSON.stringify({ format: 'store-persisted-operations', version: 1, client: 'test-app', operations: [{ name: 'Users', hash, document: USERS }] }));
      const url = await startRouter({ rateLimit: { max: 3, windowMs: HOUR }, persistedOperations: { mode: 'safelist', manifestFiles: [file] } });
      expect((await post(url, USERS)).status).toBe(200);
      for (const left of ['1', '0']) {
        const res = await post(url, '{ users { name } }');
        expect([res.status, res.body.errors?.[0]?.extensions?.code]).toEqual([403, 'PERSISTED_QUERY_NOT_IN_LIST']);
        expect(res.headers.get('ratelimit-remaining')).toBe(left);
      }
      expectRateLimited(await post(url, '{ users { name } }'), 3);
      expectRateLimited(await post(url, USERS), 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does not charge CORS preflights or other paths; a 429 carries the CORS headers a page needs to read it', async () => {
    const url = await startRouter({ rateLimit: { max: 1, windowMs: HOUR }, corsOrigins: 'loopback' });
    const origin = 'http://127.0.0.1:5173';
    for (let i = 0; i < 3; i++) {
      const preflight = await fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
      expect(preflight.status).toBe(204);
      expect((await fetch(new URL('/health', url))).status).toBe(200);
      expect((await fetch(new URL('/nowhere', url), { method: 'POST' })).status).toBe(404);
    }
    const first = await post(url, USERS, { origin });
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-remaining')).toBe('0');
    const refused = await post(url, USERS, { origin });
    expectRateLimited(refused, 1);
    expect(refused.headers.get('access-control-allow-origin')).toBe(origin);
    expect(refused.headers.get('access-control-expose-headers')).toContain('retry-after');
  });

  it('counts GET operations too', async () => {
    const url = await startRouter({ rateLimit: { max: 1, windowMs: HOUR } });
    const get = () => fetch(`${url}?query=${encodeURIComponent(USERS)}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(429);
  });

  it('gives an IPv6 /64 one budget, and an IPv4-mapped address its IPv4 address\'s', async () => {
    const url = await startRouter({ rateLimit: { max: 1, windowMs: HOUR }, trustedProxyHops: 1 });
    const from = (address: string) => post(url, USERS, { 'x-forwarded-for': address });
    expect((await from('2001:db8:1:2::1')).status).toBe(200);
    expectRateLimited(await from('2001:db8:1:2:ffff:ffff:ffff:fffe'), 1);
    expect((await from('2001:db8:1:3::1')).status).toBe(200);
    expect((await from('::ffff:203.0.113.9')).status).toBe(200);
    expectRateLimited(await from('203.0.113.9'), 1);
    expect((await from('203.0.113.10')).status).toBe(200);
  });
});

describe('Redis unreachable', () => {
  const downUrl = async () => `redis://127.0.0.1:${new URL(await closedPortUrl()).port}`;
  const capture = () => {
    const lines: string[] = [];
    return { lines, logger: createLogger({ level: 'warn', format: 'json', write: (line) => lines.push(line) }) };
  };

  it('fails open by default: requests go through, and the failure is logged once, not per request', async () => {
    const { lines, logger } = capture();
    const url = await startRouter({ logger, redisUrl: await downUrl(), rateLimit: { max: 1, windowMs: HOUR } });
    for (let i = 0; i < 3; i++) {
      const res = await post(url, USERS);
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-limit')).toBeNull();
    }
    const warnings = lines.map((line) => JSON.parse(line) as { msg: string }).filter((l) => l.msg === 'rate limiting unavailable: letting requests through');
    expect(warnings).toHaveLength(1);
  });

  it('fails closed when configured: 503 SERVICE_UNAVAILABLE with Retry-After', async () => {
    const { logger } = capture();
    const url = await startRouter({ logger, redisUrl: await downUrl(), rateLimit: { max: 1, windowMs: HOUR, onStoreFailure: 'closed' } });
    const res = await post(url, USERS);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.body).toEqual({ errors: [{ message: RATE_LIMIT_UNAVAILABLE_MESSAGE, extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
  });

  it('refuses a REDIS_URL that is not a redis:// URL, naming the variable', async () => {
    const attempt = createRouter({ supergraphSdl, logger: quietLogger, verifyingKey: DEV_KEY, redisUrl: 'http://127.0.0.1:6379' });
    await expect(attempt).rejects.toBeInstanceOf(RouterSetupError);
    await expect(attempt).rejects.toMatchObject({ reason: 'invalid-redis-url', message: expect.stringContaining('REDIS_URL') });
  });
});

const redis = await redisTestsEnabled();

describe.runIf(redis.run)('Redis-shared rate limit', () => {
  beforeAll(() => {
    if (!redis.reachable) throw new Error(`CI=true: the Redis tests need a Redis at ${TEST_REDIS_URL} (.ci/run starts one)`);
  });

  const shared = (keyPrefix: string): RateLimitOptions => ({ max: 3, windowMs: HOUR, keyPrefix });

  it('two routers on the same Redis share one budget per caller', async () => {
    const prefix = `test:${randomUUID()}:`;
    const one = await startRouter({ redisUrl: TEST_REDIS_URL, rateLimit: shared(prefix) });
    const two = await startRouter({ redisUrl: TEST_REDIS_URL, rateLimit: shared(prefix) });
    const headers = { authorization: await bearer(ada) };
    expect((await post(one, USERS, headers)).headers.get('ratelimit-remaining')).toBe('2');
    expect((await post(two, USERS, headers)).headers.get('ratelimit-remaining')).toBe('1');
    expect((await post(one, USERS, headers)).headers.get('ratelimit-remaining')).toBe('0');
    expectRateLimited(await post(two, USERS, headers), 3);
    expectRateLimited(await post(one, USERS, headers), 3);
    // Another user, and another deployment (key prefix) on the same Redis, are unaffected.
    expect((await post(two, USERS, { authorization: await bearer(grace) })).status).toBe(200);
    const elsewhere = await startRouter({ redisUrl: TEST_REDIS_URL, rateLimit: shared(`test:${randomUUID()}:`) });
    expect((await post(elsewhere, USERS, headers)).headers.get('ratelimit-remaining')).toBe('2');
  });

  it('counts a fast-path fallback once in Redis too', async () => {
    const url = await startRouter({ redisUrl: TEST_REDIS_URL, rateLimit: { max: 2, windowMs: HOUR, keyPrefix: `test:${randomUUID()}:` } });
    const query = 'query($id: ID!) { user(id: $id) { name } }';
    expect((await post(url, query, {}, { id: 'u1' })).status).toBe(200);
    const fallback = await post(url, query, {}, { id: 42.5 });
    expect(fallback.status).toBe(400);
    expect(fallback.headers.get('ratelimit-remaining')).toBe('0');
    expectRateLimited(await post(url, query, {}, { id: 'u1' }), 2);
  });
});

describe('configuration', () => {
  const secret = 'a-production-secret-of-at-least-32-chars';

  it('is off in development and 600/1m per user (or IP) in production, failing open', () => {
    expect(parseRouterEnv({}).rateLimit).toBeNull();
    expect(parseRouterEnv({ APP_ENV: 'production', JWT_SECRET: secret }).rateLimit).toEqual({ ...PRODUCTION_RATE_LIMIT, key: 'user-or-ip', onRedisFailure: 'open' });
    expect(PRODUCTION_RATE_LIMIT).toEqual({ max: 600, windowMs: 60_000 });
    expect(parseRouterEnv({ APP_ENV: 'production', JWT_SECRET: secret, RATE_LIMIT: 'off' }).rateLimit).toBeNull();
  });

  it('reads RATE_LIMIT as <requests>/<window>', () => {
    expect(parseRouterEnv({ RATE_LIMIT: '20/s' }).rateLimit).toMatchObject({ max: 20, windowMs: 1_000 });
    expect(parseRouterEnv({ RATE_LIMIT: '5000/1h' }).rateLimit).toMatchObject({ max: 5000, windowMs: 3_600_000 });
    expect(parseRouterEnv({ RATE_LIMIT: '10 / 500ms' }).rateLimit).toMatchObject({ max: 10, windowMs: 500 });
    expect(parseRouterEnv({ TRUST_PROXY: 'on' }).trustedProxyHops).toBe(1);
  });

  it('names each bad variable', () => {
    const bad = { RATE_LIMIT: '600 per minute', RATE_LIMIT_KEY: 'user', RATE_LIMIT_ON_REDIS_FAILURE: 'maybe', REDIS_URL: 'localhost:6379', TRUST_PROXY: 'yes' };
    let message = '';
    try {
      parseRouterEnv(bad);
    } catch (error) {
      message = (error as Error).message;
    }
    for (const name of Object.keys(bad)) expect(message).toContain(`${name}=`);
    expect(message).toContain(RATE_LIMIT_SPEC_HINT);
    expect(() => parseRouterEnv({ RATE_LIMIT: '0/1m' })).toThrow(/RATE_LIMIT.*at least 1/s);
    expect(() => parseRouterEnv({ RATE_LIMIT: '10/2d' })).toThrow(/RATE_LIMIT/);
  });
});
