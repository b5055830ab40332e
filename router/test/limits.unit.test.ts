import { request } from 'node:http';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lexer, Source, TokenKind } from 'graphql';
import type { RunningServer } from '@store/core';
import { graphql } from '@store/testkit';
import { COST_HEADER } from '../src/limits/errors.ts';
import { OperationLimitReason } from '../src/limits/operation-limits.ts';
import { createRouter, type Router } from '../src/server.ts';
import { composeSupergraph, createGate, DEV_KEY, quietLogger, startAccountsSubgraph, startPostsSubgraph, type Gate, type TestSubgraph } from './support/test-graph.ts';

// Operation limits, demand control and the request deadline, on a real router over HTTP. Each
// request is sent twice: the first is answered through Apollo Server, the repeat (same document)
// through the fast path when Apollo Server accepted the document.

let accounts: TestSubgraph;
let posts: TestSubgraph;
let supergraphSdl: string;
let gate: Gate = createGate();
const routers: Router[] = [];

async function startRouter(options: Partial<Parameters<typeof createRouter>[0]>): Promise<string> {
  const router = await createRouter({ supergraphSdl, logger: quietLogger, verifyingKey: DEV_KEY, ...options });
  routers.push(router);
  const running: RunningServer = await router.listen(0);
  return `${running.url}/graphql`;
}

beforeAll(async () => {
  accounts = await startAccountsSubgraph();
  posts = await startPostsSubgraph(() => gate);
  supergraphSdl = composeSupergraph([
    { name: 'accounts', typeDefs: accounts.typeDefs, url: accounts.url },
    { name: 'posts', typeDefs: posts.typeDefs, url: posts.url },
  ]);
});
afterAll(async () => {
  gate.release();
  for (const router of routers) await router.stop();
  await posts?.stop();
  await accounts?.stop();
});

function tokenCount(text: string): number {
  const lexer = new Lexer(new Source(text));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count += 1;
  return count;
}

/** Sends the same request twice (Apollo Server, then the fast path when prepared) and returns both. */
async function twice(url: string, query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) {
  const first = await graphql(url, query, variables, headers);
  const second = await graphql(url, query, variables, headers);
  return [first, second] as const;
}

