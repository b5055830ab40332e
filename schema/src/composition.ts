// Composition for the checks: the same `composeSupergraph` as `npm run compose`, memoised in
// process and on disk by a hash of the inputs, so an unchanged base or fixture composes once.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompositionProblem } from './problems.ts';
import type { SubgraphSdl } from './sources.ts';

export type Composition =
  | { ok: true; supergraphSdl: string; apiSchemaSdl: string; hints: CompositionProblem[] }
  | { ok: false; errors: CompositionProblem[] };

// Bump when the cached shape or the composition code changes meaning.
const CACHE_FORMAT = 'schema-check-2;@apollo/composition@2.14.4';
const memory = new Map<string, Composition>();

export function compositionKey(subgraphs: SubgraphSdl[]): string {
  const hash = createHash('sha256').update(CACHE_FORMAT);
  for (const s of [...subgraphs].sort((a, b) => a.name.localeCompare(b.name))) hash.update(`\0${s.name}\0${s.sdl}`);
  return hash.digest('hex');
}

export async function composeForCheck(subgraphs: SubgraphSdl[], cacheDir: string | undefined): Promise<Composition> {
  const key = compositionKey(subgraphs);
  const known = memory.get(key);
  if (known) return known;
  const file = cacheDir ? join(cacheDir, `${key}.json`) : undefined;
  if (file) {
    try {
      const cached = JSON.parse(readFileSync(file, 'utf8')) as Composition;
      memory.set(key, cached);
      return cached;
    } catch {
      // not cached yet (or unreadable): compose
    }
  }
  // Loaded on demand: a fully cached run never pays for loading the composition library.
  const { composeSupergraph } = await import('./supergraph.ts');
  const result = composeSupergraph(subgraphs.map((s) => ({ name: s.name, url: `http://${s.name}.subgraph.invalid/graphql`, sdl: s.sdl, files: s.files, lines: s.lines })));
  const composition: Composition = result.ok
    ? { ok: true, supergraphSdl: result.supergraphSdl, apiSchemaSdl: result.apiSchemaSdl, hints: result.hints }
    : { ok: false, errors: result.errors };
  memory.set(key, composition);
  if (file && cacheDir) {
    try {
      mkdirSync(cacheDir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(composition));
      renameSync(tmp, file);
    } catch {
      // a read-only checkout still checks, only without the cache
    }
  }
  return composition;
}
