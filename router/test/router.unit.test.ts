import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeIdentity, encodeIdentity, IDENTITY_HEADER, signAccessToken, type Identity, type RunningServer } from '@store/core';
import { errorCodes, graphql } from '@store/testkit';
import { parseRouterEnv } from '../src/config.ts';
import { MALFORMED_AUTHORIZATION_MESSAGE, RouterErrorCode, subgraphFailureMessage } from '../src/errors.ts';
import { createRouter, RouterSetupError, type Router } from '../src/server.ts';
import {
  closedPortUrl,
  composeSupergraph,
  createGate,
  DEV_KEY,
  inventoryTypeDefs,
  LEAKED_SQL,
  quietLogger,
  startAccountsSubgraph,
  startPostsSubgraph,
  type Gate,
  type TestSubgraph,
} from './support/test-graph.ts';

let accounts: TestSubgraph;
let posts: TestSubgraph;
let inventoryUrl: string;
let supergraphSdl: string;
let router: Router;
let running: RunningServer;
let url: string;
let gate: Gate = createGate();
const toStop: (() => Promise<void>)[] = [];

beforeAll(async () => {
  accounts = await startAccountsSubgraph();
  posts = await startPostsSubgraph(() => gate);
  toStop.push(accounts.stop, posts.stop);
  inventoryUrl = await closedPortUrl();
  supergraphSdl = composeSupergraph([
    { name: 'accounts', typeDefs: accounts.typeDefs, url: accounts.url },
    { name: 'posts', typeDefs: posts.typeDefs, url: posts.url },
    { name: 'inventory', typeDefs: inventoryTypeDefs, url: inventoryUrl },
  ]);
  router = await createRouter({ supergraphSdl, logger: quietLogger, verifyingKey: DEV_KEY, introspection: true });
  running = await router.listen(0);
  url = `${running.url}/graphql`;
});
afterAll(async () => {
  await router?.stop();
  for (const stop of toStop.reverse()) await stop();
});

const ada: Identity = { sub: 'u1', role: 'CUSTOMER', scopes: ['profile:read', 'orders:write'] };
const bearer = async (identity: Identity, ttlSeconds = 300) => `Bearer ${(await signAccessToken(identity, DEV_KEY, ttlSeconds)).token}`;
const REQUEST_SEEN = '{ requestSeen { identity requestId acceptLanguage authorization cookie custom } }';

