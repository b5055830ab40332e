import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphQLHandler, createHttpServer, DEV_JWT_SECRET, listen, scopesForRole, signAccessToken, type Identity, type Logger } from '@store/core';
import { createAuthorizer, operationRequirements, readRequirements, RequirementIndex, type AuthorizationMode, type OperationRequirements } from '../src/authorization/index.ts';
import type { PolicyRequest } from '../src/policies.ts';
import { createRouter, type Router } from '../src/server.ts';
import { buildSupergraph, parseSupergraph } from '../src/supergraph.ts';
import { composeSupergraph, DEV_KEY, quietLogger } from './support/test-graph.ts';

// A small supergraph with every kind of requirement: on fields, on object / scalar / enum types,
// on an interface's implementation, OR-of-AND scopes, a known and an unknown policy.
const shopTypeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@authenticated", "@requiresScopes", "@policy"])
  type Query {
    open: String
    me: User @authenticated
    users: [User!]!
    admins: [User!]! @requiresScopes(scopes: [["users:read"]])
    secret: Secret
    level: Level
    nodes: [Node!]!
    vip: String @requiresScopes(scopes: [["a", "b"], ["c"]])
    mystery: String @policy(policies: [["no_such_policy"]])
    internal: String @policy(policies: [["service_account"]])
  }
  type Mutation {
    rename(name: String!): String! @authenticated
    touch: Boolean
  }
  type User @key(fields: "id") {
    id: ID!
    name: String!
    email: String @requiresScopes(scopes: [["profile:read"]])
  }
  scalar Secret @authenticated
  enum Level @requiresScopes(scopes: [["staff"]]) { LOW HIGH }
  interface Node { id: ID! label: String }
  type Shelf implements Node { id: ID! label: String }
  type Vault implements Node @authenticated { id: ID! label: String @requiresScopes(scopes: [["vault:read"]]) }
`;
const ordersTypeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@authenticated"])
  type User @key(fields: "id") {
    id: ID!
    orders: [String!]! @authenticated
  }
`;

const USERS = [
  { id: 'u1', name: 'Ada', email: 'ada@example.test' },
  { id: 'u2', name: 'Grace', email: 'grace@example.test' },
];
const shopResolvers = {
  Query: {
    open: () => 'open',
    me: () => USERS[0],
    users: () => USERS,
    admins: () => USERS,
    secret: () => 's3cret',
    level: () => 'HIGH',
    nodes: () => [
      { __typename: 'Shelf', id: 'n1', label: 'shelf' },
      { __typename: 'Vault', id: 'n2', label: 'vault' },
    ],
    vip: () => 'vip',
    mystery: () => 'mystery',
    internal: () => 'internal',
  },
  Mutation: { rename: (_: unknown, { name }: { name: string }) => name, touch: () => true },
  User: { __resolveReference: (ref: { id: string }) => USERS.find((u) => u.id === ref.id) },
};
const ordersResolvers = { User: { __resolveReference: (ref: { id: string }) => ref, orders: (user: { id: string }) => [`order-of-${user.id}`] } };

function identity(role: Identity['role'], scopes: string[] = scopesForRole(role), sub = role === 'SERVICE' ? 'service:test' : '00000000-0000-4000-8000-000000000001'): Identity {
  return { sub, role, scopes };
}

function request(who: Identity | null, operationType: PolicyRequest['operationType'] = 'query'): PolicyRequest {
  return { identity: who, operationName: undefined, operationType, variables: {} };
}

