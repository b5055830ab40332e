import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@store/core';
import { parseRouterEnv } from '../src/config.ts';
import { EXPLORER_CSP, EXPLORER_NOT_BUILT_MESSAGE } from '../src/explorer.ts';
import { QUERY_PLAN_HEADER, type QueryPlanExtension } from '../src/query-plan.ts';
import { createRouter, type RouterOptions } from '../src/server.ts';
import { composeSupergraph, DEV_KEY, quietLogger, startAccountsSubgraph, startPostsSubgraph, createGate, type TestSubgraph } from './support/test-graph.ts';

// The development surfaces: the self-hosted explorer, query plans on request, and CORS for the
// storefront — each on only when configured, and off in production.
let accounts: TestSubgraph;
let posts: TestSubgraph;
let supergraphSdl: string;
const assetsDir = mkdtempSync(join(tmpdir(), 'explorer-assets-'));
const toStop: (() => Promise<void>)[] = [];

beforeAll(async () => {
  accounts = await startAccountsSubgraph();
  posts = await startPostsSubgraph(() => createGate());
  toStop.push(accounts.stop, posts.stop);
  supergraphSdl = composeSupergraph([
    { name: 'accounts', typeDefs: accounts.typeDefs, url: accounts.url },
    { name: 'posts', typeDefs: posts.typeDefs, url: posts.url },
  ]);
  // A stand-in for router/explorer/dist: the route serves whatever the build put there.
  mkdirSync(join(assetsDir, 'assets'));
  writeFileSync(join(assetsDir, 'index.html'), '<!doctype html><html><head><title>explorer</title></head><body></body></html>');
  writeFileSync(join(assetsDir, 'assets', 'app-1234.js'), 'console.log("explorer")');
  writeFileSync(join(assetsDir, 'secret.txt'), 'not an asset');
});
afterAll(async () => {
  for (const stop of toStop.reverse()) await stop();
  rmSync(assetsDir, { recursive: true, force: true });
});

async function startRouter(options: Partial<RouterOptions>): Promise<string> {
  const router = await createRouter({ supergraphSdl, logger: quietLogger, verifyingKey: DEV_KEY, ...options });
  const running: RunningServer = await router.listen(0);
  toStop.push(() => router.stop());
  return running.url;
}

