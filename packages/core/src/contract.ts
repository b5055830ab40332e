import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type DocumentNode, type GraphQLError } from 'graphql';

/**
 * Reads a subgraph's SDL: every `*.graphql` file directly in its folder (the subgraph contract),
 * in name order, parsed as one document. Parse errors name the file and line.
 */
export function loadSubgraphSdl(dir: string): { sdl: string; document: DocumentNode; files: string[] } {
  const files = sdlFileNames(readdirSync(dir));
  if (files.length === 0) throw new Error(`No .graphql files in ${dir}`);
  const parts: string[] = [];
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8');
    try {
      parse(text);
    } catch (error) {
      const at = (error as GraphQLError).locations?.[0];
      throw new Error(`${join(dir, file)}${at ? `:${at.line}:${at.column}` : ''}: ${(error as Error).message}`);
    }
    parts.push(text);
  }
  const sdl = parts.join('\n');
  return { sdl, document: parse(sdl), files: files.map((f) => join(dir, f)) };
}

/** A folder under `subgraphs/` can be a subgraph unless its name starts with `.` or `_`. */
export function isSubgraphName(name: string): boolean {
  return !name.startsWith('.') && !name.startsWith('_');
}

/** The SDL files of a subgraph folder's listing: its `.graphql` files, in name order. */
export function sdlFileNames(names: readonly string[]): string[] {
  return names.filter((f) => f.endsWith('.graphql')).sort();
}

/**
 * The subgraph contract: a subgraph is a folder `subgraphs/<name>/`; its name is the folder name
 * and its SDL is the `.graphql` files in that folder. Tools discover subgraphs this way only
 * (import it from `@store/core/contract`, which loads no HTTP stack).
 */
export function listSubgraphDirs(subgraphsRoot: string): { name: string; dir: string }[] {
  return readdirSync(subgraphsRoot, { withFileTypes: true })
    .filter((e) => e.isDirectory() && isSubgraphName(e.name))
    .map((e) => ({ name: e.name, dir: join(subgraphsRoot, e.name) }))
    .filter(({ dir }) => sdlFileNames(readdirSync(dir)).length > 0)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The port a subgraph listens on in development (`"subgraph": { "port": n }` in its
 * package.json). Subgraphs without one get a stable port derived from the name.
 */
export function subgraphDevPort(dir: string, name: string): number {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { subgraph?: { port?: number } };
    if (typeof pkg.subgraph?.port === 'number') return pkg.subgraph.port;
  } catch {
    // no package.json: a subgraph may be SDL only (e.g. a schema proposal)
  }
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return 4100 + (hash % 800);
}
