import { describe, expect, it } from 'vitest';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { Supergraph } from '@apollo/federation-internals';
import { createCostModel } from '../src/limits/cost.ts';
import { composeSupergraph } from './support/test-graph.ts';

// A small supergraph with the cost spec's directives, composed as the store's subgraphs are.
const shop = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@cost", "@listSize"])
  type Query {
    products(first: Int = 5, last: Int): ProductConnection! @listSize(slicingArguments: ["first", "last"], sizedFields: ["edges"], requireOneSlicingArgument: false)
    top(limit: Int): [Product!]! @listSize(slicingArguments: ["limit"], requireOneSlicingArgument: false)
    featured: [Product!]! @listSize(assumedSize: 3)
    tags: [String!]!
    everything: [Product!]!
    report(detail: Boolean @cost(weight: 7)): Int @cost(weight: 50)
    search(term: String!): [Result!]! @listSize(assumedSize: 2)
  }
  type Mutation {
    buy(id: ID!): Product
  }
  type ProductConnection { edges: [Edge!]! total: Int }
  type Edge { node: Product! cursor: String! }
  type Product @key(fields: "id") { id: ID! name: String price: Money reviews: [Review!]! @listSize(assumedSize: 4) }
  type Money @cost(weight: 3) { amount: Int! }
  type Review { id: ID! }
  union Result = Product | Review
`);
const supergraphSdl = composeSupergraph([{ name: 'shop', typeDefs: shop, url: 'http://127.0.0.1:1/graphql' }]);
const model = createCostModel(Supergraph.build(supergraphSdl).schema.toGraphQLJSSchema());

function costOf(query: string, variables?: Record<string, unknown>): number {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return model.compile(document, operation)(variables);
}

describe('static cost (demand control)', () => {
  it('prices objects 1 and scalars 0', () => {
    expect(costOf('{ tags }')).toBe(0);
    expect(costOf('{ report }')).toBe(50);
    expect(costOf('{ __typename }')).toBe(0);
  });

  it('multiplies a list by assumedSize, else the default list size (10)', () => {
    expect(costOf('{ featured { id } }')).toBe(3);
    expect(costOf('{ everything { id } }')).toBe(10);
    // 3 products × (1 + 4 reviews × 1)
    expect(costOf('{ featured { id reviews { id } } }')).toBe(15);
  });

  it('applies a slicing argument to the sized fields of a connection', () => {
    // connection 1 + edges: first × (edge 1 + node 1)
    expect(costOf('{ products(first: 7) { edges { node { id } } } }')).toBe(1 + 7 * 2);
    // Without the argument: its schema default (first = 5).
    expect(costOf('{ products { edges { node { id } } total } }')).toBe(1 + 5 * 2);
    // Several slicing arguments: the largest.
    expect(costOf('{ products(first: 2, last: 9) { edges { cursor } } }')).toBe(1 + 9);
  });

  it('reads a slicing argument from the variables, per request', () => {
    const query = 'query Top($n: Int = 4) { top(limit: $n) { id price { amount } } }';
    // n × (product 1 + Money @cost 3)
    expect(costOf(query, { n: 1 })).toBe(4);
    expect(costOf(query, { n: 25 })).toBe(100);
    expect(costOf(query, {})).toBe(16);
    // A slicing argument with no value falls back to the default list size.
    expect(costOf('query ($n: Int) { top(limit: $n) { id } }', {})).toBe(10);
    expect(costOf('query ($n: Int) { products(first: $n) { edges { cursor } } }', { n: 30 })).toBe(31);
  });

  it('adds argument weights and a mutation base of 10', () => {
    expect(costOf('{ report(detail: true) }')).toBe(57);
    expect(costOf('mutation { buy(id: "p1") { id } }')).toBe(11);
  });

  it('prices fragments, inline or named, as their selections', () => {
    expect(costOf('{ search(term: "x") { ... on Product { id price { amount } } ... on Review { id } } }')).toBe(2 * (1 + 3));
    expect(costOf('query { featured { ...P } } fragment P on Product { price { amount } }')).toBe(3 * (1 + 3));
  });
});