const QUERY = '{ users { name posts { title } } }';
const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('the explorer route', () => {
  it('serves the built page with its settings and a same-origin-only CSP', async () => {
    const url = await startRouter({ explorer: { assetsDir, queryPlans: true } });
    const res = await fetch(`${url}/explorer`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(EXPLORER_CSP);
    expect(EXPLORER_CSP).toContain("connect-src 'self'");
    const html = await res.text();
    expect(html).toContain('<script id="explorer-settings" type="application/json">{"endpoint":"/graphql","queryPlans":true}</script></head>');
  });

  it('serves assets from assets/ only, cached, and nothing outside it', async () => {
    const url = await startRouter({ explorer: { assetsDir } });
    const asset = await fetch(`${url}/explorer/assets/app-1234.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await asset.text()).toBe('console.log("explorer")');
    expect((await fetch(`${url}/explorer/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${url}/explorer/assets/..%2Fsecret.txt`)).status).toBe(404);
    expect((await fetch(`${url}/explorer/assets/%E0%A4%A`)).status).toBe(404);
  });

  it('answers a browser on GET /graphql only when asked to (development), never a GraphQL GET', async () => {
    const dev = await startRouter({ explorer: { assetsDir, onGraphqlGet: true }, introspection: true });
    const page = await fetch(`${dev}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('explorer-settings');
    const query = await fetch(`${dev}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'text/html, application/json', 'apollo-require-preflight': '1' } });
    expect(await query.json()).toEqual({ data: { __typename: 'Query' } });

    const plain = await startRouter({ explorer: { assetsDir } });
    expect((await fetch(`${plain}/graphql`, { headers: { accept: 'text/html' } })).status).toBe(400);
  });

  it('says how to build it when it was not built', async () => {
    const url = await startRouter({ explorer: { assetsDir: join(assetsDir, 'nowhere') } });
    const res = await fetch(`${url}/explorer`);
    expect(res.status).toBe(503);
    expect(await res.text()).toBe(`${EXPLORER_NOT_BUILT_MESSAGE}\n`);
  });

  it('is not served when off (the default)', async () => {
    const url = await startRouter({});
    expect((await fetch(`${url}/explorer`)).status).toBe(404);
  });
});

describe('query plans on request', () => {
  it('returns the plan as the gateway prints it and as a tree, when the header asks', async () => {
    const url = await startRouter({ exposeQueryPlans: true });
    const body = (await (await post(url, { query: QUERY }, { [QUERY_PLAN_HEADER]: '1' })).json()) as { data: unknown; extensions: { queryPlan: QueryPlanExtension } };
    expect(body.data).toEqual({ users: expect.any(Array) });
    const plan = body.extensions.queryPlan;
    expect(plan.subgraphs).toEqual(['accounts', 'posts']);
    expect(plan.text).toMatch(/^QueryPlan \{\n {2}Sequence \{\n {4}Fetch\(service: "accounts"\)/);
    expect(plan.plan).toEqual({
      kind: 'Sequence',
      nodes: [
        { kind: 'Fetch', serviceName: 'accounts', operationKind: 'query', operation: '{users{__typename id name}}', entities: null },
        {
          kind: 'Flatten',
          path: 'users.@',
          node: { kind: 'Fetch', serviceName: 'posts', operationKind: 'query', operation: expect.stringContaining('_entities'), entities: '... on User { __typename id }' },
        },
      ],
    });
  });

  it('returns no plan without the header, for an invalid query, or when plans are off (the default)', async () => {
    const url = await startRouter({ exposeQueryPlans: true });
    expect(((await (await post(url, { query: QUERY })).json()) as { extensions?: unknown }).extensions).toBeUndefined();
    const invalid = (await (await post(url, { query: '{ nope }' }, { [QUERY_PLAN_HEADER]: '1' })).json()) as { extensions?: unknown };
    expect(invalid.extensions).toBeUndefined();
    const off = await startRouter({});
    expect(((await (await post(off, { query: QUERY }, { [QUERY_PLAN_HEADER]: '1' })).json()) as { extensions?: unknown }).extensions).toBeUndefined();
  });
});

describe('CORS', () => {
  const preflight = (url: string, origin: string) =>
    fetch(`${url}/graphql`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization, x-evil' } });

  it('lets an allowed origin call the router, and tells a refused one nothing', async () => {
    const url = await startRouter({ corsOrigins: ['http://127.0.0.1:3000'] });
    const ok = await preflight(url, 'http://127.0.0.1:3000');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3000');
    expect(ok.headers.get('access-control-allow-headers')).toBe('content-type, authorization');
    expect(ok.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    const res = await post(url, { query: '{ __typename }' }, { origin: 'http://127.0.0.1:3000' });
    expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3000');
    expect(res.headers.get('vary')).toContain('origin');

    const refused = await preflight(url, 'http://evil.example');
    expect(refused.status).toBe(204);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect((await post(url, { query: '{ __typename }' }, { origin: 'http://127.0.0.1:4999' })).headers.get('access-control-allow-origin')).toBeNull();
  });

  it("'loopback' allows any loopback port and nothing else; the default allows nothing", async () => {
    const url = await startRouter({ corsOrigins: 'loopback' });
    for (const origin of ['http://127.0.0.1:5173', 'http://localhost:3000', 'http://[::1]:8080']) {
      expect((await preflight(url, origin)).headers.get('access-control-allow-origin')).toBe(origin);
    }
    for (const origin of ['http://127.0.0.1.evil.example:80', 'https://localhost:3000', 'http://192.168.1.2:3000']) {
      expect((await preflight(url, origin)).headers.get('access-control-allow-origin')).toBeNull();
    }
    const none = await startRouter({});
    expect((await preflight(none, 'http://127.0.0.1:3000')).headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('configuration', () => {
  it('development: explorer, introspection and query plans on; CORS for loopback origins', () => {
    const config = parseRouterEnv({ APP_ENV: 'development' });
    expect(config).toMatchObject({ explorer: true, introspection: true, exposeQueryPlans: true, corsOrigins: 'loopback' });
  });

  it('production: explorer, introspection and query plans off, no CORS — unless configured on', () => {
    const secret = 'x'.repeat(40);
    expect(parseRouterEnv({ APP_ENV: 'production', JWT_SECRET: secret })).toMatchObject({ explorer: false, introspection: false, exposeQueryPlans: false, corsOrigins: [] });
    expect(parseRouterEnv({ APP_ENV: 'production', JWT_SECRET: secret, EXPLORER: 'on' })).toMatchObject({ explorer: true, introspection: true, exposeQueryPlans: false });
    expect(parseRouterEnv({ APP_ENV: 'production', JWT_SECRET: secret, EXPLORER: 'on', INTROSPECTION: 'false' })).toMatchObject({ explorer: true, introspection: false });
    expect(parseRouterEnv({ APP_ENV: 'production', JWT_SECRET: secret, CORS_ORIGINS: 'https://shop.example, https://Admin.Example:8443/' }).corsOrigins).toEqual([
      'https://shop.example',
      'https://admin.example:8443',
    ]);
  });

  it('refuses a value that is not an origin, or an unknown EXPLORER value, naming the variable', () => {
    expect(() => parseRouterEnv({ CORS_ORIGINS: 'https://shop.example/path' })).toThrow(/CORS_ORIGINS.*is not an origin/s);
    expect(() => parseRouterEnv({ EXPLORER: 'maybe' })).toThrow(/EXPLORER.*expected on or off/s);
  });
});
