import type { IncomingMessage } from 'node:http';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type DocumentNode } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGraphQLHandler, createHttpServer, createLogger, decodeIdentity, IDENTITY_HEADER, listen, signAccessToken, type Identity } from '@store/core';
import { graphql } from '@store/testkit';
import { RouterErrorCode, SubgraphRequestError, subgraphFailureMessage } from '../src/errors.ts';
import { createSubgraphClient } from '../src/executor/subgraph-client.ts';
import { createRouter, type Router } from '../src/server.ts';
import { closedPortUrl, composeSupergraph, DEV_KEY, quietLogger } from './support/test-graph.ts';

// SUBGRAPH_DEDUPLICATION: identical queries in flight share one subgraph request. The subgraphs
// hold every answer until the test has seen all the router's calls arrive or join one in flight,
// so what is shared does not depend on timing.

/** Holds a subgraph's resolvers until released. */
interface Hold {
  wait(): Promise<void>;
  release(): void;
}

function createHold(): Hold {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { wait: () => opened, release: () => open() };
}

interface HeldContext extends BaseContext {
  headers: IncomingMessage['headers'];
}

interface HeldSubgraph {
  url: string;
  typeDefs: DocumentNode;
  /** The request id (`x-request-id`) of every request received, in order. */
  received: string[];
  stop(): Promise<void>;
}

const header = (headers: IncomingMessage['headers'], name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};
const caller = (context: HeldContext) => decodeIdentity(header(context.headers, IDENTITY_HEADER))?.sub ?? 'anonymous';

let holds = { stock: createHold(), notes: createHold() };

const stockTypeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query {
    held(tag: String!): Item!
  }
  type Mutation {
    hold(tag: String!): Item!
  }
  type Item @key(fields: "id") {
    id: ID!
    seenBy: String!
    language: String
  }
`);
const notesTypeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Item @key(fields: "id") {
    id: ID!
    note: String!
  }
`);

const item = async (tag: string, context: HeldContext) => {
  await holds.stock.wait();
  return { id: tag, seenBy: caller(context), language: header(context.headers, 'accept-language') ?? null };
};
const stockResolvers = {
  Query: { held: (_: unknown, { tag }: { tag: string }, context: HeldContext) => item(tag, context) },
  Mutation: { hold: (_: unknown, { tag }: { tag: string }, context: HeldContext) => item(tag, context) },
};
const notesResolvers = {
  Item: {
    __resolveReference: async (ref: { id: string }, context: HeldContext) => {
      await holds.notes.wait();
      return { id: ref.id, note: `note ${ref.id} for ${caller(context)}` };
    },
  },
};

