import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { startEmbeddedCluster, type EmbeddedCluster } from '@store/db';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

let cluster: EmbeddedCluster | null = null;

/**
 * One PostgreSQL for the whole test run; each test file creates its own databases in it.
 * `TEST_DATABASE_ADMIN_URL` points the run at an existing server (CI: Debian's PostgreSQL 15);
 * otherwise an embedded PostgreSQL 18 starts in a temporary folder on a free port.
 */
export async function setup(project: TestProject) {
  let adminUrl = process.env.TEST_DATABASE_ADMIN_URL;
  if (!adminUrl) {
    cluster = await startEmbeddedCluster({ dataDir: join(mkdtempSync(join(tmpdir(), 'store-test-pg-')), 'data'), port: 0, ephemeral: true });
    adminUrl = cluster.adminUrl;
  }
  const client = new pg.Client({ connectionString: adminUrl });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    process.stderr.write(`tests use PostgreSQL ${rows[0]?.server_version} (${cluster ? 'embedded' : 'TEST_DATABASE_ADMIN_URL'})\n`);
  } finally {
    await client.end();
  }
  project.provide('pgAdminUrl', adminUrl);
}

export async function teardown() {
  await cluster?.stop();
}
