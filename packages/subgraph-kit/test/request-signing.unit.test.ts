import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { Redis } from 'ioredis';
import { createLogger, createRequestSigner, ErrorCode, SIGNATURE_HEADER } from '@store/core';
import { redisTestsEnabled, TEST_REDIS_URL } from '@store/testkit';
import { createSubgraphServer, type RequestSigningOptions } from '../src/index.ts';
import { REPLAY_CHECK_UNAVAILABLE_MESSAGE } from '../src/request-signing.ts';

// Replay protection across a subgraph's replicas: with REDIS_URL the nonces of accepted router
// requests are shared in Redis, so a request one replica served is refused (401) by another.

const SECRET = 'replay-test-secret-of-more-than-thirty-two-chars';
const BODY = JSON.stringify({ query: '{ hello }' });
const logger = createLogger({ level: 'silent' });
const toStop: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const stop of toStop.reverse()) await stop();
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** One replica of a tiny subgraph (no database), checking signatures as every subgraph does. */
async function startReplica(requestSigning: RequestSigningOptions): Promise<string> {
  const server = createSubgraphServer({
    name: 'replay-test',
    typeDefs: parse('type Query { hello: String }'),
    resolvers: { Query: { hello: () => 'world' } },
    logger,
    context: (info) => info,
    requestSigning,
  });
  const running = await server.listen(0);
  toStop.push(() => server.stop());
  return `${running.url}/graphql`;
}

/** What the router sends: the body and its signature, made now. */
const signed = () => ({ [SIGNATURE_HEADER]: createRequestSigner(SECRET)({ method: 'POST', path: '/graphql', body: BODY, identity: undefined }) });

async function post(url: string, headers: Record<string, string>) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: BODY });
  const body = (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
  return { status: response.status, code: body.errors?.[0]?.extensions?.code, message: body.errors?.[0]?.message, data: body.data };
}

describe('replay protection per process (no REDIS_URL)', () => {
  it('refuses a replay to the same replica; another replica, not sharing nonces, serves it once', async () => {
    const [one, two] = [await startReplica({ secrets: [SECRET] }), await startReplica({ secrets: [SECRET] })];
    const headers = signed();
    expect(await post(one, headers)).toMatchObject({ status: 200, data: { hello: 'world' } });
    expect(await post(one, headers)).toMatchObject({ status: 401, code: ErrorCode.REQUEST_SIGNATURE_REPLAYED });
    // The limitation REDIS_URL removes: each process only knows its own nonces.
    expect(await post(two, headers)).toMatchObject({ status: 200 });
    expect(await post(two, headers)).toMatchObject({ status: 401, code: ErrorCode.REQUEST_SIGNATURE_REPLAYED });
  });
});

describe('replay protection with an unreachable REDIS_URL', () => {
  it('fails closed: a validly signed request is refused with 503, and a bad signature is still a 401', async () => {
    const url = await startReplica({ secrets: [SECRET], redisUrl: `redis://127.0.0.1:${await closedPort()}` });
    expect(await post(url, signed())).toEqual({ status: 503, code: ErrorCode.SERVICE_UNAVAILABLE, message: REPLAY_CHECK_UNAVAILABLE_MESSAGE, data: undefined });
    expect(await post(url, {})).toMatchObject({ status: 401, code: ErrorCode.REQUEST_SIGNATURE_MISSING });
  });

  it('refuses a REDIS_URL that is not a redis:// URL', () => {
    expect(() => createSubgraphServer({ name: 'x', typeDefs: parse('type Query { hello: String }'), resolvers: {}, logger, context: (i) => i, requestSigning: { secrets: [SECRET], redisUrl: 'http://127.0.0.1:6379' } })).toThrow(/REDIS_URL/);
  });
});

const { run: redisTestsRun, reachable: redisReachable } = await redisTestsEnabled();

describe.runIf(redisTestsRun)('replay protection shared in Redis (REDIS_URL)', () => {
  it('a request accepted by one replica is refused (401 REQUEST_SIGNATURE_REPLAYED) by another', async () => {
    if (!redisReachable) throw new Error(`CI=true: the Redis tests need a Redis at ${TEST_REDIS_URL} (.ci/run starts one)`);
    const nonceKeyPrefix = `test:${randomUUID()}:`;
    const shared: RequestSigningOptions = { secrets: [SECRET], redisUrl: TEST_REDIS_URL, nonceKeyPrefix };
    const [one, two] = [await startReplica(shared), await startReplica(shared)];
    const headers = signed();
    expect(await post(one, headers)).toMatchObject({ status: 200, data: { hello: 'world' } });
    expect(await post(two, headers)).toMatchObject({ status: 401, code: ErrorCode.REQUEST_SIGNATURE_REPLAYED });
    expect(await post(one, headers)).toMatchObject({ status: 401, code: ErrorCode.REQUEST_SIGNATURE_REPLAYED });
    // Fresh signatures are served by either replica.
    expect(await post(two, signed())).toMatchObject({ status: 200 });
    expect(await post(one, signed())).toMatchObject({ status: 200 });
    // Another deployment (key prefix) on the same Redis does not see these nonces.
    const elsewhere = await startReplica({ ...shared, nonceKeyPrefix: `test:${randomUUID()}:` });
    expect(await post(elsewhere, headers)).toMatchObject({ status: 200 });

    // One key per accepted nonce, expiring after twice the tolerance (30 s), none for refusals.
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const nonce = /n=([^,]+)/.exec(headers[SIGNATURE_HEADER])![1]!;
      const ttl = await redis.pttl(`${nonceKeyPrefix}${nonce}`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
      expect(await redis.keys(`${nonceKeyPrefix}*`)).toHaveLength(3);
    } finally {
      redis.disconnect();
    }
  });
});
