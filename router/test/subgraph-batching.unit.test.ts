import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql as runGraphQL, parse, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { RouterContext } from '../src/request-context.ts';
import { createPlanExecutor, operationKey, type ExecutionResult, type PlanExecutor } from '../src/executor/plan-executor.ts';
import { JsonWriter } from '../src/executor/json-writer.ts';
import type { SubgraphResponse } from '../src/executor/subgraph-client.ts';
import { SubgraphRequestError } from '../src/errors.ts';
import { composeSupergraph, quietLogger } from './support/test-graph.ts';

// SUBGRAPH_BATCHING: the requests that concurrent query operations make to one subgraph in the
// same event-loop turn go out as one request. The subgraphs here are real subgraph schemas run
// in-process by the executor's `send`, so every request the router makes is seen and answered
// for real; operations started together reach their entity stage in the same turn.

const PRODUCTS = [
  { id: 'p1', name: 'Kettle' },
  { id: 'p2', name: 'Teapot' },
  { id: 'p3', name: 'Mug' },
  { id: 'bad', name: 'Broken' },
];
const REVIEWS: Record<string, string[]> = { p1: ['hot', 'fast', 'loud'], p2: ['pretty'], p3: [], bad: [] };

const catalogTypeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query {
    product(id: ID!): Product
    products(ids: [ID!]!): [Product!]!
  }
  type Mutation {
    rename(id: ID!, name: String!): Product
  }
  type Product @key(fields: "id") {
    id: ID!
    name: String!
  }
`);
const stockTypeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Product @key(fields: "id") {
    id: ID!
    inStock: Boolean
    reviews(first: Int = 10): [String!]!
    viewer: String
  }
`);

const byId = (id: string) => PRODUCTS.find((p) => p.id === id) ?? null;
const schemas: Record<string, GraphQLSchema> = {
  catalog: buildSubgraphSchema({
    typeDefs: catalogTypeDefs,
    resolvers: {
      Query: {
        product: (_: unknown, { id }: { id: string }) => {
          if (id === 'err') throw new Error('catalog cannot read err');
          return byId(id);
        }, products: (_: unknown, { ids }: { ids: string[] }) => ids.map(byId).filter(Boolean) },
      Mutation: { rename: (_: unknown, { id, name }: { id: string; name: string }) => ({ ...byId(id)!, name }) },
      Product: { __resolveReference: (ref: { id: string }) => byId(ref.id) },
    } as never,
  }),
  stock: buildSubgraphSchema({
    typeDefs: stockTypeDefs,
    resolvers: {
      Product: {
        __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
        inStock: (p: { id: string }) => {
          if (p.id === 'bad') throw new Error('stock unknown for bad');
          return p.id !== 'p3';
        },
        reviews: (p: { id: string }, { first }: { first: number }) => (REVIEWS[p.id] ?? []).slice(0, first),
        viewer: (_: unknown, __: unknown, context: { viewer?: string }) => context.viewer ?? null,
      },
    } as never,
  }),
};

const supergraphSdl = composeSupergraph([
  { name: 'catalog', typeDefs: catalogTypeDefs, url: 'http://127.0.0.1:1/graphql' },
  { name: 'stock', typeDefs: stockTypeDefs, url: 'http://127.0.0.1:2/graphql' },
]);

interface Sent {
  service: string;
  query: string;
  variables: Record<string, unknown>;
  viewer: string | undefined;
}

/** An executor whose subgraph calls run the subgraph schemas in-process, recorded in `sent`. */
function setUp(options: { batch?: boolean; failWhole?: (service: string, body: string) => boolean; refuse?: (service: string, body: string) => boolean } = {}) {
  const sent: Sent[] = [];
  const executor = createPlanExecutor({
    supergraphSdl,
    urls: new Map(),
    timeoutMs: 5_000,
    logger: quietLogger,
    ...(options.batch === false && { batchSubgraphRequests: false }),
    send: async (service, body, context): Promise<SubgraphResponse> => {
      const { query, variables } = JSON.parse(body) as { query: string; variables: Record<string, unknown> };
      const viewer = context.identity?.sub;
      sent.push({ service, query, variables, viewer });
      if (options.failWhole?.(service, body)) return { data: null, errors: [{ message: 'subgraph fell over' }] };
      // What the client throws for an HTTP error answer (e.g. a subgraph's limit on aliases).
      if (options.refuse?.(service, body)) throw new SubgraphRequestError(service, 'bad-response');
      const result = await runGraphQL({ schema: schemas[service]!, source: query, variableValues: variables, contextValue: { viewer } });
      return JSON.parse(JSON.stringify(result)) as SubgraphResponse;
    },
  });
  return { executor, sent, entityRequests: () => sent.filter((s) => s.query.includes('_entities')) };
}