async function serveHeld(typeDefs: DocumentNode, resolvers: object): Promise<HeldSubgraph> {
  const received: string[] = [];
  const apollo = new ApolloServer<HeldContext>({
    schema: buildSubgraphSchema({ typeDefs, resolvers: resolvers as never }),
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  const handler = createGraphQLHandler<HeldContext>({
    apollo,
    logger: quietLogger,
    context: async (req) => {
      received.push(header(req.headers, 'x-request-id') ?? '');
      return { headers: req.headers };
    },
  });
  const running = await listen(createHttpServer(handler), 0, '127.0.0.1');
  return {
    url: `${running.url}/graphql`,
    typeDefs,
    received,
    stop: async () => {
      await apollo.stop();
      await running.close(1_000);
    },
  };
}

let stock: HeldSubgraph;
let notes: HeldSubgraph;
let deduplicating: Router;
let plain: Router;
let dedupUrl: string;
let plainUrl: string;
/** The router's log lines (JSON, debug level): joined calls are logged there. */
const logLines: string[] = [];

beforeAll(async () => {
  stock = await serveHeld(stockTypeDefs, stockResolvers);
  notes = await serveHeld(notesTypeDefs, notesResolvers);
  const supergraphSdl = composeSupergraph([
    { name: 'stock', typeDefs: stock.typeDefs, url: stock.url },
    { name: 'notes', typeDefs: notes.typeDefs, url: notes.url },
  ]);
  const logger = createLogger({ level: 'debug', format: 'json', write: (line) => void logLines.push(line) });
  deduplicating = await createRouter({ supergraphSdl, logger, verifyingKey: DEV_KEY, subgraphDeduplication: true, subgraphBatching: false });
  dedupUrl = `${(await deduplicating.listen(0)).url}/graphql`;
  // The default: no de-duplication.
  plain = await createRouter({ supergraphSdl, logger, verifyingKey: DEV_KEY, subgraphBatching: false });
  plainUrl = `${(await plain.listen(0)).url}/graphql`;
});
afterAll(async () => {
  holds.stock.release();
  holds.notes.release();
  await deduplicating?.stop();
  await plain?.stop();
  await stock?.stop();
  await notes?.stop();
});
beforeEach(() => {
  holds = { stock: createHold(), notes: createHold() };
  stock.received.length = 0;
  notes.received.length = 0;
  logLines.length = 0;
});

const ada: Identity = { sub: 'u1', role: 'CUSTOMER', scopes: [] };
const grace: Identity = { sub: 'u2', role: 'CUSTOMER', scopes: [] };
const bearer = async (identity: Identity) => `Bearer ${(await signAccessToken(identity, DEV_KEY, 300)).token}`;
const QUERY = 'query Held { held(tag: "a") { id seenBy language note } }';
const MUTATION = 'mutation Hold { hold(tag: "a") { id seenBy language note } }';

/** Calls to `service` that joined one in flight. */
const joined = (service: string) => logLines.filter((line) => line.includes('"msg":"subgraph request de-duplicated"') && line.includes(`"subgraph":"${service}"`)).length;

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/**
 * Waits until each of `calls` router calls to the subgraph arrived there or joined one in flight,
 * then lets the subgraph answer. Returns how many requests it received.
 */
async function releaseWhenAllCalled(subgraph: HeldSubgraph, service: 'stock' | 'notes', calls: number): Promise<number> {
  await until(() => subgraph.received.length + joined(service) >= calls);
  holds[service].release();
  return subgraph.received.length;
}

/** Sends `requests` (headers each) at once and lets both subgraphs answer once every call was made. */
async function concurrently(url: string, query: string, requests: Record<string, string>[]) {
  const answers = Promise.all(requests.map((headers) => graphql(url, query, undefined, headers)));
  const stockRequests = await releaseWhenAllCalled(stock, 'stock', requests.length);
  const notesRequests = await releaseWhenAllCalled(notes, 'notes', requests.length);
  return { answers: await answers, stockRequests, notesRequests };
}

describe('SUBGRAPH_DEDUPLICATION=on', () => {
  it('sends identical queries in flight once, and each client gets the whole answer', async () => {
    const token = await bearer(ada);
    const { answers, stockRequests, notesRequests } = await concurrently(dedupUrl, QUERY, Array.from({ length: 5 }, () => ({ authorization: token, 'accept-language': 'en' })));
    expect(stockRequests).toBe(1);
    expect(notesRequests).toBe(1);
    expect(joined('stock')).toBe(4);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.errors).toBeUndefined();
      expect(answer.data).toEqual({ held: { id: 'a', seenBy: 'u1', language: 'en', note: 'note a for u1' } });
    }
  });

  it('keeps apart requests of different identities or forwarded headers', async () => {
    const [adaToken, graceToken] = await Promise.all([bearer(ada), bearer(grace)]);
    const groups: Record<string, string>[] = [
      { authorization: adaToken, 'accept-language': 'en' },
      { authorization: adaToken, 'accept-language': 'fr' },
      { authorization: graceToken, 'accept-language': 'en' },
      { 'accept-language': 'en' },
    ];
    const requests = groups.flatMap((headers) => [headers, headers]);
    const { answers, stockRequests, notesRequests } = await concurrently(dedupUrl, QUERY, requests);
    expect(stockRequests).toBe(groups.length);
    expect(notesRequests).toBe(groups.length);
    const expected = [
      { id: 'a', seenBy: 'u1', language: 'en', note: 'note a for u1' },
      { id: 'a', seenBy: 'u1', language: 'fr', note: 'note a for u1' },
      { id: 'a', seenBy: 'u2', language: 'en', note: 'note a for u2' },
      { id: 'a', seenBy: 'anonymous', language: 'en', note: 'note a for anonymous' },
    ];
    expect(answers.map((answer) => answer.data)).toEqual(expected.flatMap((held) => [{ held }, { held }]));
  });

  it('never shares a mutation, nor the reads that follow it', async () => {
    const token = await bearer(ada);
    const { answers, stockRequests, notesRequests } = await concurrently(dedupUrl, MUTATION, Array.from({ length: 4 }, () => ({ authorization: token, 'accept-language': 'en' })));
    expect(stockRequests).toBe(4);
    // The `_entities` fetch after the write is a query, but the client's operation is a mutation.
    expect(notesRequests).toBe(4);
    expect(joined('stock') + joined('notes')).toBe(0);
    for (const answer of answers) expect(answer.data).toEqual({ hold: { id: 'a', seenBy: 'u1', language: 'en', note: 'note a for u1' } });
  });

  it('sends the same query again once the first call settled (nothing is cached)', async () => {
    holds.stock.release();
    holds.notes.release();
    const first = await graphql(dedupUrl, QUERY);
    const second = await graphql(dedupUrl, QUERY);
    expect(first.data).toEqual(second.data);
    expect(stock.received).toHaveLength(2);
    expect(notes.received).toHaveLength(2);
  });
});

