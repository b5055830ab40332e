import { createServer } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse, type DocumentNode } from 'graphql';
import { createGraphQLHandler, createHttpServer, createLogger, DEV_JWT_SECRET, IDENTITY_HEADER, listen, type Logger, type RunningServer } from '@store/core';

/**
 * Small subgraphs built inside the tests (the router imports no real subgraph): `accounts` owns
 * `User @key(id)` and echoes the headers it received; `posts` extends `User`, fails on purpose
 * with a code at a path, leaks SQL in an unmasked error, and has a field that waits for the test.
 */
export const quietLogger: Logger = createLogger({ level: (process.env.TEST_LOG_LEVEL as 'silent' | undefined) ?? 'silent' });
export const DEV_KEY = { alg: 'HS256', secret: DEV_JWT_SECRET } as const;
export const LEAKED_SQL = 'SELECT "passwordHash" FROM "User" WHERE "email" = $1 -- relation "User" does not exist';

const accountsTypeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query {
    user(id: ID!): User
    users: [User!]!
    "The headers this subgraph received from the router."
    requestSeen: RequestSeen!
  }
  type User @key(fields: "id") {
    id: ID!
    name: String!
  }
  type RequestSeen {
    identity: String
    requestId: String
    acceptLanguage: String
    authorization: String
    cookie: String
    custom: String
  }
`);

const postsTypeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query {
    posts: [Post!]!
    "Throws a plain Error whose message is SQL, from a subgraph that does not mask its errors."
    leaky: String
    "Answers only when the test releases it."
    slow: String
  }
  type User @key(fields: "id") {
    id: ID!
    posts: [Post!]!
  }
  type Post {
    id: ID!
    title: String!
    "Always refused with FORBIDDEN."
    secret: String
  }
`);

/** A third subgraph that the tests leave unstarted ("down"). */
export const inventoryTypeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query {
    stock(sku: String!): Int
  }
`);

const USERS = [
  { id: 'u1', name: 'Ada' },
  { id: 'u2', name: 'Grace' },
];
const POSTS = [
  { id: 'p1', title: 'Hello', authorId: 'u1' },
  { id: 'p2', title: 'Federation', authorId: 'u1' },
  { id: 'p3', title: 'Compilers', authorId: 'u2' },
];

interface EchoContext extends BaseContext {
  headers: IncomingMessage['headers'];
}

/** A gate the `slow` field waits on: `arrived` resolves when the subgraph got the request. */
export interface Gate {
  arrived: Promise<void>;
  wait(): Promise<void>;
  release(): void;
}

export function createGate(): Gate {
  let arrive!: () => void;
  let open!: () => void;
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    arrived,
    wait: () => {
      arrive();
      return opened;
    },
    release: () => open(),
  };
}

const header = (headers: IncomingMessage['headers'], name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? null);
};

export interface TestSubgraph {
  name: string;
  typeDefs: DocumentNode;
  url: string;
  /** Every request's headers, in order. */
  received: IncomingMessage['headers'][];
  stop(): Promise<void>;
}

async function serveSubgraph(name: string, typeDefs: DocumentNode, resolvers: object): Promise<TestSubgraph> {
  const received: IncomingMessage['headers'][] = [];
  const apollo = new ApolloServer<EchoContext>({
    schema: buildSubgraphSchema({ typeDefs, resolvers: resolvers as never }),
    // Deliberately unmasked, with stack traces: the router must not relay them.
    includeStacktraceInErrorResponses: true,
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  const handler = createGraphQLHandler<EchoContext>({
    apollo,
    logger: quietLogger,
    context: async (req) => {
      received.push(req.headers);
      return { headers: req.headers };
    },
  });
  const server = createHttpServer(handler);
  const running: RunningServer = await listen(server, 0, '127.0.0.1');
  return {
    name,
    typeDefs,
    url: `${running.url}/graphql`,
    received,
    stop: async () => {
      await apollo.stop();
      await running.close(1_000);
    },
  };
}

export function startAccountsSubgraph(): Promise<TestSubgraph> {
  return serveSubgraph('accounts', accountsTypeDefs, {
    Query: {
      user: (_: unknown, { id }: { id: string }) => USERS.find((u) => u.id === id) ?? null,
      users: () => USERS,
      requestSeen: (_: unknown, __: unknown, { headers }: EchoContext) => ({
        identity: header(headers, IDENTITY_HEADER),
        requestId: header(headers, 'x-request-id'),
        acceptLanguage: header(headers, 'accept-language'),
        authorization: header(headers, 'authorization'),
        cookie: header(headers, 'cookie'),
        custom: header(headers, 'x-custom'),
      }),
    },
    User: { __resolveReference: (ref: { id: string }) => USERS.find((u) => u.id === ref.id) ?? null },
  });
}

export function startPostsSubgraph(slowGate: () => Gate): Promise<TestSubgraph> {
  return serveSubgraph('posts', postsTypeDefs, {
    Query: {
      posts: () => POSTS,
      leaky: () => {
        throw new Error(LEAKED_SQL);
      },
      slow: async () => {
        await slowGate().wait();
        return 'finally';
      },
    },
    User: {
      __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
      posts: (user: { id: string }) => POSTS.filter((p) => p.authorId === user.id),
    },
    Post: {
      secret: () => {
        throw new GraphQLError('You may not read this post.', { extensions: { code: 'FORBIDDEN' } });
      },
    },
  });
}

/** Composes subgraphs into a supergraph SDL with `@apollo/composition`, failing loudly. */
export function composeSupergraph(services: { name: string; typeDefs: DocumentNode; url: string }[]): string {
  const result = composeServices(services);
  if (result.errors) throw new Error(`composition failed:\n${result.errors.map((e) => e.message).join('\n')}`);
  return result.supergraphSdl;
}

/** A loopback URL nothing listens on (the port was free a moment ago and is closed again). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/graphql`;
}
