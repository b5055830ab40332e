import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '@store/testkit';
import { startInProcessSupergraph, type InProcessSupergraph } from './support/in-process.ts';

// `_entities` with N representations must cost one SQL query per entity type, not one per
// entity. Counted for real: every SQL statement each subgraph's Prisma client sends.
let graph: InProcessSupergraph;
beforeAll(async () => {
  graph = await startInProcessSupergraph();
}, 180_000);
afterAll(async () => {
  await graph?.stop();
});

const QUERY = `query($first: Int) {
  products(first: $first) {
    edges { node { name inStock shippingEstimate { amount } reviews(first: 5) { edges { node { rating author { name } } } } } }
  }
}`;

async function countFor(first: number) {
  graph.resetCounts();
  const res = await graphql(graph.routerUrl, QUERY, { first });
  expect(res.errors).toBeUndefined();
  expect(res.data!.products.edges).toHaveLength(first);
  const perSubgraph = Object.fromEntries([...graph.sql].map(([name, statements]) => [name, statements.length]));
  const total = Object.values(perSubgraph).reduce((a, b) => a + b, 0);
  return { perSubgraph, total, res };
}

describe('no N+1 through the router', () => {
  it('answers 50 products with their stock, shipping and 5 reviews each (with authors) in a small constant number of SQL statements', async () => {
    const fifty = await countFor(50);
    const authors = fifty.res.data!.products.edges.flatMap((e: any) => e.node.reviews.edges.map((r: any) => r.node.author.name));
    expect(authors.length).toBeGreaterThan(50);
    expect(fifty.res.data!.products.edges.every((e: any) => typeof e.node.inStock === 'boolean')).toBe(true);
    // One product page, one stock query, one review page query, one author query.
    expect(fifty.perSubgraph).toMatchObject({ catalog: 1, inventory: 1, reviews: 1, accounts: 1 });
    expect(fifty.total).toBeLessThanOrEqual(6);
    const five = await countFor(5);
    expect(five.total).toBe(fifty.total);
  });
});
