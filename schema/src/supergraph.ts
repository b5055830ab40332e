// Composition itself: subgraph SDL in, supergraph and API schema (or located problems) out.
// Kept apart from compose.ts, which also reads the subgraph folders through @store/core, so that
// the schema checks can compose without loading that package.
import { composeServices } from '@apollo/composition';
import { getLocation, parse, printSchema, Source, type GraphQLError } from 'graphql';
import type { CompositionProblem } from './problems.ts';

export interface SubgraphSource {
  name: string;
  url: string;
  sdl: string;
  files: string[];
  /** Lines each file takes in `sdl` (files joined by a newline); needed to locate problems in multi-file subgraphs. */
  lines?: number[];
}

export type ComposeResult =
  | { ok: true; supergraphSdl: string; apiSchemaSdl: string; hints: CompositionProblem[]; subgraphs: SubgraphSource[] }
  | { ok: false; errors: CompositionProblem[]; subgraphs: SubgraphSource[] };

const COORDINATE = /"([A-Z_a-z][\w]*\.[A-Z_a-z][\w]*)"|\b([A-Z][\w]*\.[a-z_][\w]*)\b/g;

/** `file:line:column` of a line and column of a subgraph's joined SDL. */
function locate(subgraph: SubgraphSource, line: number, column: number): string | undefined {
  if (subgraph.files.length === 1) return `${subgraph.files[0]}:${line}:${column}`;
  let first = 1;
  for (const [i, count] of (subgraph.lines ?? []).entries()) {
    if (line < first + count) return `${subgraph.files[i]}:${line - first + 1}:${column}`;
    first += count;
  }
  return undefined;
}

function describe(
  error: GraphQLError | { message: string; extensions?: Record<string, unknown>; nodes?: readonly unknown[] },
  defaultCode: string,
  known: ReadonlyMap<string, SubgraphSource>,
): CompositionProblem {
  const code = String((error as GraphQLError).extensions?.code ?? defaultCode);
  const subgraphs = new Set<string>();
  const locations = new Set<string>();
  // Composition errors and hints point at subgraph AST nodes, which carry their subgraph's name
  // and (each subgraph is parsed as a Source named after it) their position in its SDL.
  for (const node of ((error as GraphQLError).nodes ?? []) as unknown as readonly { subgraph?: string; loc?: { start: number; source?: Source } }[]) {
    const name = node.subgraph ?? node.loc?.source?.name;
    if (name && name !== 'GraphQL request') subgraphs.add(name);
    const subgraph = name ? known.get(name) : undefined;
    const source = node.loc?.source;
    if (subgraph && node.loc && source && source.name === name) {
      const { line, column } = getLocation(source, node.loc.start);
      const at = locate(subgraph, line, column);
      if (at) locations.add(at);
    }
  }
  // Messages name subgraphs in quotes or brackets: keep the names that are real subgraphs.
  for (const match of error.message.matchAll(/["[]([\w-]+)["\]]/g)) if (known.has(match[1]!)) subgraphs.add(match[1]!);
  const coordinates = new Set<string>();
  for (const match of error.message.matchAll(COORDINATE)) coordinates.add((match[1] ?? match[2])!);
  const problem: CompositionProblem = { code, message: error.message, subgraphs: [...subgraphs].sort(), coordinates: [...coordinates].sort() };
  if (locations.size) problem.locations = [...locations].slice(0, 5);
  return problem;
}

/** Composes subgraphs with `@apollo/composition`. Failure is a value, not an exception. */
export function composeSupergraph(subgraphs: SubgraphSource[]): ComposeResult {
  const known = new Map(subgraphs.map((s) => [s.name, s] as const));
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(new Source(s.sdl, s.name)) })));
  if (result.errors) return { ok: false, errors: result.errors.map((e) => describe(e, 'COMPOSITION_ERROR', known)), subgraphs };
  const apiSchema = result.schema.toAPISchema().toGraphQLJSSchema();
  return {
    ok: true,
    supergraphSdl: result.supergraphSdl.endsWith('\n') ? result.supergraphSdl : result.supergraphSdl + '\n',
    apiSchemaSdl: printSchema(apiSchema) + '\n',
    hints: result.hints.map((h) => describe({ message: h.message, extensions: { code: h.definition.code }, nodes: h.nodes ?? [] }, h.definition.code, known)),
    subgraphs,
  };
}
