import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAccessToken } from '@store/core';
import { graphql } from '@store/testkit';
import { spawnRouter } from './support/spawn-router.ts';
import { composeSupergraph, createGate, DEV_KEY, startAccountsSubgraph, startPostsSubgraph, type TestSubgraph } from './support/test-graph.ts';

// The real router, as outside tools start it, with APOLLO_TELEMETRY_DISABLED deliberately absent:
// it must disable Apollo's telemetry itself and reach nothing but loopback. A preload records
// every destination the process tries (and refuses non-loopback ones).
const PRELOAD = new URL('./fixtures/record-egress.mjs', import.meta.url);

interface EgressRecord {
  via: string;
  host?: string;
  port?: number | string | null;
  path?: string;
  loopback: boolean;
}

let dir: string;
let accounts: TestSubgraph;
let posts: TestSubgraph;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'router-egress-'));
  accounts = await startAccountsSubgraph();
  posts = await startPostsSubgraph(() => createGate());
});
afterAll(async () => {
  await posts?.stop();
  await accounts?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('no egress', () => {
  it('the router process connects to loopback only, with telemetry left to the router to disable', async () => {
    const supergraphFile = join(dir, 'supergraph.graphql');
    writeFileSync(
      supergraphFile,
      composeSupergraph([
        { name: 'accounts', typeDefs: accounts.typeDefs, url: accounts.url },
        { name: 'posts', typeDefs: posts.typeDefs, url: posts.url },
      ]),
    );
    const egressLog = join(dir, 'egress.jsonl');
    writeFileSync(egressLog, '');
    // Built from scratch, so APOLLO_TELEMETRY_DISABLED (set for the test run itself) is absent.
    const router = spawnRouter(['--supergraph', supergraphFile, '--port', '0'], {
      NODE_OPTIONS: `--import=${pathToFileURL(PRELOAD.pathname).href}`,
      EGRESS_LOG_FILE: egressLog,
      APP_ENV: 'development',
      LOG_LEVEL: 'warn',
    });
    try {
      const url = await router.ready;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
      expect(url).not.toMatch(/:0\//);
      const token = (await signAccessToken({ sub: 'u1', role: 'CUSTOMER', scopes: [] }, DEV_KEY, 300)).token;
      const anonymous = await graphql(url, '{ user(id: "u1") { name posts { title } } }');
      expect(anonymous.errors).toBeUndefined();
      const signedIn = await graphql(url, '{ requestSeen { identity } }', undefined, { authorization: `Bearer ${token}` });
      expect(signedIn.data!.requestSeen.identity).toEqual(expect.any(String));
      expect((await graphql(url, '{ users { id } }')).status).toBe(200);
      // Give background exporters and resource detectors time to try (they start at construction).
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    } finally {
      router.child.kill('SIGTERM');
    }
    const { code } = await router.exited;
    expect(code, router.stderr()).toBe(0);

    const records: EgressRecord[] = readFileSync(egressLog, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line));
    const offLoopback = records.filter((r) => !r.loopback);
    expect(offLoopback).toEqual([]);
    // The recorder really saw the router's subgraph traffic (so this test can fail).
    expect(records.some((r) => r.via === 'net.connect' && r.host === '127.0.0.1' && r.loopback)).toBe(true);
  });
});
