import { describe, expect, it } from 'vitest';
import { buildSchema, execute, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { createCostModel } from '../src/limits/cost.ts';
import { JsonWriter } from '../src/executor/json-writer.ts';
import { compileResponseShape, TypeOracle, writeResponseData } from '../src/executor/shape.ts';

// `@skip` / `@include` are read by demand control (cost) and by response shaping: both must leave
// out exactly the selections graphql-js leaves out, and shaping must fail where graphql-js does,
// with its error. Documents are executed without validation, as the readers must not depend on it.
const schema = buildSchema('type Query { item: Item } type Item { id: ID }');
const data = { item: { id: '1' } };

type Outcome = 'runs' | 'left out' | { error: string };

/** graphql-js's own answer: the reference. */
function graphqlJs(query: string, variables: Record<string, unknown>): Outcome {
  const result = execute({ schema, document: parse(query), rootValue: data, variableValues: variables }) as Awaited<ReturnType<typeof execute>>;
  if (result.errors?.length) return { error: result.errors[0]!.message };
  return result.data && 'item' in result.data ? 'runs' : 'left out';
}

function shaped(query: string, variables: Record<string, unknown>): Outcome {
  const compiled = compileResponseShape(schema, parse(query), undefined);
  if (!compiled.ok) throw new Error(compiled.reason);
  const writer = new JsonWriter();
  try {
    writeResponseData(writer, compiled.shape, new TypeOracle(schema), data, variables);
  } catch (error) {
    return { error: (error as Error).message };
  }
  return 'item' in (JSON.parse(writer.toString()) as object) ? 'runs' : 'left out';
}

/** Cost prices `item` at 1: 'runs' when it counts it. */
function priced(query: string, variables: Record<string, unknown>): Outcome {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return createCostModel(schema).compile(document, operation)(variables) === 1 ? 'runs' : 'left out';
}

const cases: [name: string, query: string, variables: Record<string, unknown>][] = [
  ['a variable default applies when the request omits it', 'query ($x: Boolean = false) { item @include(if: $x) { id } }', {}],
  ['a sent value wins over the default', 'query ($x: Boolean = false) { item @include(if: $x) { id } }', { x: true }],
  ['a variable sent as null over a non-null default', 'query ($x: Boolean = true) { item @skip(if: $x) { id } }', { x: null }],
  ['include sent as null over a default', 'query ($x: Boolean = true) { item @include(if: $x) { id } }', { x: null }],
  ['a nullable variable with no value and no default', 'query ($x: Boolean) { item @skip(if: $x) { id } }', {}],
  ['skip true is read first: include is not evaluated', 'query ($x: Boolean) { item @skip(if: true) @include(if: $x) { id } }', {}],
  ['skip is read first: its error wins over include false', 'query ($x: Boolean = true) { item @skip(if: $x) @include(if: false) { id } }', { x: null }],
  ['a non-boolean literal in include', '{ item @include(if: "yes") { id } }', {}],
  ['a non-boolean literal in skip', '{ item @skip(if: 1) { id } }', {}],
  ['a null literal', '{ item @include(if: null) { id } }', {}],
  ['a missing if argument', '{ item @skip { id } }', {}],
  ['a repeated directive: the first counts', '{ item @include(if: true) @include(if: false) { id } }', {}],
  ['an inline fragment', 'query ($x: Boolean = true) { ... @include(if: $x) { item { id } } }', { x: false }],
  ['a fragment spread sent null', 'query ($x: Boolean = true) { ...F @include(if: $x) } fragment F on Query { item { id } }', { x: null }],
];

describe('@skip / @include: one definition for cost and response shaping', () => {
  it.each(cases)('%s', (_name, query, variables) => {
    const reference = graphqlJs(query, variables);
    // Shaping answers as graphql-js: same selections, same error message.
    expect(shaped(query, variables)).toEqual(reference);
    // Cost prices what runs; a request graphql-js refuses is priced as if it ran (an upper bound).
    expect(priced(query, variables)).toBe(reference === 'left out' ? 'left out' : 'runs');
  });

  it('the reference cases cover inclusion, exclusion and each graphql-js error', () => {
    const outcomes = cases.map(([, query, variables]) => graphqlJs(query, variables));
    expect(outcomes.filter((o) => o === 'runs').length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o === 'left out').length).toBeGreaterThan(0);
    expect(new Set(outcomes.flatMap((o) => (typeof o === 'object' ? [o.error] : []))).size).toBeGreaterThanOrEqual(4);
  });
});
