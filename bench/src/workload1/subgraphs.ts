import { readFileSync } from 'node:fs';
import type { GraphQLSchema } from 'graphql';
import { BENCH_DIR, rootRequire } from '../lib/root.ts';
import { IN_STOCK, PRODUCTS, REVIEWS, shippingEstimate, USER_REVIEW_IDS, USERS, type Product, type Review } from './data.ts';

const { parse } = rootRequire('graphql') as typeof import('graphql');
const { buildSubgraphSchema } = rootRequire('@apollo/subgraph') as typeof import('@apollo/subgraph');

export const WORKLOAD1_DIR = `${BENCH_DIR}workloads/gateways-benchmark/`;
export const WORKLOAD1_SUBGRAPHS = ['accounts', 'inventory', 'products', 'reviews'] as const;
export type Workload1Subgraph = (typeof WORKLOAD1_SUBGRAPHS)[number];

export function workload1TypeDefs(name: Workload1Subgraph): string {
  return readFileSync(`${WORKLOAD1_DIR}${name}.graphql`, 'utf8');
}

const userById = new Map(USERS.map((u) => [u.id, u]));
const productByUpc = new Map(PRODUCTS.map((p) => [p.upc, p]));
const reviewById = new Map(REVIEWS.map((r) => [r.id, r]));

// Each subgraph sees only its own slice of the data, as a real service would.
const RESOLVERS: Record<Workload1Subgraph, object> = {
  accounts: {
    Query: {
      me: () => USERS[0],
      user: (_: unknown, { id }: { id: string }) => userById.get(id) ?? null,
      users: () => USERS,
    },
    User: { __resolveReference: (ref: { id: string }) => userById.get(ref.id) ?? null },
  },
  inventory: {
    Product: {
      // `price` and `weight` come from the router (`@requires`), never from this subgraph's data.
      __resolveReference: (ref: { upc: string; price?: number | null; weight?: number | null }) => ({
        upc: ref.upc,
        inStock: IN_STOCK.has(ref.upc),
        price: ref.price,
        weight: ref.weight,
      }),
      shippingEstimate: (product: { price?: number | null; weight?: number | null }) => shippingEstimate(product.price, product.weight),
    },
  },
  products: {
    Query: { topProducts: (_: unknown, { first }: { first: number }) => PRODUCTS.slice(0, Math.max(0, first)) },
    Product: { __resolveReference: (ref: { upc: string }) => productByUpc.get(ref.upc) ?? null },
  },
  reviews: {
    Review: {
      __resolveReference: (ref: { id: string }) => reviewById.get(ref.id) ?? null,
      product: (review: Review) => ({ upc: review.productUpc }),
      author: (review: Review) => ({ id: review.authorId, username: userById.get(review.authorId)?.username ?? null }),
    },
    User: {
      __resolveReference: (ref: { id: string }) => ({ id: ref.id, username: userById.get(ref.id)?.username ?? null }),
      reviews: () => USER_REVIEW_IDS.map((id) => reviewById.get(id)),
    },
    Product: {
      __resolveReference: (ref: { upc: string }) => ({ upc: ref.upc }),
      reviews: (product: Pick<Product, 'upc'>) => REVIEWS.filter((r) => r.productUpc === product.upc),
    },
  },
};

export function buildWorkload1Schema(name: Workload1Subgraph): GraphQLSchema {
  return buildSubgraphSchema({ typeDefs: parse(workload1TypeDefs(name)), resolvers: RESOLVERS[name] as never });
}
