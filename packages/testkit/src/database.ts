import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { applyMigrations, databaseSpecFor, dropDatabase, migrationsDirOf, provisionDatabase, type DatabaseSpec } from '@store/db';

export interface TestDatabase {
  url: string;
  adminUrl: string;
  spec: DatabaseSpec;
  drop(): Promise<void>;
}

/** The superuser URL of the run's PostgreSQL (see global-setup). */
export function pgAdminUrl(): string {
  return inject('pgAdminUrl');
}

/**
 * A fresh, empty database with its own login role, on the run's PostgreSQL. With `subgraph`, the
 * subgraph's committed migrations are applied (and must succeed).
 */
export async function createTestDatabase(subgraph?: string): Promise<TestDatabase> {
  const adminUrl = pgAdminUrl();
  const spec = databaseSpecFor(subgraph ?? 'scratch', `t_${randomBytes(4).toString('hex')}_`);
  const url = await provisionDatabase(adminUrl, spec);
  if (subgraph) {
    const result = await applyMigrations(url, migrationsDirOf(subgraph));
    if (!result.ok) throw result.error;
  }
  return { url, adminUrl, spec, drop: () => dropDatabase(adminUrl, spec) };
}
