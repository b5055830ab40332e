// @tag contracts, in process: the filtering rules of schema/src/contracts.ts.
import { printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildContractSchema, tagsByCoordinate } from '../src/contracts.ts';

// A supergraph only needs its @tag applications here; the API schema is what gets filtered.
const supergraph = `
schema @link(url: "https://specs.apollo.dev/tag/v0.3") { query: Query }
type Query { products: [Product!]! @tag(name: "public") secret: Secret @tag(name: "internal") me: User }
type Product @tag(name: "public") { id: ID! name: String! cost: Int @tag(name: "internal") page: PageInfo owner: User }
type User { id: ID! @tag(name: "public") email: String }
type PageInfo { hasNextPage: Boolean! }
type Secret { value: String }
enum Role { A B @tag(name: "internal") }
`;
const api = `
type Query { products(role: Role): [Product!]! secret: Secret me: User }
type Product { id: ID! name: String! cost: Int page: PageInfo owner: User }
type User { id: ID! email: String }
type PageInfo { hasNextPage: Boolean! }
type Secret { value: String }
enum Role { A B }
`;

describe('buildContractSchema', () => {
  it('reads @tag applications by schema coordinate', () => {
    const tags = tagsByCoordinate(supergraph);
    expect([...tags.get('Product')!]).toEqual(['public']);
    expect([...tags.get('Role.B')!]).toEqual(['internal']);
  });

  it('keeps included fields (or fields of included types), drops excluded ones and what they leave unreachable', () => {
    const result = buildContractSchema(supergraph, api, { include: ['public'], exclude: ['internal'] });
    if (!result.ok) throw new Error(result.message);
    expect(result.sdl).toBe(
      printSchema(
        buildContractSchemaExpected(`
type Query { products(role: Role): [Product!]! }
type Product { id: ID! name: String! owner: User }
type User { id: ID! }
enum Role { A }
`),
      ) + '\n',
    );
  });

  it('with exclude only, everything untagged stays', () => {
    const result = buildContractSchema(supergraph, api, { include: [], exclude: ['internal'] });
    if (!result.ok) throw new Error(result.message);
    expect(result.sdl).not.toMatch(/secret|cost|Secret/);
    expect(result.sdl).toMatch(/email: String/);
    expect(result.sdl).toMatch(/page: PageInfo/);
  });

  it('fails when nothing of Query is left', () => {
    expect(buildContractSchema(supergraph, api, { include: ['partner'], exclude: [] })).toEqual({ ok: false, message: 'the contract keeps no Query field' });
  });
});

function buildContractSchemaExpected(sdl: string) {
  const result = buildContractSchema('type Query { x: Int }', sdl, { include: [], exclude: [] });
  if (!result.ok) throw new Error(result.message);
  return result.schema;
}