describe('static operation limits', () => {
  let url: string;
  beforeAll(async () => {
    url = await startRouter({ operationLimits: { maxDepth: 3, maxAliases: 2, maxRootFields: 3, maxDirectives: 2, maxTokens: null } });
  });

  const cases = [
    // depth: user 1, posts 2, id 3; an inline fragment counts as a level (graphql-armor's counting)
    { limit: 'depth', reason: OperationLimitReason.MAX_DEPTH, at: '{ user(id: "u1") { posts { id } } }', over: '{ user(id: "u1") { posts { ... on Post { id } } } }', message: 'Query depth limit of 3 exceeded, found 4.' },
    { limit: 'aliases', reason: OperationLimitReason.MAX_ALIASES, at: '{ a: users { id } b: users { id } }', over: '{ a: users { id } b: users { id } c: users { id } }', message: 'Aliases limit of 2 exceeded, found 3.' },
    { limit: 'root fields', reason: OperationLimitReason.MAX_ROOT_FIELDS, at: '{ users { id } posts { id } requestSeen { requestId } }', over: '{ users { id } posts { id } requestSeen { requestId } leaky }', message: 'Root fields limit of 3 exceeded, found 4.' },
    { limit: 'directives', reason: OperationLimitReason.MAX_DIRECTIVES, at: '{ users @include(if: true) { id @skip(if: false) } }', over: '{ users @include(if: true) { id @skip(if: false) name @skip(if: false) } }', message: 'Directives limit of 2 exceeded, found 3.' },
  ];

  it.each(cases)('allows an operation at the $limit limit, on both paths', async ({ at }) => {
    for (const res of await twice(url, at)) {
      expect(res.status).toBe(200);
      expect(res.errors).toBeUndefined();
    }
  });

  it.each(cases)('refuses one over the $limit limit with 400 GRAPHQL_VALIDATION_FAILED, on every request', async ({ over, reason, message }) => {
    for (const res of await twice(url, over)) {
      expect(res.status).toBe(400);
      expect(res.data).toBeUndefined();
      expect(res.errors).toEqual([expect.objectContaining({ message, extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED', reason }) })]);
    }
  });

  it('refuses a document over the token limit while parsing (400 GRAPHQL_PARSE_FAILED)', async () => {
    const url = await startRouter({ operationLimits: { maxTokens: 20 } });
    const at = '{ users { id name } posts { id title } requestSeen { requestId identity acceptLanguage authorization cookie } }';
    const over = '{ users { id name } posts { id title } requestSeen { requestId identity acceptLanguage authorization cookie custom } }';
    expect([tokenCount(at), tokenCount(over)]).toEqual([20, 21]);
    for (const res of await twice(url, at)) {
      expect(res.status).toBe(200);
      expect(res.errors).toBeUndefined();
    }
    for (const res of await twice(url, over)) {
      expect(res.status).toBe(400);
      expect(res.errors).toEqual([expect.objectContaining({ message: 'Syntax Error: Document contains more that 20 tokens. Parsing aborted.', extensions: expect.objectContaining({ code: 'GRAPHQL_PARSE_FAILED' }) })]);
    }
  });

  it('hides field suggestions when introspection is off', async () => {
    const res = await graphql(url, '{ user(id: "u1") { nam } }');
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.message).toBe('Cannot query field "nam" on type "User".');
  });
});

describe('the default limits', () => {
  it('serve deep, wide operations of any supergraph', async () => {
    const url = await startRouter({});
    const aliases = Array.from({ length: 30 }, (_, i) => `a${i}: id`).join(' ');
    // 15 levels (users, 13 inline fragments, id); the benchmark's queries are 8 deep.
    const deep = (levels: number) => `{ users { ${'... on User { '.repeat(levels - 2)}id${' }'.repeat(levels - 2)} } }`;
    for (const query of [`{ users { ${aliases} } }`, deep(15)]) {
      for (const res of await twice(url, query)) {
        expect(res.status).toBe(200);
        expect(res.errors).toBeUndefined();
      }
    }
    for (const res of await twice(url, `{ users { ${aliases} extra: id } }`)) {
      expect(res.status).toBe(400);
      expect(res.errors?.[0]?.extensions?.reason).toBe(OperationLimitReason.MAX_ALIASES);
    }
    for (const res of await twice(url, deep(16))) {
      expect(res.status).toBe(400);
      expect(res.errors?.[0]?.extensions?.reason).toBe(OperationLimitReason.MAX_DEPTH);
    }
  });
});

describe('demand control', () => {
  let url: string;
  beforeAll(async () => {
    url = await startRouter({ maxCost: 110 });
  });
  // users: 10 (default list size) × (User 1 + posts: 10 × Post 1) = 110
  const AT_MAX = '{ users { id posts { id } } }';
  const OVER_MAX = '{ users { id posts { id } } user(id: "u1") { id } }';

  it('allows an operation at the maximum cost, on both paths', async () => {
    for (const res of await twice(url, AT_MAX)) {
      expect(res.status).toBe(200);
      expect(res.errors).toBeUndefined();
      expect(res.extensions).toBeUndefined();
    }
  });

  it('refuses one over it with 400 COST_ESTIMATED_TOO_EXPENSIVE before calling any subgraph, on both paths', async () => {
    const seenBefore = accounts.received.length + posts.received.length;
    for (const res of await twice(url, OVER_MAX)) {
      expect(res.status).toBe(400);
      expect(res.data).toBeUndefined();
      expect(res.errors).toEqual([
        { message: "The operation's estimated cost 111 exceeds the maximum of 110.", extensions: { code: 'COST_ESTIMATED_TOO_EXPENSIVE', estimatedCost: 111, maxCost: 110 } },
      ]);
    }
    expect(accounts.received.length + posts.received.length).toBe(seenBefore);
  });

  it('answers extensions.cost when asked, on both paths (refusals included)', async () => {
    for (const res of await twice(url, AT_MAX, undefined, { [COST_HEADER]: 'true' })) {
      expect(res.status).toBe(200);
      expect(res.extensions).toEqual({ cost: { estimated: 110, max: 110 } });
    }
    for (const res of await twice(url, OVER_MAX, undefined, { [COST_HEADER]: 'true' })) {
      expect(res.status).toBe(400);
      expect(res.extensions).toEqual({ cost: { estimated: 111, max: 110 } });
    }
  });

  it('does not charge what @include / @skip leave out, per request, on both paths', async () => {
    const query = 'query ($more: Boolean = false) { users { id posts { id } } user(id: "u1") @include(if: $more) { id } }';
    const costHeader = { [COST_HEADER]: 'true' };
    for (const variables of [undefined, { more: false }]) {
      for (const res of await twice(url, query, variables, costHeader)) {
        expect(res.status).toBe(200);
        expect(res.errors).toBeUndefined();
        expect(res.extensions).toEqual({ cost: { estimated: 110, max: 110 } });
      }
    }
    for (const res of await twice(url, query, { more: true }, costHeader)) {
      expect(res.status).toBe(400);
      expect(res.errors?.[0]?.extensions?.code).toBe('COST_ESTIMATED_TOO_EXPENSIVE');
      expect(res.extensions).toEqual({ cost: { estimated: 111, max: 110 } });
    }
    for (const res of await twice(url, '{ users { id posts { id } } user(id: "u1") @skip(if: true) { id } }', undefined, costHeader)) {
      expect(res.status).toBe(200);
      expect(res.extensions).toEqual({ cost: { estimated: 110, max: 110 } });
    }
  });

  it('reports the cost without a maximum (max null) when MAX_COST is off', async () => {
    const open = await startRouter({});
    for (const res of await twice(open, '{ users { id } }', undefined, { [COST_HEADER]: 'true' })) {
      expect(res.extensions).toEqual({ cost: { estimated: 10, max: null } });
    }
  });
});

/** POSTs `body` in two halves, `pauseMs` apart (a slow upload), and returns the status and body. */
function postSlowly(url: string, body: string, pauseMs: number): Promise<{ status: number; body: { data?: unknown; errors?: unknown } }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as { data?: unknown; errors?: unknown } }));
    });
    req.on('error', reject);
    const half = Math.floor(body.length / 2);
    req.write(body.slice(0, half));
    sleep(pauseMs).then(() => req.end(body.slice(half)), reject);
  });
}

