// The checks read subgraphs by the same contract as `npm run compose` (@store/core): same
// subgraphs, same SDL, for this repository and for the fixture store.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listSubgraphDirs, loadSubgraphSdl } from '@store/core';
import { describe, expect, it } from 'vitest';
import { readWorkingTree } from '../src/sources.ts';
import { fixturesDir, toolRoot } from './support.ts';

function viaCore(subgraphsRoot: string) {
  return listSubgraphDirs(subgraphsRoot).map(({ name, dir }) => ({ name, sdl: loadSubgraphSdl(dir).sdl }));
}

describe('readWorkingTree', () => {
  it('agrees with @store/core on this repository', () => {
    expect(readWorkingTree(toolRoot).subgraphs.map(({ name, sdl }) => ({ name, sdl }))).toEqual(viaCore(join(toolRoot, 'subgraphs')));
  });

  it('agrees with @store/core on multi-file, hidden and empty folders', () => {
    const repo = mkdtempSync(join(tmpdir(), 'store-sources-'));
    try {
      cpSync(join(fixturesDir, 'store'), join(repo, 'subgraphs'), { recursive: true });
      writeFileSync(join(repo, 'subgraphs', 'catalog', 'a-extra.graphql'), 'extend type Query { extra: Int }\n');
      cpSync(join(fixturesDir, 'store', 'reviews'), join(repo, 'subgraphs', '_draft'), { recursive: true });
      cpSync(join(fixturesDir, 'store', 'reviews'), join(repo, 'subgraphs', '.hidden'), { recursive: true });
      cpSync(join(fixturesDir, 'clients'), join(repo, 'subgraphs', 'no-sdl'), { recursive: true });
      const ours = readWorkingTree(repo).subgraphs;
      expect(ours.map(({ name, sdl }) => ({ name, sdl }))).toEqual(viaCore(join(repo, 'subgraphs')));
      expect(ours.find((s) => s.name === 'catalog')!.files).toEqual(['subgraphs/catalog/a-extra.graphql', 'subgraphs/catalog/schema.graphql']);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