async function post(body: string, headers: Record<string, string> = {}, target = url) {
  const response = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('serving the supergraph', () => {
  it('answers a query across two subgraphs', async () => {
    const res = await graphql(url, '{ user(id: "u1") { id name posts { title } } users { name } }');
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      user: { id: 'u1', name: 'Ada', posts: [{ title: 'Hello' }, { title: 'Federation' }] },
      users: [{ name: 'Ada' }, { name: 'Grace' }],
    });
  });

  it('serves GET queries (with a CSRF preflight header)', async () => {
    const response = await fetch(`${url}?query=${encodeURIComponent('{ users { id } }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { users: [{ id: 'u1' }, { id: 'u2' }] } });
  });

  it('answers /health and /ready', async () => {
    const health = await fetch(`${running.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${running.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('lists its subgraphs with their URLs', () => {
    expect(router.subgraphs).toEqual([
      { name: 'accounts', url: accounts.url },
      { name: 'inventory', url: inventoryUrl },
      { name: 'posts', url: posts.url },
    ]);
  });
});

describe('authentication and the identity header', () => {
  it('forwards a verified HS256 token as the identity header, never the token itself', async () => {
    const res = await graphql(url, REQUEST_SEEN, undefined, { authorization: await bearer(ada) });
    expect(res.status).toBe(200);
    const seen = res.data!.requestSeen;
    expect(decodeIdentity(seen.identity)).toEqual(ada);
    expect(seen.identity).toBe(encodeIdentity(ada));
    expect(seen.authorization).toBeNull();
  });

  it('strips a client-sent identity header from anonymous requests', async () => {
    const forged = encodeIdentity({ sub: 'attacker', role: 'ADMIN', scopes: ['catalog:write'] });
    const res = await graphql(url, REQUEST_SEEN, undefined, { [IDENTITY_HEADER]: forged });
    expect(res.status).toBe(200);
    expect(res.data!.requestSeen.identity).toBeNull();
  });

  it('replaces a client-sent identity header with the verified one', async () => {
    const forged = encodeIdentity({ sub: 'attacker', role: 'ADMIN', scopes: ['catalog:write'] });
    const res = await graphql(url, REQUEST_SEEN, undefined, { [IDENTITY_HEADER]: forged, authorization: await bearer(ada) });
    expect(decodeIdentity(res.data!.requestSeen.identity)).toEqual(ada);
  });

  it('answers public fields without a token', async () => {
    const res = await graphql(url, '{ users { id } requestSeen { identity } }');
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ users: [{ id: 'u1' }, { id: 'u2' }], requestSeen: { identity: null } });
  });

  it.each([
    ['an expired token', async () => bearer(ada, -60), 'The token has expired.'],
    ['a garbage token', async () => 'Bearer not.a.jwt', 'The token is invalid.'],
    ['a token signed with another secret', async () => `Bearer ${(await signAccessToken(ada, { alg: 'HS256', secret: 'another-secret-another-secret-12345' }, 300)).token}`, 'The token is invalid.'],
    ['Basic credentials', async () => 'Basic eDp5', MALFORMED_AUTHORIZATION_MESSAGE],
    ['a bare "Bearer"', async () => 'Bearer', MALFORMED_AUTHORIZATION_MESSAGE],
  ])('refuses %s with 401 UNAUTHENTICATED', async (_label, authorization, message) => {
    const res = await post(JSON.stringify({ query: '{ users { id } }' }), { authorization: await authorization() });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(JSON.parse(res.text)).toEqual({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });
    // The router is still fine afterwards.
    expect((await graphql(url, '{ users { id } }')).status).toBe(200);
  });
});

describe('headers sent to subgraphs', () => {
  it('forwards only x-request-id and accept-language, and returns the request id', async () => {
    const res = await post(JSON.stringify({ query: REQUEST_SEEN }), {
      'x-request-id': 'req-123',
      'accept-language': 'fr-CH',
      cookie: 'session=secret',
      'x-custom': 'nope',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('req-123');
    expect(JSON.parse(res.text).data.requestSeen).toEqual({
      identity: null,
      requestId: 'req-123',
      acceptLanguage: 'fr-CH',
      authorization: null,
      cookie: null,
      custom: null,
    });
  });

  it('generates a request id when the client sent none (or an unusable one)', async () => {
    const cases: Record<string, string>[] = [{}, { 'x-request-id': 'bad id with spaces' }];
    for (const headers of cases) {
      const res = await post(JSON.stringify({ query: REQUEST_SEEN }), headers);
      const generated = res.headers.get('x-request-id');
      expect(generated).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.parse(res.text).data.requestSeen.requestId).toBe(generated);
    }
  });
});

describe('errors', () => {
  it('relays a subgraph error with its path and code', async () => {
    const res = await graphql(url, '{ posts { id secret } }');
    expect(res.status).toBe(200);
    expect(res.data!.posts[0]).toEqual({ id: 'p1', secret: null });
    expect(res.errors![0]).toMatchObject({ message: 'You may not read this post.', path: ['posts', 0, 'secret'], extensions: { code: 'FORBIDDEN' } });
    expect(res.errors![0]!.extensions).not.toHaveProperty('stacktrace');
  });

  it('relays an error from an entity fetch with the path in the client query', async () => {
    const res = await graphql(url, '{ user(id: "u2") { name posts { title secret } } }');
    expect(res.data!.user).toEqual({ name: 'Grace', posts: [{ title: 'Compilers', secret: null }] });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ path: ['user', 'posts', 0, 'secret'], extensions: { code: 'FORBIDDEN' } });
  });

  it('masks an unexpected subgraph error (no SQL, no stack)', async () => {
    const res = await post(JSON.stringify({ query: '{ leaky users { id } }' }));
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    expect(body.data).toEqual({ leaky: null, users: [{ id: 'u1' }, { id: 'u2' }] });
    expect(body.errors).toEqual([{ message: 'Internal server error', path: ['leaky'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
    for (const fragment of [LEAKED_SQL, 'SELECT', 'passwordHash', 'stacktrace', '    at ']) expect(res.text).not.toContain(fragment);
  });

  it('answers with a clear error when a subgraph is down, and keeps serving the rest', async () => {
    const res = await post(JSON.stringify({ query: '{ users { id } stock(sku: "SKU-1") }' }));
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    expect(body.data).toEqual({ users: [{ id: 'u1' }, { id: 'u2' }], stock: null });
    expect(body.errors).toEqual([
      { message: subgraphFailureMessage('inventory', 'unreachable'), extensions: { code: RouterErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: 'inventory' } },
    ]);
    const port = new URL(inventoryUrl).port;
    for (const fragment of [inventoryUrl, `:${port}`, 'ECONNREFUSED', 'fetch failed', '    at ']) expect(res.text).not.toContain(fragment);
    const next = await graphql(url, '{ users { name } }');
    expect(next.status).toBe(200);
    expect(next.errors).toBeUndefined();
  });

  it('gives up on a subgraph after the timeout, with a clear error', async () => {
    const impatient = await createRouter({ supergraphSdl, logger: quietLogger, verifyingKey: DEV_KEY, subgraphTimeoutMs: 50 });
    const server = await impatient.listen(0);
    toStop.push(() => impatient.stop());
    gate = createGate();
    try {
      // The subgraph answers only after the router has already given up.
      const res = await graphql(`${server.url}/graphql`, '{ slow }');
      expect(res.data).toEqual({ slow: null });
      expect(res.errors).toEqual([
        { message: subgraphFailureMessage('posts', 'timeout'), extensions: { code: RouterErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: 'posts' } },
      ]);
    } finally {
      gate.release();
    }
  });

  it('answers malformed JSON with 400 BAD_REQUEST', async () => {
    const res = await post('{"query": "{ users { id } }"');
    expect(res.status).toBe(400);
    expect(errorCodes({ status: res.status, ...JSON.parse(res.text) })).toEqual(['BAD_REQUEST']);
  });

  it('answers a variable of the wrong type with 400 BAD_USER_INPUT', async () => {
    const res = await graphql(url, 'query($id: ID!) { user(id: $id) { name } }', { id: { not: 'an id' } });
    expect(res.status).toBe(400);
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
  });

  it('answers a @skip variable sent as null with 400 BAD_USER_INPUT and graphql-js\'s message, on both paths, never a 500', async () => {
    // The planner turns `@skip(if: $x)` across subgraphs into a condition node; a null value is a
    // bad input (graphql-js: the `if` argument is `Boolean!`), refused before any subgraph call.
    const query = 'query($x: Boolean = false) { user(id: "u1") { name posts @skip(if: $x) { title } } }';
    for (let i = 0; i < 2; i++) {
      const res = await graphql(url, query, { x: null });
      expect(res.status).toBe(400);
      expect(res.errors?.map((e) => e.message)).toEqual(['Argument "if" of non-null type "Boolean!" must not be null.']);
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    }
    const skipped = await graphql(url, query, { x: true });
    expect(skipped.data).toEqual({ user: { name: 'Ada' } });
  });

  it('answers an invalid query with 400 GRAPHQL_VALIDATION_FAILED', async () => {
    const res = await graphql(url, '{ users { password } }');
    expect(res.status).toBe(400);
    expect(errorCodes(res)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('refuses a body over the limit with 413', async () => {
    const res = await post(JSON.stringify({ query: '{ users { id } }', variables: { pad: 'x'.repeat(1024 * 1024) } }));
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('introspection and internals', () => {
  it('answers introspection only when enabled (createRouter defaults to off)', async () => {
    const query = '{ __schema { queryType { name } } }';
    expect((await graphql(url, query)).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const closed = await createRouter({ supergraphSdl, logger: quietLogger, verifyingKey: DEV_KEY });
    const server = await closed.listen(0);
    toStop.push(() => closed.stop());
    const res = await graphql(`${server.url}/graphql`, query);
    expect(res.status).toBe(400);
    expect(errorCodes(res)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('never returns query plans, whatever the client asks', async () => {
    const res = await post(JSON.stringify({ query: '{ user(id: "u1") { name posts { title } } }' }), { 'apollo-query-plan-experimental': '1' });
    expect(JSON.parse(res.text).extensions).toBeUndefined();
  });
});

describe('subgraph URL overrides', () => {
  it('sends a subgraph\'s requests to SUBGRAPH_<NAME>_URL instead of the composed URL', async () => {
    const sdl = composeSupergraph([
      { name: 'accounts', typeDefs: accounts.typeDefs, url: await closedPortUrl() },
      { name: 'posts', typeDefs: posts.typeDefs, url: posts.url },
    ]);
    const config = parseRouterEnv({ SUBGRAPH_ACCOUNTS_URL: accounts.url });
    const overridden = await createRouter({ supergraphSdl: sdl, logger: quietLogger, verifyingKey: DEV_KEY, subgraphUrlOverrides: config.subgraphUrlOverrides });
    const server = await overridden.listen(0);
    toStop.push(() => overridden.stop());
    expect(overridden.subgraphs.find((s) => s.name === 'accounts')?.url).toBe(accounts.url);
    const res = await graphql(`${server.url}/graphql`, '{ user(id: "u1") { name posts { title } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data!.user.name).toBe('Ada');
  });

  it('refuses to start with an override that names no subgraph', async () => {
    const attempt = createRouter({ supergraphSdl, logger: quietLogger, verifyingKey: DEV_KEY, subgraphUrlOverrides: { SUBGRAPH_ACOUNTS_URL: accounts.url } });
    await expect(attempt).rejects.toBeInstanceOf(RouterSetupError);
    await expect(attempt).rejects.toThrow(/SUBGRAPH_ACOUNTS_URL names no subgraph.*SUBGRAPH_ACCOUNTS_URL/);
  });

  it('refuses an invalid supergraph', async () => {
    const attempt = createRouter({ supergraphSdl: 'type Query { hello: String }', logger: quietLogger, verifyingKey: DEV_KEY });
    await expect(attempt).rejects.toMatchObject({ name: 'RouterSetupError', reason: 'invalid-supergraph' });
  });
});

describe('telemetry', () => {
  it('createRouter disables Apollo telemetry itself, whatever the environment said', async () => {
    const before = process.env.APOLLO_TELEMETRY_DISABLED;
    try {
      for (const value of [undefined, '0', 'false']) {
        if (value === undefined) delete process.env.APOLLO_TELEMETRY_DISABLED;
        else process.env.APOLLO_TELEMETRY_DISABLED = value;
        const built = await createRouter({ supergraphSdl, logger: quietLogger, verifyingKey: DEV_KEY });
        expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('1');
        await built.stop();
      }
    } finally {
      if (before === undefined) delete process.env.APOLLO_TELEMETRY_DISABLED;
      else process.env.APOLLO_TELEMETRY_DISABLED = before;
    }
  });
});

describe('graceful stop', () => {
  it('lets a slow in-flight request finish while stop() drains', async () => {
    const draining = await createRouter({ supergraphSdl, logger: quietLogger, verifyingKey: DEV_KEY });
    const server = await draining.listen(0);
    gate = createGate();
    const order: string[] = [];
    const inFlight = graphql(`${server.url}/graphql`, '{ slow }').then((res) => {
      order.push('response');
      return res;
    });
    await gate.arrived;
    const stopped = draining.stop().then(() => order.push('stopped'));
    // Wait (on a condition, not a clock) until the router stopped accepting connections.
    while (server.server.listening) await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([]);
    gate.release();
    const res = await inFlight;
    await stopped;
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ slow: 'finally' });
    expect(order).toEqual(['response', 'stopped']);
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });
});