/** Runs one operation and returns its answer as the client would read it. */
async function run(executor: PlanExecutor, query: string, variables?: Record<string, unknown>, context: Partial<RouterContext> = {}) {
  const document = parse(query);
  const prepared = executor.prepare(operationKey(query, undefined), document, undefined, query);
  const result: ExecutionResult = await executor.execute(prepared, variables, { requestId: `r-${Math.random()}`, ...context });
  const writer = new JsonWriter(1024);
  result.writeData!(writer);
  return { data: JSON.parse(writer.bytes().toString('utf8')) as Record<string, any>, errors: (result.errors ?? []).map((e) => ({ message: e.message, path: (e as { path?: unknown }).path })) };
}

const DETAIL = 'query($id: ID!, $first: Int) { product(id: $id) { id name inStock reviews(first: $first) } }';
const LIST = 'query($ids: [ID!]!) { products(ids: $ids) { id inStock } }';

describe('subgraph request batching across concurrent operations', () => {
  it('sends the entity calls of operations started together as one subgraph request, each answered with its own data', async () => {
    const alone = setUp({ batch: false });
    const expected = [
      await run(alone.executor, DETAIL, { id: 'p1', first: 2 }),
      await run(alone.executor, DETAIL, { id: 'p2', first: 2 }),
      await run(alone.executor, LIST, { ids: ['p1', 'p3'] }),
    ];
    expect(alone.entityRequests()).toHaveLength(3);

    const { executor, entityRequests } = setUp();
    const answers = await Promise.all([
      run(executor, DETAIL, { id: 'p1', first: 2 }),
      run(executor, DETAIL, { id: 'p2', first: 2 }),
      run(executor, LIST, { ids: ['p1', 'p3'] }),
    ]);
    expect(answers).toEqual(expected);
    expect(answers[0]!.data).toEqual({ product: { id: 'p1', name: 'Kettle', inStock: true, reviews: ['hot', 'fast'] } });
    // One request: the two detail calls share one `_entities` field (same operation, same
    // variables), the list's different operation rides along as an aliased field.
    expect(entityRequests()).toHaveLength(1);
    expect(entityRequests()[0]!.query).toMatch(/_e0:\s*_entities/);
  });

  it('shares the request, not the work: an entity two operations both need is sent for each', async () => {
    const { executor, entityRequests } = setUp();
    const answers = await Promise.all([run(executor, LIST, { ids: ['p1'] }), run(executor, LIST, { ids: ['p1', 'p2', 'p1'] })]);
    expect(answers.map((a) => a.data.products.map((p: { inStock: boolean }) => p.inStock))).toEqual([[true], [true, true, true]]);
    expect(entityRequests()).toHaveLength(1);
    // Deduplicated within an operation (its two p1), never across operations.
    expect((entityRequests()[0]!.variables.representations as { id: string }[]).map((r) => r.id)).toEqual(['p1', 'p1', 'p2']);
  });

  it('keeps operations whose variables differ apart where they would clash, and answers each with its own values', async () => {
    const { executor, entityRequests } = setUp();
    const answers = await Promise.all([run(executor, DETAIL, { id: 'p1', first: 1 }), run(executor, DETAIL, { id: 'p1', first: 3 })]);
    expect(answers.map((a) => a.data.product.reviews)).toEqual([['hot'], ['hot', 'fast', 'loud']]);
    // Same subgraph operation with different `$first`: they cannot share one document's variable.
    expect(entityRequests()).toHaveLength(2);
    expect(entityRequests().map((r) => r.variables.first).sort()).toEqual([1, 3]);
  });

  it('gives an error on one representation to the operation it belongs to, at its own path', async () => {
    const { executor, entityRequests } = setUp();
    const [good, bad] = await Promise.all([run(executor, LIST, { ids: ['p1'] }), run(executor, LIST, { ids: ['p2', 'bad'] })]);
    expect(entityRequests()).toHaveLength(1);
    expect(good).toEqual({ data: { products: [{ id: 'p1', inStock: true }] }, errors: [] });
    expect(bad.data).toEqual({ products: [{ id: 'p2', inStock: true }, { id: 'bad', inStock: null }] });
    expect(bad.errors).toEqual([{ message: 'stock unknown for bad', path: ['products', 1, 'inStock'] }]);
  });

  it('re-sends operation by operation when the batched request fails as a whole, so one cannot fail the others', async () => {
    const { executor, entityRequests } = setUp({ failWhole: (service, body) => service === 'stock' && body.includes('"bad"') });
    const [good, bad] = await Promise.all([run(executor, LIST, { ids: ['p1'] }), run(executor, LIST, { ids: ['bad'] })]);
    // The batch, then each operation's own request.
    expect(entityRequests()).toHaveLength(3);
    expect(good).toEqual({ data: { products: [{ id: 'p1', inStock: true }] }, errors: [] });
    expect(bad.data).toEqual({ products: [{ id: 'bad', inStock: null }] });
    expect(bad.errors.map((e) => e.message)).toEqual(['subgraph fell over']);
  });

  it('re-sends operation by operation when a subgraph refuses a batch with an HTTP error (a limit on its size, say)', async () => {
    const { executor, sent } = setUp({ refuse: (_service, body) => body.includes('_q1_') || (JSON.parse(body).variables.representations?.length ?? 0) > 1 });
    const answers = await Promise.all([run(executor, LIST, { ids: ['p1'] }), run(executor, LIST, { ids: ['p2'] })]);
    expect(answers).toEqual([
      { data: { products: [{ id: 'p1', inStock: true }] }, errors: [] },
      { data: { products: [{ id: 'p2', inStock: true }] }, errors: [] },
    ]);
    // Root: the refused batch, then one each; entities: the same.
    expect(sent.filter((s) => s.service === 'catalog')).toHaveLength(3);
    expect(sent.filter((s) => s.service === 'stock')).toHaveLength(3);
  });

  it('never batches operations of different callers', async () => {
    const { executor, entityRequests } = setUp();
    const query = '{ product(id: "p1") { viewer } }';
    const [ann, bob] = await Promise.all([
      run(executor, query, undefined, { identity: { sub: 'ann', scopes: [], kind: 'USER' } as never }),
      run(executor, query, undefined, { identity: { sub: 'bob', scopes: [], kind: 'USER' } as never }),
    ]);
    expect([ann.data.product.viewer, bob.data.product.viewer]).toEqual(['ann', 'bob']);
    expect(entityRequests()).toHaveLength(2);
  });

  it('never batches the entity calls of a mutation', async () => {
    const { executor, entityRequests } = setUp();
    const rename = 'mutation($id: ID!) { rename(id: $id, name: "New") { id inStock } }';
    const answers = await Promise.all([run(executor, rename, { id: 'p1' }), run(executor, rename, { id: 'p2' })]);
    expect(answers.map((a) => a.data.rename)).toEqual([
      { id: 'p1', inStock: true },
      { id: 'p2', inStock: true },
    ]);
    expect(entityRequests()).toHaveLength(2);
  });

  it('sends the root query fetches of operations started together as one request, each with its own variables, fields and errors', async () => {
    const { executor, sent } = setUp();
    const rootRequests = () => sent.filter((s) => s.service === 'catalog');
    const [a, b, c] = await Promise.all([
      run(executor, DETAIL, { id: 'p1', first: 1 }),
      run(executor, 'query($id: ID!) { first: product(id: $id) { name } }', { id: 'p2' }),
      run(executor, '{ product(id: "err") { name } }'),
    ]);
    expect(rootRequests()).toHaveLength(1);
    expect(rootRequests()[0]!.query).toMatch(/_q0_product: product\(id: \$id_q0\)/);
    expect(a).toEqual({ data: { product: { id: 'p1', name: 'Kettle', inStock: true, reviews: ['hot'] } }, errors: [] });
    expect(b).toEqual({ data: { first: { name: 'Teapot' } }, errors: [] });
    expect(c).toEqual({ data: { product: null }, errors: [{ message: 'catalog cannot read err', path: ['product'] }] });
  });

  it('SUBGRAPH_BATCHING off (batchSubgraphRequests: false): every operation sends its own', async () => {
    const { executor, sent, entityRequests } = setUp({ batch: false });
    await Promise.all([run(executor, LIST, { ids: ['p1'] }), run(executor, LIST, { ids: ['p2'] })]);
    expect(entityRequests()).toHaveLength(2);
    expect(sent.filter((s) => s.service === 'catalog')).toHaveLength(2);
  });
});
