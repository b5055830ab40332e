// Schema lint rules, in process, on a printed API schema.
import { describe, expect, it } from 'vitest';
import { LINT_RULES } from '../src/config.ts';
import { lintApiSchema } from '../src/lint.ts';

describe('lintApiSchema', () => {
  it('reports each rule at its schema coordinate', () => {
    const sdl = `
type Query { products(page_size: Int): [product!]! old: Int @deprecated stale: Int @deprecated(reason: "Use products.") }
type product { unit_price: Int status: Status }
enum Status { live GONE @deprecated }
input Filter { min_price: Int }
`;
    expect(lintApiSchema(sdl, LINT_RULES).map((f) => `${f.rule} ${f.coordinate}`)).toEqual([
      'input-object-values-are-camel-cased Query.products(page_size:)',
      'deprecations-have-a-reason Query.old',
      'types-are-capitalized product',
      'fields-are-camel-cased product.unit_price',
      'enum-values-all-caps Status.live',
      'deprecations-have-a-reason Status.GONE',
      'input-object-values-are-camel-cased Filter.min_price',
    ]);
  });

  it('runs only the configured rules', () => {
    expect(lintApiSchema('type Query { bad_name: Int @deprecated }', ['deprecations-have-a-reason'])).toEqual([
      { rule: 'deprecations-have-a-reason', coordinate: 'Query.bad_name', message: 'The field `Query.bad_name` is deprecated but has no deprecation reason.' },
    ]);
  });
});
