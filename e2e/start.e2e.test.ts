import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { errorCodes, graphql } from '@store/testkit';
import { freePort, listSubgraphs, repoRoot } from '@store/db';
import { startStack } from './stack.ts';

// The README's `npm start`, run for real: first start (cluster init, migrations, seed), a query
// that touches all three subgraphs, Ctrl-C, and a second start that reuses the data.
const dataDir = mkdtempSync(join(tmpdir(), 'store-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

// Touches catalog, inventory (with @requires), reviews and accounts.
const QUERY = `{
  products(first: 5) {
    edges { node { sku name price { amount currency } inStock shippingEstimate { amount } averageRating reviews(first: 2) { edges { node { rating author { name } } } } } }
  }
}`;

describe('npm start', () => {
  it('brings the seeded supergraph up (six subgraphs), answers across four of them, and stops cleanly on Ctrl-C', async () => {
    const stack = await startStack({ dataDir });
    try {
      expect(stack.output()).toContain('GraphQL endpoint');
      expect(stack.output()).toContain(stack.routerUrl);
      expect(stack.output()).toMatch(/admin@store\.example/);
      expect(stack.output()).toMatch(/supergraph is up \(6 subgraphs/);
      const res = await graphql(stack.routerUrl, QUERY);
      expect(res.errors).toBeUndefined();
      const edges = res.data!.products.edges;
      expect(edges).toHaveLength(5);
      for (const { node } of edges) {
        expect(node.name).toEqual(expect.any(String));
        expect(node.price.currency).toBe('USD');
        expect(typeof node.inStock).toBe('boolean');
        expect(node.shippingEstimate.amount).toEqual(expect.any(Number));
        for (const review of node.reviews.edges) expect(review.node.author.name).toEqual(expect.any(String));
      }
      expect(edges.some((e: any) => e.node.reviews.edges.length > 0)).toBe(true);
      // The router signed those subgraph requests: the same subgraph, called directly, refuses.
      const catalogUrl = /subgraph catalog\s+(\S+)/.exec(stack.output())![1]!;
      const direct = await graphql(catalogUrl, '{ categories { slug } }');
      expect(direct.status).toBe(401);
      expect(errorCodes(direct)).toEqual(['REQUEST_SIGNATURE_MISSING']);
    } finally {
      expect(await stack.stop()).toBe(0);
    }
    expect(stack.output()).toContain('stopped');
  });

  it('reuses the data on a second start (no re-seed)', async () => {
    if (process.env.TEST_DATABASE_ADMIN_URL) return; // external databases are fresh per start
    const stack = await startStack({ dataDir });
    try {
      expect(stack.output()).not.toMatch(/initialising embedded PostgreSQL/);
      expect(stack.output()).not.toMatch(/: seeded \d+/);
      expect(stack.output()).toMatch(/already seeded/);
      const res = await graphql(stack.routerUrl, '{ products(first: 1) { totalCount } }');
      expect(res.data!.products.totalCount).toBeGreaterThanOrEqual(200);
    } finally {
      expect(await stack.stop()).toBe(0);
    }
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  });

  describe('refuses a port plan it cannot run, before starting anything', () => {
    const launch = (env: Record<string, string>) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'packages/devstack/src/start.ts'], {
        cwd: repoRoot,
        env: { ...process.env, APOLLO_TELEMETRY_DISABLED: '1', STORE_DATA_DIR: join(dataDir, 'refused'), ...env },
        encoding: 'utf8',
        timeout: 30_000,
      });

    it('two services given one port', async () => {
      const port = String(await freePort());
      const run = launch({ ROUTER_PORT: port, ACCOUNTS_PORT: port, STOREFRONT_PORT: String(await freePort()) });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`port ${port} is given to both subgraph accounts and router`);
      expect(existsSync(join(dataDir, 'refused', 'postgres'))).toBe(false);
    });

    it('a port something else is listening on', async () => {
      const busy = createServer();
      await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
      const port = (busy.address() as { port: number }).port;
      try {
        const subgraphPorts: Record<string, string> = {};
        for (const name of listSubgraphs()) subgraphPorts[`${name.toUpperCase()}_PORT`] = String(await freePort());
        const run = launch({ ...subgraphPorts, ROUTER_PORT: String(port), STOREFRONT_PORT: String(await freePort()) });
        expect(run.status).toBe(1);
        expect(run.stderr).toContain(`port ${port} (router) is already in use`);
      } finally {
        busy.close();
      }
    });
  });
});