describe('authorization requirements', () => {
  const sdl = composeSupergraph([
    { name: 'shop', typeDefs: parse(shopTypeDefs), url: 'http://127.0.0.1:1/graphql' },
    { name: 'orders', typeDefs: parse(ordersTypeDefs), url: 'http://127.0.0.1:2/graphql' },
  ]);
  const supergraph = buildSupergraph(sdl);
  const declared = readRequirements(supergraph.schema);
  const apiSchema = supergraph.apiSchema().toGraphQLJSSchema();
  const index = new RequirementIndex(apiSchema, declared);
  const analyse = (query: string): OperationRequirements | null => {
    const document = parse(query);
    return operationRequirements(index, apiSchema, document, document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!);
  };
  const deniedPaths = (query: string, who: Identity | null, policies?: Record<string, (r: PolicyRequest) => boolean>) => {
    const requirements = analyse(query);
    if (!requirements) return [];
    const verdict = createAuthorizer({ mode: 'filter', declared, logger: quietLogger, ...(policies ? { policies } : {}) }).check(requirements, request(who));
    return verdict.allowed ? [] : verdict.sites.map((site) => site.path.join('.'));
  };

  it('accepts a supergraph whose authorization links are `for: SECURITY` (stock Supergraph.build refuses it)', () => {
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)');
    expect(parseSupergraph(sdl).ok).toBe(true);
  });

  it('reads field directives, and type directives onto every field returning the type', () => {
    expect(declared.fields.get('Query.me')).toEqual([{ kind: 'authenticated' }]);
    expect(declared.fields.get('Query.vip')).toEqual([{ kind: 'scopes', anyOf: [['a', 'b'], ['c']] }]);
    expect(declared.fields.get('Query.secret')).toEqual([{ kind: 'authenticated' }]);
    expect(declared.fields.get('Query.level')).toEqual([{ kind: 'scopes', anyOf: [['staff']] }]);
    expect(declared.fields.get('User.orders')).toEqual([{ kind: 'authenticated' }]);
    expect(declared.types.get('Vault')).toEqual([{ kind: 'authenticated' }]);
    expect(declared.fields.has('Query.open')).toBe(false);
    expect([...declared.policyNames].sort()).toEqual(['no_such_policy', 'service_account']);
  });

  it('finds nothing to check in an operation that selects nothing guarded', () => {
    expect(analyse('{ open users { id name } }')).toBeNull();
  });

  it('follows fragments and inline fragments, and reports only the outermost removed selection', () => {
    const query = `
      query Q { open ...Me users { ... on User { email } } }
      fragment Me on Query { me { name email } }
    `;
    expect(deniedPaths(query, null)).toEqual(['me', 'users.@.email']);
    expect(deniedPaths(query, identity('SERVICE'))).toEqual(['me.email', 'users.@.email']);
    expect(deniedPaths(query, identity('CUSTOMER'))).toEqual([]);
  });

  it('applies scalar and enum type requirements', () => {
    expect(deniedPaths('{ secret level }', null)).toEqual(['secret', 'level']);
    expect(deniedPaths('{ secret level }', identity('ADMIN'))).toEqual(['level']);
    expect(deniedPaths('{ secret level }', identity('ADMIN', ['staff']))).toEqual([]);
  });

  it('requires on an interface (field) what any implementation (field) requires', () => {
    // Composition copies Vault's requirements onto Node and Node.label (Apollo's semantics).
    expect(declared.types.get('Node')).toEqual([{ kind: 'authenticated' }]);
    const query = '{ nodes { id label ... on Vault { id } } }';
    expect(deniedPaths(query, null)).toEqual(['nodes']);
    expect(deniedPaths(query, identity('CUSTOMER'))).toEqual(['nodes.@.label']);
    expect(deniedPaths(query, identity('CUSTOMER', ['vault:read']))).toEqual([]);
  });

  it('treats requiresScopes as an OR of ANDs', () => {
    expect(deniedPaths('{ vip }', identity('CUSTOMER', ['a']))).toEqual(['vip']);
    expect(deniedPaths('{ vip }', identity('CUSTOMER', ['a', 'b']))).toEqual([]);
    expect(deniedPaths('{ vip }', identity('CUSTOMER', ['c']))).toEqual([]);
    expect(deniedPaths('{ vip }', null)).toEqual(['vip']);
  });

  it('denies an unknown policy to everyone, and logs it once at start', () => {
    const warnings: unknown[] = [];
    const logger: Logger = { ...quietLogger, warn: (msg, fields) => warnings.push({ msg, fields }) };
    const authorizer = createAuthorizer({ mode: 'filter', declared, logger });
    expect(warnings).toEqual([{ msg: expect.stringContaining('unknown @policy'), fields: { policies: ['no_such_policy'] } }]);
    for (const who of [null, identity('CUSTOMER'), identity('ADMIN'), identity('SERVICE')]) {
      expect(authorizer.check(analyse('{ mystery }')!, request(who)).allowed).toBe(false);
    }
    expect(warnings).toHaveLength(1);
  });

  it('runs known policies on the request', () => {
    expect(deniedPaths('{ internal }', identity('SERVICE'))).toEqual([]);
    expect(deniedPaths('{ internal }', identity('ADMIN'))).toEqual(['internal']);
    expect(deniedPaths('{ internal }', identity('ADMIN'), { service_account: () => true })).toEqual([]);
  });
});

