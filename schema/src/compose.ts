import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listSubgraphDirs, loadSubgraphSdl, subgraphDevPort } from '@store/core';
import type { SubgraphSource } from './supergraph.ts';

export { composeSupergraph, type ComposeResult, type SubgraphSource } from './supergraph.ts';
export { formatProblem, type CompositionProblem } from './problems.ts';

/** Reads every subgraph's SDL by folder (the subgraph contract). Throws on unparseable SDL. */
export function readSubgraphs(subgraphsRoot: string): SubgraphSource[] {
  return listSubgraphDirs(subgraphsRoot).map(({ name, dir }) => {
    const { sdl, files } = loadSubgraphSdl(dir);
    const lines = files.map((file) => readFileSync(file, 'utf8').split('\n').length);
    return { name, url: `http://127.0.0.1:${subgraphDevPort(dir, name)}/graphql`, sdl, files, lines };
  });
}

export const SUPERGRAPH_FILE = 'supergraph.graphql';
export const API_SCHEMA_FILE = 'api.graphql';
export const schemaDir = join(import.meta.dirname, '..');
export const repoRoot = join(schemaDir, '..');
