// Operation usage, in process: which schema coordinates an operation touches.
import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { expandLoggedCoordinates, operationCoordinates } from '../src/usage.ts';

const schema = buildSchema(`
type Query { products(filter: ProductFilter, first: Int): [Product!]! search(term: String!): [SearchResult!]! }
type Product { id: ID! name: String! status: Status! }
type Category { id: ID! }
union SearchResult = Product | Category
enum Status { LIVE GONE }
input ProductFilter { status: Status range: Range }
input Range { min: Int max: Int }
`);

describe('operationCoordinates', () => {
  it('collects fields, arguments, types, literal input fields and enum values', () => {
    const used = operationCoordinates(schema, parse('{ products(first: 2, filter: { status: LIVE }) { id status } search(term: "x") { ... on Category { id } } }'));
    expect([...used].sort()).toEqual(
      [
        'Query.products', 'Query.products(first:)', 'Query.products(filter:)', 'Int', 'ProductFilter', 'ProductFilter.status', 'Status', 'Status.LIVE',
        'Product', 'Product.id', 'ID', 'Product.status', 'Query.search', 'Query.search(term:)', 'String', 'SearchResult', 'Category', 'Category.id',
      ].sort(),
    );
  });

  it('counts every field of an input type sent as a variable, recursively', () => {
    const used = operationCoordinates(schema, parse('query Q($f: ProductFilter) { products(filter: $f) { id } }'));
    expect(used).toEqual(expect.any(Set));
    for (const c of ['ProductFilter.status', 'ProductFilter.range', 'Range', 'Range.min', 'Range.max', 'Status']) expect(used.has(c), c).toBe(true);
  });
});

describe('expandLoggedCoordinates', () => {
  it('adds the types that logged fields and arguments return or take', () => {
    const used = expandLoggedCoordinates(schema, ['Query.products', 'Query.products(filter:)', 'Product.status']);
    for (const c of ['Product', 'ProductFilter', 'ProductFilter.range', 'Range.max', 'Status']) expect(used.has(c), c).toBe(true);
  });
});
