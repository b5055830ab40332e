import { readFile } from 'node:fs/promises';
import { DEFAULT_SUPPORTED_SUPERGRAPH_FEATURES, Supergraph } from '@apollo/federation-internals';
import { Kind, parse, print, visit, type ConstDirectiveNode, type DocumentNode } from 'graphql';

/**
 * The linked features this router implements: the gateway's, plus the authorization specs it
 * enforces (src/authorization/) and contexts (`@context`/`@fromContext`, whose values the
 * executor passes: executor/context.ts). Composition links those `for: SECURITY`, which means
 * "refuse the supergraph unless you enforce this": stock @apollo/gateway refuses them, this router
 * accepts them; any other `for: SECURITY` or `for: EXECUTION` feature is still refused.
 */
export const SUPPORTED_SUPERGRAPH_FEATURES: ReadonlySet<string> = new Set([
  ...DEFAULT_SUPPORTED_SUPERGRAPH_FEATURES,
  'https://specs.apollo.dev/authenticated/v0.1',
  'https://specs.apollo.dev/requiresScopes/v0.1',
  'https://specs.apollo.dev/policy/v0.1',
  'https://specs.apollo.dev/context/v0.1',
]);

/** `Supergraph.build` with the features this router supports (every place that loads the supergraph). */
export function buildSupergraph(sdl: string, options: { validateSupergraph?: boolean } = {}): Supergraph {
  return Supergraph.build(resolvableKeysFirst(sdl), { supportedFeatures: SUPPORTED_SUPERGRAPH_FEATURES as Set<string>, ...options });
}

/**
 * The supergraph with each type's `@join__type` keys reordered so that a subgraph's resolvable keys
 * come before its `resolvable: false` ones. The query planner (2.14) takes the first key of the
 * type in a subgraph for the representation of a @requires fetch back to that subgraph, without
 * looking at `resolvable`: a non-resolvable key listed first made it send representations the
 * subgraph cannot resolve. Key order has no other meaning, and supergraphs without such a key
 * before a resolvable one are returned as they are.
 */
export function resolvableKeysFirst(sdl: string): string {
  if (!sdl.includes('resolvable: false')) return sdl;
  let document: DocumentNode;
  try {
    document = parse(sdl);
  } catch {
    return sdl; // Supergraph.build reports the syntax error.
  }
  const isJoinType = (d: ConstDirectiveNode) => d.name.value === 'join__type';
  const notResolvable = (d: ConstDirectiveNode) => d.arguments?.some((a) => a.name.value === 'resolvable' && a.value.kind === Kind.BOOLEAN && !a.value.value) ?? false;
  let changed = false;
  const reordered = visit(document, {
    enter(node) {
      // Only type definitions and extensions carry @join__type.
      if (!('directives' in node) || !node.directives) return undefined;
      const directives = node.directives as readonly ConstDirectiveNode[];
      const joins = directives.filter(isJoinType);
      // Stable: resolvable keys keep their order, the others follow in theirs.
      const sorted = [...joins.filter((d) => !notResolvable(d)), ...joins.filter(notResolvable)];
      if (sorted.every((d, i) => d === joins[i])) return undefined;
      changed = true;
      let next = 0;
      return { ...node, directives: directives.map((d) => (isJoinType(d) ? sorted[next++]! : d)) };
    },
  });
  return changed ? print(reordered) : sdl;
}

export interface SubgraphEndpoint {
  name: string;
  url: string;
}

export type SupergraphFileResult = { ok: true; sdl: string } | { ok: false; message: string };
export type SupergraphParseResult = { ok: true; subgraphs: readonly SubgraphEndpoint[] } | { ok: false; message: string };
export type SubgraphUrlsResult = { ok: true; urls: ReadonlyMap<string, string> } | { ok: false; message: string };

const FILE_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a parent of it is not a directory',
};

/** Reads a supergraph SDL file; a failure says why in a sentence, never with a stack. */
export async function readSupergraphFile(path: string): Promise<SupergraphFileResult> {
  let sdl: string;
  try {
    sdl = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    return { ok: false, message: FILE_ERRORS[code] ?? (error as Error).message };
  }
  if (sdl.trim() === '') return { ok: false, message: 'the file is empty' };
  return { ok: true, sdl };
}

