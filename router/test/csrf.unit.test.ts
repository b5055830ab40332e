import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@store/core';
import { createRouter, type Router } from '../src/server.ts';
import { composeSupergraph, createGate, DEV_KEY, quietLogger, startAccountsSubgraph, startPostsSubgraph, type TestSubgraph } from './support/test-graph.ts';

// A browser sends "simple" requests (GET, or POST as text/plain, form-urlencoded or multipart)
// cross-site without a CORS preflight, with the user's cookies. Apollo Server's CSRF prevention
// refuses them unless they carry a header only a preflighted request can have; the router's fast
// path must not become a way around it for operations it has already prepared.

let accounts: TestSubgraph;
let posts: TestSubgraph;
let router: Router;
let running: RunningServer;
let url: string;

const USERS = '{ users { id } }';
const CSRF_MESSAGE = /blocked as a potential Cross-Site Request Forgery \(CSRF\)/;

beforeAll(async () => {
  accounts = await startAccountsSubgraph();
  posts = await startPostsSubgraph(() => createGate());
  const supergraphSdl = composeSupergraph([
    { name: 'accounts', typeDefs: accounts.typeDefs, url: accounts.url },
    { name: 'posts', typeDefs: posts.typeDefs, url: posts.url },
  ]);
  router = await createRouter({ supergraphSdl, logger: quietLogger, verifyingKey: DEV_KEY, corsOrigins: ['https://shop.example'] });
  running = await router.listen(0);
  url = `${running.url}/graphql`;
  // Prepare the document, so later POSTs of it are eligible for the fast path.
  const warm = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: USERS }) });
  expect(warm.status).toBe(200);
});
afterAll(async () => {
  await router?.stop();
  await posts?.stop();
  await accounts?.stop();
});

async function expectCsrfRefusal(response: Response) {
  expect(response.status).toBe(400);
  const body = (await response.json()) as { data?: unknown; errors: { message: string; extensions: { code: string } }[] };
  expect(body.data).toBeUndefined();
  expect(body.errors).toHaveLength(1);
  expect(body.errors[0]!.message).toMatch(CSRF_MESSAGE);
  expect(body.errors[0]!.extensions.code).toBe('BAD_REQUEST');
}

describe('CSRF prevention', () => {
  it('refuses a GET query without a preflight header', async () => {
    await expectCsrfRefusal(await fetch(`${url}?query=${encodeURIComponent(USERS)}`, { headers: { origin: 'https://evil.example' } }));
  });

  it('serves a GET query with apollo-require-preflight or x-apollo-operation-name', async () => {
    const preflightHeaders: Record<string, string>[] = [{ 'apollo-require-preflight': 'true' }, { 'x-apollo-operation-name': 'Users' }];
    for (const headers of preflightHeaders) {
      const response = await fetch(`${url}?query=${encodeURIComponent('query Users { users { id } }')}`, { headers });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: { users: [{ id: 'u1' }, { id: 'u2' }] } });
    }
  });

  it.each(['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
    'refuses a POST as %s, even of a document the fast path has prepared',
    async (contentType) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': contentType, origin: 'https://evil.example' },
        body: JSON.stringify({ query: USERS }),
      });
      await expectCsrfRefusal(response);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    },
  );

  it('refuses a POST without a content type', async () => {
    await expectCsrfRefusal(await fetch(url, { method: 'POST', body: new Blob([JSON.stringify({ query: USERS })]) }));
  });

  it('serves a JSON POST (a browser preflights it, and only allowed origins pass the preflight)', async () => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://shop.example' }, body: JSON.stringify({ query: USERS }) });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(await response.json()).toEqual({ data: { users: [{ id: 'u1' }, { id: 'u2' }] } });
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });

  it('answers a preflight from a disallowed origin without any CORS grant', async () => {
    for (const origin of ['https://evil.example', 'https://shop.example.evil.example', 'http://shop.example', 'null']) {
      const response = await preflight(origin);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-methods')).toBeNull();
      expect(response.headers.get('access-control-allow-headers')).toBeNull();
    }
    const allowed = await preflight('https://shop.example');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('exposes the rate-limit headers to allowed origins', async () => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://shop.example' }, body: JSON.stringify({ query: USERS }) });
    const exposed = (response.headers.get('access-control-expose-headers') ?? '').split(',').map((h) => h.trim());
    expect(exposed).toEqual(expect.arrayContaining(['x-request-id', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset']));
  });
});
