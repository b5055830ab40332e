// Persisted operations through the real router over HTTP: safelist, APQ (in memory and in Redis
// shared by two routers) and `off`.
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type RunningServer } from '@store/core';
import { HASH_MISMATCH_MESSAGE, notInListMessage, type PersistedOperationsMode } from '../src/operations/persisted-operations.ts';
import { createRedisClient } from '../src/redis.ts';
import { createRouter, RouterSetupError, type Router, type RouterOptions } from '../src/server.ts';
import { redisTestsEnabled, TEST_REDIS_URL } from '@store/testkit';
import { composeSupergraph, createGate, DEV_KEY, quietLogger, startAccountsSubgraph, startPostsSubgraph, type TestSubgraph } from './support/test-graph.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const USERS = 'query Users { users { id name } }';
// Stored as the manifest has it; clients may send it reformatted.
const USER = 'query User($id: ID!) { user(id: $id) { id name } }';
const USER_REFORMATTED = `# a comment
query User($id: ID!) {
  user(id: $id) {
    id,
    name
  }
}
`;
const NOT_LISTED = '{ users { name } }';
const USERS_DATA = { users: [{ id: 'u1', name: 'Ada' }, { id: 'u2', name: 'Grace' }] };

let accounts: TestSubgraph;
let posts: TestSubgraph;
let supergraphSdl: string;
let dir: string;
let manifestFile: string;
const routers: Router[] = [];

beforeAll(async () => {
  accounts = await startAccountsSubgraph();
  posts = await startPostsSubgraph(() => createGate());
  supergraphSdl = composeSupergraph([
    { name: 'accounts', typeDefs: accounts.typeDefs, url: accounts.url },
    { name: 'posts', typeDefs: posts.typeDefs, url: posts.url },
  ]);
  dir = mkdtempSync(join(tmpdir(), 'router-persisted-'));
  manifestFile = join(dir, 'persisted-operations.json');
  const operations = [USERS, USER].map((document) => ({ name: /query (\w+)/.exec(document)![1], hash: sha256(document), document }));
  writeFileSync(manifestFile, JSON.stringify({ format: 'store-persisted-operations', version: 1, client: 'test-app', operations }));
});
afterAll(async () => {
  for (const router of routers) await router.stop();
  await accounts?.stop();
  await posts?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function startRouter(mode: PersistedOperationsMode, extra: Partial<RouterOptions> = {}, apqKeyPrefix?: string): Promise<string> {
  const router = await createRouter({
    supergraphSdl,
    logger: quietLogger,
    verifyingKey: DEV_KEY,
    persistedOperations: { mode, manifestFiles: [manifestFile], ...(apqKeyPrefix !== undefined && { apqKeyPrefix }) },
    ...extra,
  });
  routers.push(router);
  const running: RunningServer = await router.listen(0);
  return `${running.url}/graphql`;
}

interface Answer {
  status: number;
  cacheControl: string | null;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
}

async function post(url: string, body: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, cacheControl: response.headers.get('cache-control'), body: (await response.json()) as Answer['body'] };
}

async function get(url: string, params: Record<string, string>): Promise<Answer> {
  const response = await fetch(`${url}?${new URLSearchParams(params)}`, { headers: { 'apollo-require-preflight': 'true' } });
  return { status: response.status, cacheControl: response.headers.get('cache-control'), body: (await response.json()) as Answer['body'] };
}

const apq = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });
const codeOf = (answer: Answer) => answer.body.errors?.[0]?.extensions?.code;

