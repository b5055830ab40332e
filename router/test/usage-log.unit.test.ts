// The usage log through the real router over HTTP: NDJSON lines aggregated per (operation, client,
// version), with the client headers and the schema coordinates, on both request paths.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UsageLine } from '../src/operations/usage-log.ts';
import { createRouter, type Router } from '../src/server.ts';
import { composeSupergraph, createGate, DEV_KEY, quietLogger, startAccountsSubgraph, startPostsSubgraph, type TestSubgraph } from './support/test-graph.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const USERS = 'query Users { users { id name posts { title } } }';
const USER = 'query User($id: ID!) { user(id: $id) { name } }';

let accounts: TestSubgraph;
let posts: TestSubgraph;
let supergraphSdl: string;
let dir: string;

beforeAll(async () => {
  accounts = await startAccountsSubgraph();
  posts = await startPostsSubgraph(() => createGate());
  supergraphSdl = composeSupergraph([
    { name: 'accounts', typeDefs: accounts.typeDefs, url: accounts.url },
    { name: 'posts', typeDefs: posts.typeDefs, url: posts.url },
  ]);
  dir = mkdtempSync(join(tmpdir(), 'router-usage-'));
});
afterAll(async () => {
  await accounts?.stop();
  await posts?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function post(url: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: unknown[] } };
}

const readLines = (file: string): UsageLine[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as UsageLine);

async function startRouter(file: string, flushIntervalMs = 3_600_000): Promise<{ router: Router; url: string }> {
  const router = await createRouter({ supergraphSdl, logger: quietLogger, verifyingKey: DEV_KEY, usageLog: { file, flushIntervalMs } });
  const running = await router.listen(0);
  return { router, url: `${running.url}/graphql` };
}

describe('USAGE_LOG_FILE', () => {
  it('writes one aggregated line per operation, client and version when the router stops', async () => {
    const file = join(dir, 'nested', 'usage.ndjson');
    const { router, url } = await startRouter(file);
    const web = { 'apollographql-client-name': 'web', 'apollographql-client-version': '1.4.0' };
    // The first request runs through Apollo Server, the next ones through the fast path.
    for (let i = 0; i < 3; i++) expect((await post(url, { query: USERS }, web)).status).toBe(200);
    expect((await post(url, { query: USERS }, { 'graphql-client-name': 'ios', 'graphql-client-version': '7' })).status).toBe(200);
    expect((await post(url, { query: USER, variables: { id: 'u1' } })).body).toEqual({ data: { user: { name: 'Ada' } } });
    // Rejected variables: the fast path hands the request to Apollo Server, which runs it again;
    // still one count per request.
    for (let i = 0; i < 2; i++) expect((await post(url, { query: USER, variables: { id: {} } }, web)).status).toBe(400);
    // Invalid documents never reach the executor: not usage.
    expect((await post(url, { query: '{ nope }' }, web)).status).toBe(400);
    expect(existsSync(file)).toBe(false);
    await router.stop();

    const lines = readLines(file);
    const byKey = Object.fromEntries(lines.map((l) => [`${l.name}/${l.client}/${l.clientVersion}`, l]));
    expect(Object.keys(byKey).sort()).toEqual(['User/null/null', 'User/web/1.4.0', 'Users/ios/7', 'Users/web/1.4.0']);
    const users = byKey['Users/web/1.4.0']!;
    expect(users).toMatchObject({ hash: sha256(USERS), name: 'Users', client: 'web', clientVersion: '1.4.0', count: 3 });
    expect(users.coordinates).toEqual(['ID', 'Post', 'Post.title', 'Query.users', 'String', 'User', 'User.id', 'User.name', 'User.posts']);
    expect(Date.parse(users.firstSeen)).toBeLessThanOrEqual(Date.parse(users.lastSeen));
    expect(byKey['Users/ios/7']).toMatchObject({ hash: sha256(USERS), count: 1 });
    expect(byKey['User/null/null']).toMatchObject({ hash: sha256(USER), count: 1, coordinates: ['ID', 'Query.user', 'Query.user(id:)', 'String', 'User', 'User.name'] });
    expect(byKey['User/web/1.4.0']).toMatchObject({ count: 2 });
  });

  it('flushes in the background and appends (each flush counts what ran since the previous one)', async () => {
    const file = join(dir, 'periodic.ndjson');
    const { router, url } = await startRouter(file, 50);
    try {
      await post(url, { query: USERS }, { 'apollographql-client-name': 'web' });
      // No fixed delay: wait until the timer has written the line.
      for (let i = 0; i < 200 && !(existsSync(file) && readLines(file).length > 0); i++) await new Promise((r) => setTimeout(r, 25));
      expect(readLines(file)).toMatchObject([{ name: 'Users', client: 'web', clientVersion: null, count: 1 }]);
      await post(url, { query: USERS }, { 'apollographql-client-name': 'web' });
    } finally {
      await router.stop();
    }
    expect(readLines(file)).toMatchObject([{ count: 1 }, { count: 1 }]);
  });

  it('cuts client names and versions to a bounded length', async () => {
    const file = join(dir, 'long.ndjson');
    const { router, url } = await startRouter(file);
    await post(url, { query: USERS }, { 'apollographql-client-name': 'x'.repeat(5000), 'apollographql-client-version': 'v'.repeat(300) });
    await router.stop();
    const [line] = readLines(file);
    expect(line!.client).toBe('x'.repeat(64));
    expect(line!.clientVersion).toBe('v'.repeat(64));
  });

  it('records persisted operations under their manifest hash', async () => {
    const file = join(dir, 'persisted.ndjson');
    const router = await createRouter({ supergraphSdl, logger: quietLogger, verifyingKey: DEV_KEY, usageLog: { file } });
    const url = `${(await router.listen(0)).url}/graphql`;
    const query = '{ users { id } }';
    await post(url, { query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } });
    await post(url, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } });
    await router.stop();
    expect(readLines(file)).toMatchObject([{ hash: sha256(query), name: null, count: 2, coordinates: ['ID', 'Query.users', 'User', 'User.id'] }]);
  });
});
