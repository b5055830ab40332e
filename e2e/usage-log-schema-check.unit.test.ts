// The usage log's round trip: the real router writes it, the real `npm run schema:check -- --usage`
// reads it, and an operation no manifest lists (a "shadow" client) blocks the change that breaks it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter } from '../router/src/server.ts';
import { closedPortUrl, composeSupergraph, DEV_KEY, quietLogger } from '../router/test/support/test-graph.ts';
import { edit, fixtureStore, makeRepo, removeScratch, runCli } from '../schema/test/support.ts';
import type { CheckReport } from '../schema/src/check.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'usage-log-check-'));
});
afterAll(() => {
  removeScratch();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs `query` through a router on the fixture store's supergraph and returns the usage log file. */
async function logOf(name: string, query: string): Promise<string> {
  const store = fixtureStore();
  // Nothing needs to answer: usage is counted when execution starts.
  const url = await closedPortUrl();
  const supergraphSdl = composeSupergraph(Object.entries(store).map(([subgraph, sdl]) => ({ name: subgraph, typeDefs: parse(sdl!), url })));
  const file = join(dir, `${name}.ndjson`);
  const router = await createRouter({ supergraphSdl, logger: quietLogger, verifyingKey: DEV_KEY, usageLog: { file } });
  try {
    const target = `${(await router.listen(0)).url}/graphql`;
    for (let i = 0; i < 2; i++) {
      const response = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'apollographql-client-name': 'account-app', 'apollographql-client-version': '2.3.0' },
        body: JSON.stringify({ query }),
      });
      expect(response.status).toBe(200);
    }
  } finally {
    await router.stop();
  }
  return file;
}

const withoutEmail = () => {
  const store = fixtureStore();
  edit(store, 'accounts', '  email: String\n', '');
  return store;
};

async function schemaCheck(usageFile: string): Promise<{ status: number | null; report: CheckReport; stderr: string }> {
  const repo = makeRepo({ after: withoutEmail(), storefront: false });
  const run = await runCli('check-cli.ts', ['--repo', repo, '--format', 'json', '--now', new Date().toISOString(), '--usage', usageFile]);
  return { status: run.status, report: JSON.parse(run.stdout) as CheckReport, stderr: run.stderr };
}

describe('router usage log → npm run schema:check -- --usage', () => {
  it('an operation the router logged blocks the removal of a field it reads', async () => {
    const query = 'query AccountPage { me { id email } }';
    const file = await logOf('reads-email', query);
    const { status, report, stderr } = await schemaCheck(file);
    expect(status, stderr).toBe(1);
    const change = report.changes.find((c) => c.coordinate === 'User.email');
    expect(change?.blocking).toBe(true);
    expect(change!.usage.operations).toEqual([
      expect.objectContaining({ client: 'account-app', name: 'AccountPage', source: 'usage-log', clientVersion: '2.3.0', count: 2 }),
    ]);
  });

  it('an operation the router logged that does not read the field does not block its removal', async () => {
    const file = await logOf('no-email', 'query AccountPage { me { id name } }');
    const { status, report, stderr } = await schemaCheck(file);
    expect(status, stderr).toBe(0);
    expect(report.changes.find((c) => c.coordinate === 'User.email')?.blocking).toBe(false);
  });
});
