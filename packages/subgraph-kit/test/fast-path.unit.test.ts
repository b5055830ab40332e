import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse, type OperationDefinitionNode } from 'graphql';
import { createLogger, createRequestSigner, encodeIdentity, ErrorCode, IDENTITY_HEADER, notFound, SIGNATURE_HEADER, unauthenticated } from '@store/core';
import { createSubgraphServer, type RequestSigningOptions, type SubgraphServer } from '../src/index.ts';
import { KnownOperations } from '../src/fast-path.ts';

// The kit's fast path (src/fast-path.ts) must answer byte for byte what Apollo Server answers for
// the same request. Each case is sent to a server with the fast path off (Apollo's answer) and
// twice to one with it on: the first goes through Apollo Server, the second through the fast
// path (told apart by `fastPathStats().answered`, never by timing).

const SDL = `
  type Query {
    product(id: ID!, currency: String = "EUR"): Product
    products(first: Int = 2): [Product]
    strict: Product!
    failing: String
    refused: String
    broken: String
    whoAmI: String
  }
  type Product { id: ID! name: String! price(currency: String = "EUR"): String owner: String! }
  type Mutation { bump(by: Int!): Int! }
`;

const SECRET = 'fast-path-test-secret-of-more-than-thirty-two-chars';
const products = [
  { id: '1', name: 'Lamp', owner: 'ann' },
  { id: '2', name: 'Desk', owner: null },
  { id: '3', name: 'Chair', owner: 'bob' },
];

interface Started {
  url: string;
  server: SubgraphServer;
  /** Mutation runs, and what the error masker logged. */
  bumps: () => number;
  logs: string[];
}

const running: SubgraphServer[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  for (const server of running.splice(0)) await server.stop();
});

async function start(options: { fastPath?: boolean; sdl?: string; requestSigning?: RequestSigningOptions } = {}): Promise<Started> {
  let bumps = 0;
  const logs: string[] = [];
  const server = createSubgraphServer({
    name: 'fast-path-test',
    typeDefs: parse(options.sdl ?? SDL),
    resolvers: {
      Query: {
        product: (_: unknown, args: { id: string }) => products.find((p) => p.id === args.id) ?? null,
        products: (_: unknown, args: { first: number }) => products.slice(0, args.first),
        strict: () => null,
        failing: () => {
          throw notFound('Product', 'x');
        },
        refused: () => {
          throw unauthenticated('Sign in first.', 401);
        },
        broken: () => {
          throw new Error('connection to the database lost: SELECT secret FROM t');
        },
        whoAmI: (_: unknown, __: unknown, context: { identity: { sub: string } | null }) => context.identity?.sub ?? 'anonymous',
      },
      Product: { price: (product: { id: string }, args: { currency: string }) => `${product.id}0.00 ${args.currency}` },
      Mutation: {
        bump: (_: unknown, args: { by: number }) => {
          bumps += args.by;
          return bumps;
        },
      },
    },
    logger: createLogger({ level: 'error', format: 'json', write: (line) => logs.push(JSON.parse(line).msg as string) }),
    context: (info) => info,
    requestSigning: options.requestSigning ?? { allowUnsigned: true },
    ...(options.fastPath !== undefined && { fastPath: options.fastPath }),
  });
  running.push(server);
  const { url } = await server.listen(0);
  return { url: `${url}/graphql`, server, bumps: () => bumps, logs };
}

interface Answer {
  status: number;
  headers: [string, string][];
  text: string;
}

async function send(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  // Everything but the clock and the connection's own bookkeeping.
  const kept = [...response.headers].filter(([name]) => !['date', 'keep-alive', 'connection'].includes(name));
  return { status: response.status, headers: kept, text };
}

/** Apollo Server's answer (fast path off), then the fast server's two answers. */
async function compare(body: unknown, headers: Record<string, string> = {}) {
  const apollo = await start({ fastPath: false });
  const fast = await start({ fastPath: true });
  const expected = await send(apollo.url, body, headers);
  const first = await send(fast.url, body, headers);
  const answeredAfterFirst = fast.server.fastPathStats().answered;
  const second = await send(fast.url, body, headers);
  return { expected, first, second, answeredAfterFirst, answered: fast.server.fastPathStats().answered, apollo, fast };
}

