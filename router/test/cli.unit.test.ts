import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_JWT_SECRET } from '@store/core';
import { spawnRouter } from './support/spawn-router.ts';
import { closedPortUrl, composeSupergraph, inventoryTypeDefs } from './support/test-graph.ts';

// The launch contract, run for real: operator mistakes end the process with a non-zero code and
// one clear message (what and why), never a stack trace.
let dir: string;
let supergraphFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'router-cli-'));
  supergraphFile = join(dir, 'supergraph.graphql');
  writeFileSync(supergraphFile, composeSupergraph([{ name: 'inventory', typeDefs: inventoryTypeDefs, url: await closedPortUrl() }]));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function runToExit(args: string[], env: Record<string, string> = {}) {
  const router = spawnRouter(args, { APP_ENV: 'development', LOG_LEVEL: 'warn', ...env });
  const { code } = await router.exited;
  return { code, stderr: router.stderr(), stdout: router.stdout() };
}

const NO_STACK = /^\s+at /m;

describe('router launch contract', () => {
  it('refuses a missing supergraph file, naming it', async () => {
    const missing = join(dir, 'nope.graphql');
    const { code, stderr } = await runToExit(['--supergraph', missing, '--port', '0']);
    expect(code).toBe(1);
    expect(stderr).toContain(`cannot read supergraph ${missing}: no such file`);
    expect(stderr).not.toMatch(NO_STACK);
  });

  it('refuses a file that is not a supergraph', async () => {
    const plain = join(dir, 'plain.graphql');
    writeFileSync(plain, 'type Query { hello: String }');
    const { code, stderr } = await runToExit(['--supergraph', plain, '--port', '0']);
    expect(code).toBe(1);
    expect(stderr).toContain(`cannot use supergraph ${plain}: not a valid supergraph`);
    expect(stderr).not.toMatch(NO_STACK);
  });

  it('refuses an override variable that names no subgraph', async () => {
    const { code, stderr } = await runToExit(['--supergraph', supergraphFile, '--port', '0'], { SUBGRAPH_INVENTROY_URL: 'http://127.0.0.1:1/graphql' });
    expect(code).toBe(1);
    expect(stderr).toContain('SUBGRAPH_INVENTROY_URL names no subgraph');
    expect(stderr).toContain('SUBGRAPH_INVENTORY_URL');
    expect(stderr).not.toMatch(NO_STACK);
  });

  it('refuses to start in production without a real token key', async () => {
    const { code, stderr } = await runToExit(['--supergraph', supergraphFile, '--port', '0'], { APP_ENV: 'production', JWT_SECRET: DEV_JWT_SECRET });
    expect(code).toBe(1);
    expect(stderr).toContain('JWT_SECRET is the development secret');
    expect(stderr).not.toContain(DEV_JWT_SECRET);
    expect(stderr).not.toMatch(NO_STACK);
  });

  it('refuses unknown arguments with the usage', async () => {
    const { code, stderr } = await runToExit(['--supergraf', supergraphFile]);
    expect(code).toBe(2);
    expect(stderr).toContain('usage: npm run router');
  });

  it('serves a valid supergraph with no other configuration, on the port it prints, and exits 0 on SIGTERM', async () => {
    const router = spawnRouter(['--supergraph', supergraphFile, '--port', '0'], { LOG_LEVEL: 'warn' });
    const url = await router.ready;
    const ready = await fetch(new URL('/ready', url));
    expect(ready.status).toBe(200);
    router.child.kill('SIGTERM');
    expect((await router.exited).code).toBe(0);
  });
});
