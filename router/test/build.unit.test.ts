import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '@store/testkit';
import { buildRouter, ROUTER_DIR } from '../scripts/build.ts';
import { spawnRouter } from './support/spawn-router.ts';
import { composeSupergraph, createGate, startAccountsSubgraph, startPostsSubgraph, type TestSubgraph } from './support/test-graph.ts';

// The compiled router (`npm run build:router`, what the Docker image and the benchmark run) keeps
// the launch contract: same ready line, same answers, telemetry off and loopback only without
// APOLLO_TELEMETRY_DISABLED, exit 0 on SIGTERM. Built into its own folder beside router/dist, so a
// benchmark using router/dist is not disturbed.
const PRELOAD = new URL('./fixtures/record-egress.mjs', import.meta.url);

let outDir: string;
let accounts: TestSubgraph;
let posts: TestSubgraph;

beforeAll(async () => {
  outDir = mkdtempSync(join(ROUTER_DIR, 'dist-test-'));
  accounts = await startAccountsSubgraph();
  posts = await startPostsSubgraph(() => createGate());
});
afterAll(async () => {
  await posts?.stop();
  await accounts?.stop();
  rmSync(outDir, { recursive: true, force: true });
});

describe('compiled router', () => {
  it('builds to plain JavaScript and serves a supergraph as `npm run router` does', async () => {
    const { outfile } = await buildRouter({ outDir });
    const bundle = readFileSync(join(outDir, 'router.js'), 'utf8');
    // No TypeScript left to load at run time: no import of a .ts file, no tsx.
    expect(bundle).not.toMatch(/from ["'][^"']+\.ts["']/);
    expect(bundle).not.toMatch(/["']tsx["']/);

    const supergraphFile = join(outDir, 'supergraph.graphql');
    writeFileSync(
      supergraphFile,
      composeSupergraph([
        { name: 'accounts', typeDefs: accounts.typeDefs, url: accounts.url },
        { name: 'posts', typeDefs: posts.typeDefs, url: posts.url },
      ]),
    );
    const egressLog = join(outDir, 'egress.jsonl');
    writeFileSync(egressLog, '');
    const router = spawnRouter(
      ['--supergraph', supergraphFile, '--port', '0'],
      { NODE_OPTIONS: `--import=${pathToFileURL(PRELOAD.pathname).href}`, EGRESS_LOG_FILE: egressLog, APP_ENV: 'development', LOG_LEVEL: 'warn' },
      outfile,
    );
    try {
      const url = await router.ready;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
      const answer = await graphql(url, '{ user(id: "u1") { name posts { title } } }');
      expect(answer.status).toBe(200);
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.user.posts.length).toBeGreaterThan(0);
      // The fast path answers the second time: the same data.
      expect((await graphql(url, '{ user(id: "u1") { name posts { title } } }')).data).toEqual(answer.data);
      const invalid = await graphql(url, '{ nope }');
      expect(invalid.status).toBe(400);
      expect(invalid.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    } finally {
      router.child.kill('SIGTERM');
    }
    const { code } = await router.exited;
    expect(code, router.stderr()).toBe(0);
    const records = readFileSync(egressLog, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { loopback: boolean; via: string });
    expect(records.filter((r) => !r.loopback)).toEqual([]);
    expect(records.some((r) => r.via === 'net.connect')).toBe(true);
  });
});
