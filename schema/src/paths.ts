// Where things live, relative to a repository root (`--repo`, default: this repository).
import { join } from 'node:path';

/** This repository (the one whose tools run), which also holds the composition cache. */
export const toolRoot = join(import.meta.dirname, '..', '..');

export function repoPaths(repo: string) {
  return {
    subgraphs: join(repo, 'subgraphs'),
    clients: join(repo, 'clients'),
    schemaDir: join(repo, 'schema'),
    config: join(repo, 'schema', 'checks.yaml'),
    approvals: join(repo, 'schema', 'approvals.yaml'),
    history: join(repo, 'schema', 'history'),
    changelog: join(repo, 'schema', 'CHANGELOG.md'),
  };
}

export const defaultCacheDir = join(toolRoot, 'node_modules', '.cache', 'store-schema-check');