describe('PERSISTED_OPERATIONS=safelist', () => {
  let url: string;
  beforeAll(async () => {
    url = await startRouter('safelist');
  });

  it('runs a manifest operation sent by its hash (APQ extension or documentId), over POST and GET', async () => {
    expect(await post(url, { extensions: apq(sha256(USERS)) })).toMatchObject({ status: 200, body: { data: USERS_DATA } });
    expect(await post(url, { documentId: sha256(USER), variables: { id: 'u2' } })).toMatchObject({ status: 200, body: { data: { user: { id: 'u2', name: 'Grace' } } } });
    expect(await post(url, { documentId: `sha256:${sha256(USER)}`, variables: { id: 'u1' } })).toMatchObject({ status: 200, body: { data: { user: { id: 'u1', name: 'Ada' } } } });
    expect(await get(url, { extensions: JSON.stringify(apq(sha256(USERS))) })).toMatchObject({ status: 200, body: { data: USERS_DATA } });
  });

  it('runs a manifest operation sent as its exact document, or reformatted (whitespace, commas, comments)', async () => {
    for (let i = 0; i < 2; i++) {
      expect(await post(url, { query: USERS })).toMatchObject({ status: 200, body: { data: USERS_DATA } });
      expect(await post(url, { query: USER_REFORMATTED, variables: { id: 'u1' } })).toMatchObject({ status: 200, body: { data: { user: { id: 'u1', name: 'Ada' } } } });
    }
    expect(await get(url, { query: USER_REFORMATTED, variables: '{"id":"u2"}' })).toMatchObject({ status: 200, body: { data: { user: { name: 'Grace' } } } });
  });

  it('refuses any other document before running it, on a first and on a repeated request', async () => {
    for (let i = 0; i < 3; i++) {
      const refused = await post(url, { query: NOT_LISTED });
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual({ errors: [{ message: notInListMessage('document'), extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST' } }] });
    }
    // A listed operation's document with one more field is another document.
    expect(codeOf(await post(url, { query: 'query Users { users { id name __typename } }' }))).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    expect(codeOf(await get(url, { query: NOT_LISTED }))).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    expect(codeOf(await post(url, { query: '{ __schema { types { name } } }' }))).toBe('PERSISTED_QUERY_NOT_IN_LIST');
  });

  it('refuses unknown hashes and APQ registrations of unlisted documents', async () => {
    const unknown = await post(url, { extensions: apq(sha256(NOT_LISTED)) });
    expect(unknown.status).toBe(403);
    expect(unknown.body.errors).toEqual([{ message: notInListMessage('hash'), extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST' } }]);
    for (let i = 0; i < 2; i++) expect(codeOf(await post(url, { query: NOT_LISTED, extensions: apq(sha256(NOT_LISTED)) }))).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    expect(codeOf(await post(url, { documentId: sha256(NOT_LISTED) }))).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    // And the registration did not make it known.
    expect(codeOf(await post(url, { extensions: apq(sha256(NOT_LISTED)) }))).toBe('PERSISTED_QUERY_NOT_IN_LIST');
  });

  it('answers malformed persisted-query requests with 400 BAD_REQUEST', async () => {
    expect(await post(url, { extensions: { persistedQuery: { version: 2, sha256Hash: sha256(USERS) } } })).toMatchObject({ status: 400, body: { errors: [{ extensions: { code: 'BAD_REQUEST' } }] } });
    expect(await post(url, { extensions: apq('not-a-hash') })).toMatchObject({ status: 400, body: { errors: [{ extensions: { code: 'BAD_REQUEST' } }] } });
    expect(await post(url, { documentId: 42 })).toMatchObject({ status: 400, body: { errors: [{ extensions: { code: 'BAD_REQUEST' } }] } });
    expect(await get(url, { query: USERS, extensions: '{not json' })).toMatchObject({ status: 400, body: { errors: [{ extensions: { code: 'BAD_REQUEST' } }] } });
    expect(await post(url, { query: USERS, extensions: apq(sha256(USER)) })).toMatchObject({ status: 400, body: { errors: [{ message: HASH_MISMATCH_MESSAGE }] } });
  });

  it('refuses to start without operations to allow, or with a manifest whose hash is not its document’s', async () => {
    const options = { supergraphSdl, logger: quietLogger, verifyingKey: DEV_KEY };
    await expect(createRouter({ ...options, persistedOperations: { mode: 'safelist', manifestFiles: [] } })).rejects.toThrow(RouterSetupError);
    const forged = join(dir, 'forged.json');
    writeFileSync(forged, JSON.stringify([{ name: 'Users', hash: sha256(NOT_LISTED), document: USERS }]));
    await expect(createRouter({ ...options, persistedOperations: { mode: 'safelist', manifestFiles: [forged] } })).rejects.toThrow(/is not the sha256 of its document/);
    await expect(createRouter({ ...options, persistedOperations: { mode: 'apq', manifestFiles: [join(dir, 'missing.json')] } })).rejects.toThrow(/missing\.json: file not found/);
  });
});

describe('PERSISTED_OPERATIONS=apq (in memory)', () => {
  let url: string;
  beforeAll(async () => {
    url = await startRouter('apq');
  });

  it('misses, registers, then hits by hash alone (POST)', async () => {
    const query = `query Apq${randomUUID().slice(0, 8)} { users { id } }`.replace(/-/g, '');
    const miss = await post(url, { extensions: apq(sha256(query)) });
    expect(miss).toEqual({ status: 200, cacheControl: 'private, no-cache, must-revalidate', body: { errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] } });
    expect(await post(url, { query, extensions: apq(sha256(query)) })).toMatchObject({ status: 200, body: { data: { users: [{ id: 'u1' }, { id: 'u2' }] } } });
    for (let i = 0; i < 2; i++) expect(await post(url, { extensions: apq(sha256(query)) })).toMatchObject({ status: 200, body: { data: { users: [{ id: 'u1' }, { id: 'u2' }] } } });
  });

  it('serves APQ over GET (miss, registration, hit)', async () => {
    const query = '{ users { name } }';
    const extensions = JSON.stringify(apq(sha256(query)));
    expect(codeOf(await get(url, { extensions }))).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(await get(url, { query, extensions })).toMatchObject({ status: 200, body: { data: { users: [{ name: 'Ada' }, { name: 'Grace' }] } } });
    expect(await get(url, { extensions })).toMatchObject({ status: 200, body: { data: { users: [{ name: 'Ada' }, { name: 'Grace' }] } } });
  });

  it('refuses a registration whose hash is not the document’s, and does not register it', async () => {
    const query = '{ users { id name } }';
    const wrong = sha256(`${query} `);
    expect(await post(url, { query, extensions: apq(wrong) })).toMatchObject({ status: 400, body: { errors: [{ message: HASH_MISMATCH_MESSAGE, extensions: { code: 'BAD_REQUEST' } }] } });
    expect(codeOf(await post(url, { extensions: apq(wrong) }))).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('accepts the manifests’ operations by hash, and any document', async () => {
    expect(await post(url, { extensions: apq(sha256(USERS)) })).toMatchObject({ status: 200, body: { data: USERS_DATA } });
    expect(await post(url, { documentId: sha256(USERS) })).toMatchObject({ status: 200, body: { data: USERS_DATA } });
    expect(await post(url, { query: NOT_LISTED })).toMatchObject({ status: 200, body: { data: { users: [{ name: 'Ada' }, { name: 'Grace' }] } } });
  });
});

describe('PERSISTED_OPERATIONS=off', () => {
  it('answers hash-only requests PERSISTED_QUERY_NOT_SUPPORTED and runs documents', async () => {
    const url = await startRouter('off');
    expect(await post(url, { extensions: apq(sha256(USERS)) })).toMatchObject({ status: 200, body: { errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED' } }] } });
    expect(codeOf(await post(url, { documentId: sha256(USERS) }))).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
    expect(await post(url, { query: NOT_LISTED })).toMatchObject({ status: 200, body: { data: { users: [{ name: 'Ada' }, { name: 'Grace' }] } } });
  });
});

const redis = await redisTestsEnabled();

describe.runIf(redis.run)('PERSISTED_OPERATIONS=apq with Redis (REDIS_URL)', () => {
  it('is reachable (with CI=true this fails when Redis is not running)', () => {
    expect(redis.reachable, `no Redis answers at ${TEST_REDIS_URL}`).toBe(true);
  });

  it('shares registrations between two routers, with a TTL on the key', async () => {
    const prefix = `test:apq:${randomUUID()}:`;
    const first = await startRouter('apq', { redisUrl: TEST_REDIS_URL }, prefix);
    const second = await startRouter('apq', { redisUrl: TEST_REDIS_URL }, prefix);
    const query = '{ users { id } }';
    const hash = sha256(query);
    expect(codeOf(await post(second, { extensions: apq(hash) }))).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(await post(first, { query, extensions: apq(hash) })).toMatchObject({ status: 200, body: { data: { users: [{ id: 'u1' }, { id: 'u2' }] } } });
    // Registered on the first router, found by the second, which never saw the document.
    expect(await post(second, { extensions: apq(hash) })).toMatchObject({ status: 200, body: { data: { users: [{ id: 'u1' }, { id: 'u2' }] } } });

    const client = createRedisClient({ url: TEST_REDIS_URL, logger: createLogger({ level: 'silent' }) });
    try {
      expect(await client.get(`${prefix}${hash}`)).toBe(query);
      const ttl = await client.eval("return redis.call('TTL', KEYS[1])", [`${prefix}${hash}`], []);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(24 * 60 * 60);
      // A document in Redis that is not its key's is not served.
      const forgedHash = sha256('{ users { name } }');
      await client.setWithTtl(`${prefix}${forgedHash}`, query, 60);
      expect(codeOf(await post(second, { extensions: apq(forgedHash) }))).toBe('PERSISTED_QUERY_NOT_FOUND');
      await client.eval("return redis.call('DEL', KEYS[1], KEYS[2])", [`${prefix}${hash}`, `${prefix}${forgedHash}`], []);
    } finally {
      await client.close();
    }
  });

  it('falls back to the local store when Redis is unreachable (a miss, never a failure)', async () => {
    const url = await startRouter('apq', { redisUrl: 'redis://127.0.0.1:1' }, `test:apq:${randomUUID()}:`);
    const query = '{ users { name } }';
    expect(codeOf(await post(url, { extensions: apq(sha256(query)) }))).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(await post(url, { query, extensions: apq(sha256(query)) })).toMatchObject({ status: 200, body: { data: { users: [{ name: 'Ada' }, { name: 'Grace' }] } } });
    expect(await post(url, { extensions: apq(sha256(query)) })).toMatchObject({ status: 200, body: { data: { users: [{ name: 'Ada' }, { name: 'Grace' }] } } });
  });
});