describe('authorization through the router', () => {
  const seenBySubgraphs: string[] = [];
  const stops: (() => Promise<void>)[] = [];
  const routers = new Map<AuthorizationMode, string>();
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    const services = [];
    for (const [name, typeDefs, resolvers] of [
      ['shop', shopTypeDefs, shopResolvers],
      ['orders', ordersTypeDefs, ordersResolvers],
    ] as const) {
      const apollo = new ApolloServer<BaseContext>({
        schema: buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers: resolvers as never }),
        stopOnTerminationSignals: false,
        plugins: [
          ApolloServerPluginLandingPageDisabled(),
          ApolloServerPluginInlineTraceDisabled(),
          { requestDidStart: async ({ request: r }) => void seenBySubgraphs.push(r.query ?? '') },
        ],
      });
      await apollo.start();
      const running = await listen(createHttpServer(createGraphQLHandler<BaseContext>({ apollo, logger: quietLogger, context: async () => ({}) })), 0, '127.0.0.1');
      stops.push(async () => {
        await apollo.stop();
        await running.close(1_000);
      });
      services.push({ name, typeDefs: parse(typeDefs), url: `${running.url}/graphql` });
    }
    const supergraphSdl = composeSupergraph(services);
    for (const mode of ['filter', 'reject', 'off'] as const) {
      const router: Router = await createRouter({ supergraphSdl, logger: quietLogger, verifyingKey: DEV_KEY, authorizationMode: mode });
      const running = await router.listen(0);
      stops.push(() => router.stop());
      routers.set(mode, `${running.url}/graphql`);
    }
    for (const role of ['CUSTOMER', 'ADMIN'] as const) {
      tokens.set(role, (await signAccessToken(identity(role), { alg: 'HS256', secret: DEV_JWT_SECRET }, 600)).token);
    }
  });
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
  });

  /** Sends twice: through Apollo Server, then through the fast path; both answers must be equal. */
  async function ask(mode: AuthorizationMode, query: string, role?: 'CUSTOMER' | 'ADMIN') {
    const answers = [];
    for (let i = 0; i < 2; i++) {
      const response = await fetch(routers.get(mode)!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(role ? { authorization: `Bearer ${tokens.get(role)}` } : {}) },
        body: JSON.stringify({ query }),
      });
      answers.push({ status: response.status, body: (await response.json()) as { data?: unknown; errors?: { message: string; path?: unknown[]; extensions?: { code?: string } }[] } });
    }
    expect(answers[1]).toEqual(answers[0]);
    return answers[0]!;
  }
  const unauthorized = (path: unknown[]) => ({ message: 'Unauthorized field or type', path, extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' } });

  it('filter: removes what the caller may not select before planning; the rest runs; removed fields are null with an error', async () => {
    seenBySubgraphs.length = 0;
    const { status, body } = await ask('filter', '{ open me { name } users { id name email } }');
    expect(status).toBe(200);
    expect(body.data).toEqual({ open: 'open', me: null, users: [{ id: 'u1', name: 'Ada', email: null }, { id: 'u2', name: 'Grace', email: null }] });
    expect(body.errors).toEqual([unauthorized(['me']), unauthorized(['users', '@', 'email'])]);
    expect(seenBySubgraphs.length).toBeGreaterThan(0);
    expect(seenBySubgraphs.join('\n')).not.toMatch(/\bme\b|email/);
  });

  it('filter: a removed non-null field nulls its parents as GraphQL does, with no second error, and its subgraph is not called', async () => {
    seenBySubgraphs.length = 0;
    // orders: [String!]! on User, in users: [User!]!: the null reaches the root.
    const { body } = await ask('filter', '{ open users { id orders } }');
    expect(body).toEqual({ errors: [unauthorized(['users', '@', 'orders'])], data: null });
    expect(seenBySubgraphs.join('\n')).not.toMatch(/orders|_entities/);
  });

  it('filter: a signed-in caller gets what its scopes allow', async () => {
    const { body } = await ask('filter', '{ me { name email orders } vip }', 'CUSTOMER');
    expect(body.data).toEqual({ me: { name: 'Ada', email: 'ada@example.test', orders: ['order-of-u1'] }, vip: null });
    expect(body.errors).toEqual([unauthorized(['vip'])]);
    const admin = await ask('filter', '{ admins { id } }', 'ADMIN');
    expect(admin.body).toEqual({ data: { admins: [{ id: 'u1' }, { id: 'u2' }] } });
  });

  it('filter: a selection left empty still resolves its parent, and a removed non-null root field nulls data', async () => {
    const nested = await ask('filter', '{ users { email } }');
    expect(nested.body.data).toEqual({ users: [{ email: null }, { email: null }] });
    expect(nested.body.errors).toEqual([unauthorized(['users', '@', 'email'])]);
    seenBySubgraphs.length = 0;
    const mutation = await ask('filter', 'mutation { rename(name: "x") }');
    expect(mutation.body).toEqual({ errors: [unauthorized(['rename'])], data: null });
    expect(seenBySubgraphs).toEqual([]);
  });

  it('reject: refuses the whole operation, one error per unauthorized field, no subgraph call', async () => {
    seenBySubgraphs.length = 0;
    const { status, body } = await ask('reject', '{ open me { name } secret }');
    expect(status).toBe(200);
    expect(body).toEqual({ errors: [unauthorized(['me']), unauthorized(['secret'])], data: null });
    expect(seenBySubgraphs).toEqual([]);
    expect((await ask('reject', '{ open me { name } }', 'CUSTOMER')).body).toEqual({ data: { open: 'open', me: { name: 'Ada' } } });
  });

  it('off: the router does not check (the subgraph decides)', async () => {
    const { body } = await ask('off', '{ me { name } }');
    expect(body).toEqual({ data: { me: { name: 'Ada' } } });
  });
});