/** Validates a supergraph SDL and lists its subgraphs with their composed URLs. */
export function parseSupergraph(sdl: string): SupergraphParseResult {
  try {
    const supergraph = buildSupergraph(sdl, { validateSupergraph: true });
    return { ok: true, subgraphs: supergraph.subgraphsMetadata().map(({ name, url }) => ({ name, url })) };
  } catch (error) {
    return { ok: false, message: `not a valid supergraph: ${firstLines((error as Error).message, 5)}` };
  }
}

function firstLines(text: string, count: number): string {
  const lines = text.split('\n');
  return lines.length <= count ? text : [...lines.slice(0, count), `... (${lines.length - count} more lines)`].join('\n');
}

/** `catalog` → `SUBGRAPH_CATALOG_URL`; `user-accounts` → `SUBGRAPH_USER_ACCOUNTS_URL`. */
export function subgraphUrlVariable(subgraphName: string): string {
  return `SUBGRAPH_${subgraphVariablePart(subgraphName)}_URL`;
}

/** `catalog` → `SUBGRAPH_CATALOG_SIGNING_SECRET`. */
export function subgraphSigningSecretVariable(subgraphName: string): string {
  return `SUBGRAPH_${subgraphVariablePart(subgraphName)}_SIGNING_SECRET`;
}

function subgraphVariablePart(subgraphName: string): string {
  return subgraphName.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

type BySubgraphResult = { ok: true; values: Map<string, string> } | { ok: false; message: string };

/**
 * Matches per-subgraph variables (by variable name) to the supergraph's subgraphs. A variable that
 * names no subgraph is refused: it is almost always a typo that would otherwise be silently ignored.
 */
function bySubgraph(subgraphs: readonly SubgraphEndpoint[], variables: Readonly<Record<string, string>>, variableOf: (name: string) => string): BySubgraphResult {
  const byVariable = new Map<string, string>();
  for (const { name } of subgraphs) {
    const variable = variableOf(name);
    const other = byVariable.get(variable);
    if (other !== undefined && variable in variables) {
      return { ok: false, message: `${variable} is ambiguous: it names both subgraph "${other}" and subgraph "${name}"` };
    }
    byVariable.set(variable, name);
  }
  const unknown = Object.keys(variables).filter((variable) => !byVariable.has(variable));
  if (unknown.length > 0) {
    const known = [...byVariable.keys()].join(', ') || '(the supergraph has no subgraphs)';
    return {
      ok: false,
      message: `${unknown.join(', ')} ${unknown.length === 1 ? 'names no subgraph' : 'name no subgraph'} in the supergraph; the variables it accepts are: ${known}`,
    };
  }
  const values = new Map<string, string>();
  for (const { name } of subgraphs) {
    const value = variables[variableOf(name)];
    if (value !== undefined) values.set(name, value);
  }
  return { ok: true, values };
}

/**
 * Applies `SUBGRAPH_<NAME>_URL` overrides (by variable name) to the supergraph's subgraph URLs.
 * A variable that names no subgraph is refused: it is almost always a typo that would otherwise
 * silently send traffic to the composed URL.
 */
export function resolveSubgraphUrls(subgraphs: readonly SubgraphEndpoint[], overrides: Readonly<Record<string, string>>): SubgraphUrlsResult {
  const matched = bySubgraph(subgraphs, overrides, subgraphUrlVariable);
  if (!matched.ok) return matched;
  const urls = new Map<string, string>();
  for (const { name, url } of subgraphs) urls.set(name, matched.values.get(name) ?? url);
  return { ok: true, urls };
}

export type SubgraphSigningSecretsResult = { ok: true; secrets: ReadonlyMap<string, string> } | { ok: false; message: string };

/**
 * `SUBGRAPH_<NAME>_SIGNING_SECRET` (by variable name) → subgraph name → secret. A variable that
 * names no subgraph is refused: a typo would otherwise leave that subgraph's requests unsigned.
 */
export function resolveSubgraphSigningSecrets(subgraphs: readonly SubgraphEndpoint[], secrets: Readonly<Record<string, string>>): SubgraphSigningSecretsResult {
  const matched = bySubgraph(subgraphs, secrets, subgraphSigningSecretVariable);
  return matched.ok ? { ok: true, secrets: matched.values } : matched;
}
