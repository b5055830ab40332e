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

  it('prices a selection that @skip or @include leaves out at nothing', () => {
    // featured: 3 × (1 + reviews 4 × 1) = 15; report: 50.
    expect(costOf('{ featured { id reviews { id } } }')).toBe(15);
    expect(costOf('{ featured { id reviews @skip(if: true) { id } } }')).toBe(3);
    expect(costOf('{ featured { id reviews @skip(if: false) { id } } }')).toBe(15);
    expect(costOf('{ featured { id reviews @include(if: false) { id } } report @include(if: false) }')).toBe(3);
    expect(costOf('{ featured @skip(if: true) { id reviews { id } } report }')).toBe(50);
    // Both directives: the selection runs only when skip is false and include is true.
    expect(costOf('{ report @skip(if: false) @include(if: false) }')).toBe(0);
    expect(costOf('{ report @skip(if: true) @include(if: true) }')).toBe(0);
    expect(costOf('{ report @skip(if: false) @include(if: true) }')).toBe(50);
  });

  it('reads @skip / @include conditions from the variables, per request, with their defaults', () => {
    const query = 'query ($more: Boolean!, $less: Boolean = true) { featured { id reviews @include(if: $more) { id } } report @skip(if: $less) }';
    expect(costOf(query, { more: false })).toBe(3);
    expect(costOf(query, { more: true })).toBe(15);
    expect(costOf(query, { more: true, less: false })).toBe(65);
    expect(costOf(query, { more: false, less: false })).toBe(53);
    // With a slicing variable inside the condition: each is read per request.
    const sliced = 'query ($n: Int = 4, $all: Boolean = false) { top(limit: $n) @include(if: $all) { id price { amount } } }';
    expect(costOf(sliced, {})).toBe(0);
    expect(costOf(sliced, { all: true })).toBe(16);
    expect(costOf(sliced, { all: true, n: 25 })).toBe(100);
    expect(costOf(sliced, { all: false, n: 25 })).toBe(0);
  });

  it('leaves out fragments, inline or spread, that @skip or @include leave out', () => {
    const named = 'query ($p: Boolean!) { featured { ...P @include(if: $p) } } fragment P on Product { price { amount } }';
    // featured 3 × (1 + Money 3) with the fragment, 3 × 1 without.
    expect(costOf(named, { p: true })).toBe(12);
    expect(costOf(named, { p: false })).toBe(3);
    expect(costOf('{ featured { ... @skip(if: true) { price { amount } } } }')).toBe(3);
    expect(costOf('{ search(term: "x") { ... on Product @include(if: false) { price { amount } } ... on Review { id } } }')).toBe(2 * 1);
    // A mutation's base cost stays when all its fields are skipped.
    expect(costOf('mutation ($no: Boolean = true) { buy(id: "p1") @skip(if: $no) { id } }')).toBe(10);
  });

  it('prices fragments, inline or named, as their selections', () => {
    expect(costOf('{ search(term: "x") { ... on Product { id price { amount } } ... on Review { id } } }')).toBe(2 * (1 + 3));
    expect(costOf('query { featured { ...P } } fragment P on Product { price { amount } }')).toBe(3 * (1 + 3));
  });
});