describe('subgraph fast path: the same bytes as Apollo Server', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['data', { query: 'query P($id: ID!) { product(id: $id) { id name price } }', variables: { id: '1' } }],
    ['a deliberate resolver error, shown', { query: '{ failing product(id: "3") { name } }' }],
    ['a resolver error carrying an HTTP status', { query: '{ refused }' }],
    ['an unexpected error, masked', { query: '{ broken }' }],
    ['null propagation (non-null field and non-null root)', { query: '{ products(first: 3) { id owner } }' }],
    ['null propagation to data: null', { query: '{ strict { id } }' }],
    ['variable and argument defaults', { query: 'query D($first: Int = 1) { products(first: $first) { id price } }', variables: null }],
    ['operationName among several operations', { query: 'query A { products { id } } query B { product(id: "2") { name } }', operationName: 'B' }],
  ];

  it.each(cases)('%s', async (_name, body) => {
    const { expected, first, second, answeredAfterFirst, answered } = await compare(body);
    expect(first).toEqual(expected);
    expect(answeredAfterFirst).toBe(0);
    expect(second).toEqual(expected);
    expect(answered).toBe(1);
  });

  it('answers the identity from the same context function', async () => {
    const identity = encodeIdentity({ sub: 'user-7', role: 'CUSTOMER', scopes: [] });
    const { expected, second, answered } = await compare({ query: '{ whoAmI }' }, { [IDENTITY_HEADER]: identity });
    expect(expected.text).toBe('{"data":{"whoAmI":"user-7"}}\n');
    expect(answered).toBe(1);
    expect(second).toEqual(expected);
  });

  it('logs a masked error as Apollo Server does, once per request', async () => {
    const { apollo, fast } = await compare({ query: '{ broken }' });
    expect(apollo.logs).toEqual(['unexpected error']);
    expect(fast.logs).toEqual(['unexpected error', 'unexpected error']);
  });

  it('picks each named operation of one document separately', async () => {
    const fast = await start({ fastPath: true });
    const query = 'query A { products { id } } query B { product(id: "2") { name } }';
    for (const operationName of ['A', 'B', 'A', 'B']) await send(fast.url, { query, operationName });
    expect(fast.server.fastPathStats().answered).toBe(2);
    expect((await send(fast.url, { query, operationName: 'B' })).text).toBe('{"data":{"product":{"name":"Desk"}}}\n');
  });
});