describe('without SUBGRAPH_DEDUPLICATION (the default)', () => {
  it('sends every identical query', async () => {
    const { answers, stockRequests, notesRequests } = await concurrently(plainUrl, QUERY, Array.from({ length: 5 }, () => ({ 'accept-language': 'en' })));
    expect(stockRequests).toBe(5);
    expect(notesRequests).toBe(5);
    for (const answer of answers) expect(answer.data).toEqual({ held: { id: 'a', seenBy: 'anonymous', language: 'en', note: 'note a for anonymous' } });
  });
});

describe('the de-duplicating subgraph client', () => {
  const body = JSON.stringify({ query: '{ held(tag: "b") { id seenBy } }' });
  const context = (requestId: string, signal?: AbortSignal) => ({ requestId, forwardedHeaders: { 'x-request-id': requestId }, identity: null, ...(signal && { signal }) });

  it("does not fail the followers when the leader's client gives up", async () => {
    const client = createSubgraphClient({ urls: new Map([['stock', stock.url]]), timeoutMs: 30_000, logger: quietLogger, deduplicate: true });
    try {
      const leaderGivesUp = new AbortController();
      const leader = client.send('stock', body, context('leader', leaderGivesUp.signal), undefined, true);
      const followers = [client.send('stock', body, context('f1'), undefined, true), client.send('stock', body, context('f2'), undefined, true)];
      await until(() => stock.received.length === 1);
      leaderGivesUp.abort();
      await expect(leader).rejects.toThrow(subgraphFailureMessage('stock', 'timeout'));
      holds.stock.release();
      const answers = await Promise.all(followers);
      expect(answers).toEqual([{ data: { held: { id: 'b', seenBy: 'anonymous' } } }, { data: { held: { id: 'b', seenBy: 'anonymous' } } }]);
      // Each parsed its own copy: the executor merges into what it gets.
      expect(answers[0]).not.toBe(answers[1]);
      expect(answers[0]!.data).not.toBe(answers[1]!.data);
      // The leader's request is the one sent.
      expect(stock.received).toEqual(['leader']);
    } finally {
      await client.close();
    }
  });

  it('stops a call nobody waits for any more: the next caller gets a call of its own', async () => {
    const client = createSubgraphClient({ urls: new Map([['stock', stock.url]]), timeoutMs: 30_000, logger: quietLogger, deduplicate: true });
    try {
      const givesUp = new AbortController();
      const alone = client.send('stock', body, context('alone', givesUp.signal), undefined, true);
      await until(() => stock.received.length === 1);
      givesUp.abort();
      await expect(alone).rejects.toThrow(subgraphFailureMessage('stock', 'timeout'));
      const next = client.send('stock', body, context('next'), undefined, true);
      await until(() => stock.received.length === 2);
      holds.stock.release();
      expect(await next).toEqual({ data: { held: { id: 'b', seenBy: 'anonymous' } } });
      expect(stock.received).toEqual(['alone', 'next']);
    } finally {
      await client.close();
    }
  });

  it('delivers a failure to every caller, each its own error', async () => {
    const client = createSubgraphClient({ urls: new Map([['stock', await closedPortUrl()]]), timeoutMs: 30_000, logger: quietLogger, deduplicate: true });
    try {
      const outcomes = await Promise.allSettled([1, 2, 3].map((i) => client.send('stock', body, context(`r${i}`), undefined, true)));
      const errors = outcomes.map((outcome) => (outcome.status === 'rejected' ? outcome.reason : null));
      for (const error of errors) {
        expect(error).toBeInstanceOf(SubgraphRequestError);
        expect(error).toMatchObject({ failure: 'unreachable', extensions: { code: RouterErrorCode.SUBGRAPH_UNAVAILABLE } });
      }
      expect(new Set(errors).size).toBe(3);
    } finally {
      await client.close();
    }
  });

  it('shares nothing that is not marked shareable', async () => {
    const client = createSubgraphClient({ urls: new Map([['stock', stock.url]]), timeoutMs: 30_000, logger: quietLogger, deduplicate: true });
    try {
      const answers = Promise.all([1, 2, 3].map((i) => client.send('stock', body, context(`r${i}`))));
      await until(() => stock.received.length === 3);
      holds.stock.release();
      expect(await answers).toHaveLength(3);
    } finally {
      await client.close();
    }
  });
});
