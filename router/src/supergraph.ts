import { readFile } from 'node:fs/promises';
import { Supergraph } from '@apollo/federation-internals';

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
    const supergraph = Supergraph.build(sdl, { validateSupergraph: true });
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
  return `SUBGRAPH_${subgraphName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_URL`;
}

/**
 * Applies `SUBGRAPH_<NAME>_URL` overrides (by variable name) to the supergraph's subgraph URLs.
 * A variable that names no subgraph is refused: it is almost always a typo that would otherwise
 * silently send traffic to the composed URL.
 */
export function resolveSubgraphUrls(subgraphs: readonly SubgraphEndpoint[], overrides: Readonly<Record<string, string>>): SubgraphUrlsResult {
  const byVariable = new Map<string, string>();
  for (const { name } of subgraphs) {
    const variable = subgraphUrlVariable(name);
    const other = byVariable.get(variable);
    if (other !== undefined && variable in overrides) {
      return { ok: false, message: `${variable} is ambiguous: it names both subgraph "${other}" and subgraph "${name}"` };
    }
    byVariable.set(variable, name);
  }
  const unknown = Object.keys(overrides).filter((variable) => !byVariable.has(variable));
  if (unknown.length > 0) {
    const known = [...byVariable.keys()].join(', ') || '(the supergraph has no subgraphs)';
    return {
      ok: false,
      message: `${unknown.join(', ')} ${unknown.length === 1 ? 'names no subgraph' : 'name no subgraph'} in the supergraph; the variables it accepts are: ${known}`,
    };
  }
  const urls = new Map<string, string>();
  for (const { name, url } of subgraphs) urls.set(name, overrides[subgraphUrlVariable(name)] ?? url);
  return { ok: true, urls };
}