describe('subgraph fast path: left to Apollo Server', () => {
  it('bad variables get the same 400 BAD_USER_INPUT, and nothing runs', async () => {
    const mutation = 'mutation M($by: Int!) { bump(by: $by) }';
    const { expected, first, second, answered, fast } = await compare({ query: mutation, variables: { by: 'two' } });
    expect(expected.status).toBe(400);
    expect(JSON.parse(expected.text).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect([first, second]).toEqual([expected, expected]);
    expect(answered).toBe(0);
    // The document is known (Apollo validated it before coercing variables): good variables take
    // the fast path, bad ones still go to Apollo Server, and the mutation ran once in all.
    expect((await send(fast.url, { query: mutation, variables: { by: 1 } })).text).toBe('{"data":{"bump":1}}\n');
    expect(fast.server.fastPathStats().answered).toBe(1);
    expect(await send(fast.url, { query: mutation, variables: {} })).toMatchObject({ status: 400 });
    expect(fast.server.fastPathStats().answered).toBe(1);
    expect(fast.bumps()).toBe(1);
  });

  it('runs a mutation once per request on either path', async () => {
    const fast = await start({ fastPath: true });
    const body = { query: 'mutation M($by: Int!) { bump(by: $by) }', variables: { by: 1 } };
    expect((await send(fast.url, body)).text).toBe('{"data":{"bump":1}}\n');
    expect((await send(fast.url, body)).text).toBe('{"data":{"bump":2}}\n');
    expect(fast.server.fastPathStats().answered).toBe(1);
    expect(fast.bumps()).toBe(2);
  });

  it('a context that fails (bad identity header) is answered by Apollo Server each time', async () => {
    const apollo = await start({ fastPath: false });
    const fast = await start({ fastPath: true });
    const body = { query: '{ whoAmI }' };
    const badIdentity = { [IDENTITY_HEADER]: 'not-an-identity' };
    // A failed context stops Apollo before it validates anything: learn the document first.
    await send(fast.url, body);
    const expected = await send(apollo.url, body, badIdentity);
    expect(expected.status).toBe(401);
    expect(await send(fast.url, body, badIdentity)).toEqual(expected);
    expect(fast.server.fastPathStats().answered).toBe(0);
    await send(fast.url, body);
    expect(fast.server.fastPathStats().answered).toBe(1);
  });

  it('never serves introspection, extensions, other accept headers or batches', async () => {
    const fast = await start({ fastPath: true });
    const requests: [unknown, Record<string, string>][] = [
      [{ query: '{ __schema { queryType { name } } }' }, {}],
      [{ query: '{ products { id } }', extensions: { trace: true } }, {}],
      [{ query: '{ product(id: "1") { id } }' }, { accept: 'application/graphql-response+json' }],
      [[{ query: '{ products { name } }' }], {}],
    ];
    for (const [body, headers] of requests) for (let i = 0; i < 2; i++) await send(fast.url, body, headers);
    expect(fast.server.fastPathStats().answered).toBe(0);
  });

  it('is off when the SDL uses @cacheControl (Apollo computes the header then)', async () => {
    const fast = await start({
      fastPath: true,
      sdl: `enum CacheControlScope { PUBLIC PRIVATE }
        directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
        type Query { products(first: Int = 2): [Product] @cacheControl(maxAge: 60) }
        type Product { id: ID! }`,
    });
    for (let i = 0; i < 2; i++) expect((await send(fast.url, { query: '{ products { id } }' })).headers).toContainEqual(['cache-control', 'max-age=60, public']);
    expect(fast.server.fastPathStats()).toEqual({ enabled: false, answered: 0 });
  });
});

describe('subgraph fast path: settings and signatures', () => {
  it('is on by default and off with SUBGRAPH_FAST_PATH=off', async () => {
    vi.stubEnv('SUBGRAPH_FAST_PATH', '');
    const on = await start();
    vi.stubEnv('SUBGRAPH_FAST_PATH', 'off');
    const off = await start();
    for (const { url } of [on, on, off, off]) await send(url, { query: '{ products { id } }' });
    expect(on.server.fastPathStats()).toEqual({ enabled: true, answered: 1 });
    expect(off.server.fastPathStats()).toEqual({ enabled: false, answered: 0 });
  });

  it('refuses a bad SUBGRAPH_FAST_PATH value, naming it', () => {
    vi.stubEnv('SUBGRAPH_FAST_PATH', 'maybe');
    expect(() => createSubgraphServer({ name: 'x', typeDefs: parse(SDL), resolvers: {}, logger: createLogger({ level: 'silent' }), context: (info) => info, requestSigning: { allowUnsigned: true } })).toThrow(
      /SUBGRAPH_FAST_PATH: expected on or off/,
    );
  });

  it('still refuses unsigned (and replayed) requests for a known operation', async () => {
    const fast = await start({ fastPath: true, requestSigning: { secrets: [SECRET] } });
    const text = JSON.stringify({ query: '{ products { id } }' });
    const signature = () => createRequestSigner(SECRET)({ method: 'POST', path: '/graphql', body: text, identity: undefined });
    const post = (headers: Record<string, string>) => fetch(fast.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: text });
    expect((await post({ [SIGNATURE_HEADER]: signature() })).status).toBe(200);
    const second = signature();
    expect((await post({ [SIGNATURE_HEADER]: second })).status).toBe(200);
    expect(fast.server.fastPathStats().answered).toBe(1);
    const unsigned = await post({});
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(ErrorCode.REQUEST_SIGNATURE_MISSING);
    expect((await post({ [SIGNATURE_HEADER]: second })).status).toBe(401);
    expect(fast.server.fastPathStats().answered).toBe(1);
  });
});

describe('KnownOperations', () => {
  it('keeps the most recently used operations up to its limit', () => {
    const known = new KnownOperations(2);
    const entry = (query: string) => ({ document: parse(query), operation: parse(query).definitions[0] as OperationDefinitionNode });
    known.remember('{ a }', undefined, entry('{ a }'));
    known.remember('{ b }', undefined, entry('{ b }'));
    expect(known.get('{ a }', undefined)).toBeDefined(); // now the most recent
    known.remember('{ c }', 'C', entry('{ c }'));
    expect(known.size).toBe(2);
    expect(known.get('{ b }', undefined)).toBeUndefined();
    expect(known.get('{ a }', undefined)).toBeDefined();
    // The operationName is part of the key.
    expect(known.get('{ c }', undefined)).toBeUndefined();
    expect(known.get('{ c }', 'C')).toBeDefined();
  });
});
