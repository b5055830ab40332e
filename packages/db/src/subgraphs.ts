import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { listSubgraphDirs } from '@store/core/contract';

export const repoRoot = resolve(import.meta.dirname, '../../..');
export const subgraphsRoot = join(repoRoot, 'subgraphs');

/** Subgraphs are discovered by folder (the subgraph contract of @store/core): `subgraphs/<name>/`. */
export function listSubgraphs(root = subgraphsRoot): string[] {
  return listSubgraphDirs(root).map((s) => s.name);
}

/** Subgraphs that own a Prisma database. */
export function listDatabaseSubgraphs(root = subgraphsRoot): string[] {
  return listSubgraphs(root).filter((name) => existsSync(join(root, name, 'prisma', 'schema.prisma')));
}

export function subgraphDir(name: string, root = subgraphsRoot): string {
  return join(root, name);
}

export function migrationsDirOf(name: string, root = subgraphsRoot): string {
  return join(root, name, 'prisma', 'migrations');
}

/** `catalog` → `CATALOG_DATABASE_URL`: how the launcher and tools name a subgraph's database. */
export function databaseUrlVariable(name: string): string {
  return `${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_DATABASE_URL`;
}

/** Database, role and development password conventions for a subgraph in a shared cluster. */
export function databaseSpecFor(name: string, prefix = '') {
  const id = `${prefix}${name.replace(/[^a-z0-9]/g, '_')}`;
  return { database: id, role: id, password: `${id}_dev_password` };
}
