import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@store/testkit';
import { applyMigrations, authorMigration, listDatabaseSubgraphs, migrationChecksum, migrationsDirOf, readMigrations, repoRoot, subgraphDir } from '../src/index.ts';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function freshDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  cleanup.push(() => db.drop());
  return db;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'store-migrations-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function writeMigration(dir: string, name: string, sql: string) {
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(join(dir, name, 'migration.sql'), sql);
}

/** Tables and columns that the generated Prisma client expects, from its runtime data model. */
function expectedTables(subgraph: string): Map<string, Set<string>> {
  const source = readFileSync(join(subgraphDir(subgraph), 'generated', 'prisma', 'internal', 'class.ts'), 'utf8');
  const match = /config\.runtimeDataModel = JSON\.parse\(("(?:[^"\\]|\\.)*")\)/.exec(source);
  if (!match) throw new Error(`no runtime data model in the generated client of ${subgraph}`);
  const model = JSON.parse(JSON.parse(match[1]!)) as { models: Record<string, { dbName: string | null; fields: { name: string; kind: string; dbName?: string }[] }> };
  return new Map(
    Object.entries(model.models).map(([name, m]) => [m.dbName ?? name, new Set(m.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum').map((f) => f.dbName ?? f.name))]),
  );
}

describe.each(listDatabaseSubgraphs())('committed migrations of %s', (subgraph) => {
  it('apply to an empty database, are recorded as Prisma records them, and match schema.prisma', async () => {
    const db = await freshDatabase();
    const committed = readMigrations(migrationsDirOf(subgraph));
    const result = await applyMigrations(db.url, migrationsDirOf(subgraph));
    expect(result.ok).toBe(true);
    expect(result.applied).toEqual(committed.map((m) => m.name));

    const rows = await query<{ migration_name: string; checksum: string; started_at: Date; finished_at: Date | null; applied_steps_count: number; rolled_back_at: Date | null }>(
      db.url,
      'SELECT migration_name, checksum, started_at, finished_at, applied_steps_count, rolled_back_at FROM _prisma_migrations ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(committed.map((m) => m.name));
    for (const [i, row] of rows.entries()) {
      const bytes = readFileSync(join(migrationsDirOf(subgraph), row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(migrationChecksum(bytes));
      expect(row.checksum).toBe(committed[i]!.checksum);
      expect(row.finished_at).not.toBeNull();
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row.applied_steps_count).toBe(1);
      expect(row.rolled_back_at).toBeNull();
    }

    const columns = await query<{ table_name: string; column_name: string }>(
      db.url,
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    const actual = new Map<string, Set<string>>();
    for (const c of columns) (actual.get(c.table_name) ?? actual.set(c.table_name, new Set()).get(c.table_name)!).add(c.column_name);
    const expected = expectedTables(subgraph);
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [table, cols] of expected) expect([...actual.get(table)!].sort(), table).toEqual([...cols].sort());

    const again = await applyMigrations(db.url, migrationsDirOf(subgraph));
    expect(again).toMatchObject({ ok: true, applied: [] });
  });
});

describe('the migration runner', () => {
  it('rolls a failing migration back whole, keeps earlier ones, and names the migration and the SQL error', async () => {
    const db = await freshDatabase();
    const dir = tempDir();
    writeMigration(dir, '20260101000000_first', 'CREATE TABLE first_table (id int PRIMARY KEY);\n');
    writeMigration(dir, '20260102000000_second', 'CREATE TABLE second_table (id int);\nALTER TABLE second_table ADD COLUMN oops nonexistent_type;\n');
    const result = await applyMigrations(db.url, dir);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.applied).toEqual(['20260101000000_first']);
    expect(result.error.migration).toBe('20260102000000_second');
    expect(result.error.message).toContain('20260102000000_second');
    expect(result.error.message).toContain('type "nonexistent_type" does not exist');
    expect(result.error.message).toContain('line 2');
    const tables = await query<{ table_name: string }>(db.url, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`);
    expect(tables.map((t) => t.table_name)).toEqual(['_prisma_migrations', 'first_table']);
    const recorded = await query<{ migration_name: string }>(db.url, 'SELECT migration_name FROM _prisma_migrations');
    expect(recorded.map((r) => r.migration_name)).toEqual(['20260101000000_first']);
  });

  it('the command exits non-zero naming the migration and the SQL error', async () => {
    const db = await freshDatabase();
    const dir = tempDir();
    writeMigration(dir, '20260101000000_broken', 'CREATE TABLE t (id int);\nSELECT * FROM missing_table;\n');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'packages/db/src/cli/migrate.ts', 'deploy', '--dir', dir], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: db.url },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('20260101000000_broken');
    expect(run.stderr).toContain('relation "missing_table" does not exist');
    const tables = await query(db.url, `SELECT 1 FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 't'`);
    expect(tables).toHaveLength(0);
  });

  it('refuses to run when an applied migration was edited', async () => {
    const db = await freshDatabase();
    const dir = tempDir();
    writeMigration(dir, '20260101000000_first', 'CREATE TABLE a (id int);\n');
    expect((await applyMigrations(db.url, dir)).ok).toBe(true);
    writeFileSync(join(dir, '20260101000000_first', 'migration.sql'), 'CREATE TABLE a (id bigint);\n');
    writeMigration(dir, '20260102000000_second', 'CREATE TABLE b (id int);\n');
    const result = await applyMigrations(db.url, dir);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('CHECKSUM_MISMATCH');
    expect(result.error.message).toContain('20260101000000_first');
    const tables = await query(db.url, `SELECT 1 FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'b'`);
    expect(tables).toHaveLength(0);
  });

  it('refuses to run over a migration that Prisma left unfinished', async () => {
    const db = await freshDatabase();
    const dir = tempDir();
    writeMigration(dir, '20260101000000_first', 'CREATE TABLE a (id int);\n');
    expect((await applyMigrations(db.url, dir)).ok).toBe(true);
    await query(db.url, 'UPDATE _prisma_migrations SET finished_at = NULL');
    const result = await applyMigrations(db.url, dir);
    expect(result).toMatchObject({ ok: false, error: { code: 'FAILED_MIGRATION_IN_DATABASE' } });
  });
});

describe('authoring a migration', () => {
  it('writes the SQL for a schema.prisma change with the Prisma 6 WASM engine, and it applies', async () => {
    const subgraph = listDatabaseSubgraphs()[0]!;
    // A scratch copy of a real subgraph folder (outside subgraphs/ so nothing discovers it).
    const copy = join(tempDir(), subgraph);
    cpSync(join(subgraphDir(subgraph), 'prisma'), join(copy, 'prisma'), { recursive: true });
    const schemaFile = join(copy, 'prisma', 'schema.prisma');
    writeFileSync(schemaFile, readFileSync(schemaFile, 'utf8') + '\nmodel AuditNote {\n  id   Int    @id @default(autoincrement())\n  note String\n\n  @@map("audit_notes")\n}\n');
    const db = await freshDatabase();
    const unchanged = await authorMigration({ subgraphDir: join(subgraphDir(subgraph)), name: 'nothing', databaseUrl: db.adminUrl });
    expect(unchanged).toEqual({ ok: true, status: 'no-changes' });
    const result = await authorMigration({ subgraphDir: copy, name: 'add_audit_notes', databaseUrl: db.adminUrl, now: new Date(Date.UTC(2099, 0, 1)) });
    expect(result).toMatchObject({ ok: true, status: 'created' });
    if (!result.ok || result.status !== 'created') return;
    expect(result.migrationDir).toMatch(/20990101000000_add_audit_notes$/);
    expect(result.sql).toContain('CREATE TABLE "audit_notes"');
    const applied = await applyMigrations(db.url, join(copy, 'prisma', 'migrations'));
    expect(applied.ok).toBe(true);
    const columns = await query<{ column_name: string }>(db.url, `SELECT column_name FROM information_schema.columns WHERE table_name = 'audit_notes' ORDER BY 1`);
    expect(columns.map((c) => c.column_name)).toEqual(['id', 'note']);
    // A second run has nothing left to write.
    expect(await authorMigration({ subgraphDir: copy, name: 'again', databaseUrl: db.adminUrl })).toEqual({ ok: true, status: 'no-changes' });
  });

  it('rejects a name that is not snake_case', async () => {
    const result = await authorMigration({ subgraphDir: subgraphDir(listDatabaseSubgraphs()[0]!), name: 'Add Column', databaseUrl: 'postgresql://unused' });
    expect(result.ok).toBe(false);
  });
});

describe('per-subgraph databases', () => {
  it("a subgraph's role cannot connect to another subgraph's database", async () => {
    const a = await freshDatabase();
    const b = await freshDatabase();
    // Own database: fine.
    expect(await query(a.url, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    // a's role and password, b's database.
    const crossed = new URL(a.url);
    crossed.pathname = `/${b.spec.database}`;
    await expect(query(crossed.toString(), 'SELECT 1')).rejects.toThrow(/permission denied for database/);
  });
});
