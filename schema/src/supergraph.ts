// Composition itself: subgraph SDL in, supergraph and API schema (or located problems) out.
// Kept apart from compose.ts, which also reads the subgraph folders through @store/core, so that
// the schema checks can compose without loading that package.
import { composeServices } from '@apollo/composition';
import { parse, printSchema, type GraphQLError } from 'graphql';
import type { CompositionProblem } from './problems.ts';

export interface SubgraphSource {
  name: string;
  url: string;
  sdl: string;
  files: string[];
}

export type ComposeResult =
  | { ok: true; supergraphSdl: string; apiSchemaSdl: string; hints: CompositionProblem[]; subgraphs: SubgraphSource[] }
  | { ok: false; errors: CompositionProblem[]; subgraphs: SubgraphSource[] };

const COORDINATE = /"([A-Z_a-z][\w]*\.[A-Z_a-z][\w]*)"|\b([A-Z][\w]*\.[a-z_][\w]*)\b/g;

function describe(
  error: GraphQLError | { message: string; extensions?: Record<string, unknown>; nodes?: readonly unknown[] },
  defaultCode: string,
  knownSubgraphs: ReadonlySet<string>,
): CompositionProblem {
  const code = String((error as GraphQLError).extensions?.code ?? defaultCode);
  const subgraphs = new Set<string>();
  // Composition errors and hints point at subgraph AST nodes, which carry their subgraph's name.
  for (const node of ((error as GraphQLError).nodes ?? []) as unknown as readonly { subgraph?: string; loc?: { source?: { name?: string } } }[]) {
    const name = node.subgraph ?? node.loc?.source?.name;
    if (name && name !== 'GraphQL request') subgraphs.add(name);
  }
  // Messages name subgraphs in quotes or brackets: keep the names that are real subgraphs.
  for (const match of error.message.matchAll(/["[]([\w-]+)["\]]/g)) if (knownSubgraphs.has(match[1]!)) subgraphs.add(match[1]!);
  const coordinates = new Set<string>();
  for (const match of error.message.matchAll(COORDINATE)) coordinates.add((match[1] ?? match[2])!);
  return { code, message: error.message, subgraphs: [...subgraphs].sort(), coordinates: [...coordinates].sort() };
}

/** Composes subgraphs with `@apollo/composition`. Failure is a value, not an exception. */
export function composeSupergraph(subgraphs: SubgraphSource[]): ComposeResult {
  const known = new Set(subgraphs.map((s) => s.name));
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })));
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