describe('request deadline', () => {
  it('counts from the request\'s arrival: a body uploaded slower than REQUEST_TIMEOUT_MS gets 504 and calls no subgraph, on both paths', async () => {
    const timeoutMs = 500;
    const url = await startRouter({ requestTimeoutMs: timeoutMs });
    const body = JSON.stringify({ query: '{ users { id name } }' });
    const expected = { errors: [{ message: `The request did not complete within ${timeoutMs} ms.`, extensions: { code: 'GATEWAY_TIMEOUT', timeoutMs } }] };
    const calls = () => accounts.received.length + posts.received.length;
    const before = calls();
    // A new document: Apollo Server's path.
    expect(await postSlowly(url, body, timeoutMs + 100)).toEqual({ status: 504, body: expected });
    expect(calls()).toBe(before);
    // Once the document is prepared (a prompt request is served), the fast path refuses the same way.
    const prompt = await graphql(url, '{ users { id name } }');
    expect(prompt.status).toBe(200);
    const served = calls();
    expect(await postSlowly(url, body, timeoutMs + 100)).toEqual({ status: 504, body: expected });
    expect(calls()).toBe(served);
  });


  it('closes a request whose body never finishes arriving with 408, and keeps serving', async () => {
    const url = await startRouter({ requestTimeoutMs: 300 });
    const { hostname, port } = new URL(url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: hostname, port: Number(port) }, () => {
        // Promises 100 bytes of body, sends 10, then nothing.
        socket.write(`POST /graphql HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query":`);
      });
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect((await graphql(url, '{ users { id } }')).status).toBe(200);
  });

  it('answers 504 GATEWAY_TIMEOUT when a subgraph is slower than REQUEST_TIMEOUT_MS, on both paths', async () => {
    const url = await startRouter({ requestTimeoutMs: 300, subgraphTimeoutMs: 60_000 });
    gate = createGate();
    for (const res of await twice(url, '{ slow }')) {
      expect(res.status).toBe(504);
      expect(res.data).toBeUndefined();
      expect(res.errors).toEqual([{ message: 'The request did not complete within 300 ms.', extensions: { code: 'GATEWAY_TIMEOUT', timeoutMs: 300 } }]);
    }
    await gate.arrived;
    gate.release();
    // The deadline stops the call to the subgraph, not the router: the next request is served.
    const res = await graphql(url, '{ users { id } }');
    expect(res.status).toBe(200);
  });
});
