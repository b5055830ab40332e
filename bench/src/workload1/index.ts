import { readFileSync } from 'node:fs';
import { spawnReady, tsxArgs, type Spawned } from '../lib/processes.ts';
import { hashData } from '../lib/oracle.ts';
import { rootRequire } from '../lib/root.ts';
import type { PreparedWorkload } from '../lib/workload.ts';
import { IN_STOCK, PRODUCTS, REVIEWS, shippingEstimate, USER_REVIEW_IDS, USERS } from './data.ts';
import { WORKLOAD1_DIR, WORKLOAD1_SUBGRAPHS, workload1TypeDefs } from './subgraphs.ts';

const graphql = rootRequire('graphql') as typeof import('graphql');
const { composeServices } = rootRequire('@apollo/composition') as typeof import('@apollo/composition');

export const WORKLOAD1_QUERY = readFileSync(`${WORKLOAD1_DIR}query.graphql`, 'utf8');

/**
 * The expected answer, computed without any gateway: the query executed by graphql-js on one
 * monolithic schema (the supergraph's API schema) over the same data, with `shippingEstimate`
 * computed from the product's own price and weight.
 */
export function workload1ExpectedData(apiSdl: string): unknown {
  const schema = graphql.buildSchema(apiSdl);
  const productByUpc = new Map(PRODUCTS.map((p) => [p.upc, p]));
  const reviewById = new Map(REVIEWS.map((r) => [r.id, r]));
  const userById = new Map(USERS.map((u) => [u.id, u]));
  const resolve = (type: string, field: string, fn: (source: never, args: never) => unknown) => {
    (schema.getType(type) as import('graphql').GraphQLObjectType).getFields()[field]!.resolve = fn as never;
  };
  resolve('Query', 'users', () => USERS);
  resolve('Query', 'me', () => USERS[0]);
  resolve('Query', 'user', (_: never, { id }: { id: string }) => userById.get(id));
  resolve('Query', 'topProducts', (_: never, { first }: { first: number }) => PRODUCTS.slice(0, first));
  resolve('User', 'reviews', () => USER_REVIEW_IDS.map((id) => reviewById.get(id)));
  resolve('Review', 'product', (r: { productUpc: string }) => productByUpc.get(r.productUpc));
  resolve('Review', 'author', (r: { authorId: string }) => userById.get(r.authorId));
  resolve('Product', 'reviews', (p: { upc: string }) => REVIEWS.filter((r) => r.productUpc === p.upc));
  resolve('Product', 'inStock', (p: { upc: string }) => IN_STOCK.has(p.upc));
  resolve('Product', 'shippingEstimate', (p: { price: number | null; weight: number | null }) => shippingEstimate(p.price, p.weight));
  const result = graphql.executeSync({ schema, document: graphql.parse(WORKLOAD1_QUERY) });
  if (result.errors?.length) throw new Error(`oracle failed: ${result.errors.map((e) => e.message).join('; ')}`);
  return result.data;
}

/** Starts the four subgraphs (one process each) and composes their supergraph. */
export async function prepareWorkload1(): Promise<PreparedWorkload> {
  const processes: Spawned[] = [];
  try {
    for (const name of WORKLOAD1_SUBGRAPHS) {
      processes.push(await spawnReady(`subgraph ${name}`, process.execPath, tsxArgs('bench/src/workload1/subgraph-main.ts', [name]), { ready: /ready (\d+)/ }));
    }
  } catch (error) {
    for (const p of processes) await p.stop();
    throw error;
  }
  const composed = composeServices(
    WORKLOAD1_SUBGRAPHS.map((name, i) => ({ name, typeDefs: graphql.parse(workload1TypeDefs(name)), url: `http://127.0.0.1:${processes[i]!.match[1]}/graphql` })),
  );
  if (composed.errors) throw new Error(`composition failed: ${composed.errors.map((e) => e.message).join('; ')}`);
  const { Supergraph } = rootRequire('@apollo/federation-internals') as typeof import('@apollo/federation-internals');
  const apiSdl = graphql.printSchema(Supergraph.build(composed.supergraphSdl).apiSchema().toGraphQLJSSchema());
  return {
    id: 'workload1',
    title: 'Workload 1: the public gateways benchmark (4 subgraphs, one 8-level query, ~92 KB answer)',
    supergraphSdl: composed.supergraphSdl,
    variants: [{ label: 'TestQuery', body: JSON.stringify({ query: WORKLOAD1_QUERY, operationName: 'TestQuery' }), expectedHash: hashData(workload1ExpectedData(apiSdl)) }],
    oracle: 'graphql-js on one monolithic schema over the same data (no gateway)',
    stop: async () => {
      for (const p of processes) await p.stop();
    },
  };
}
