import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

/**
 * Applies a subgraph's committed Prisma migrations without Prisma's native schema engine (which
 * cannot be downloaded here). Bookkeeping is Prisma's own: the `_prisma_migrations` table with the
 * same columns, the sha256 checksum of `migration.sql`, started/finished timestamps and the applied
 * step count, so `prisma migrate status/deploy` on a machine that has the engine sees the same
 * history. Unlike Prisma, each migration runs in one transaction: a failing migration leaves the
 * database exactly as it was before it.
 */

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface AppliedMigration {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export type MigrateResult =
  | { ok: true; applied: string[]; alreadyApplied: string[] }
  | { ok: false; applied: string[]; error: MigrationError };

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  constructor(
    message: string,
    readonly migration: string | null,
    readonly code: 'SQL_ERROR' | 'CHECKSUM_MISMATCH' | 'FAILED_MIGRATION_IN_DATABASE' | 'UNKNOWN_MIGRATION_IN_DATABASE' | 'NO_MIGRATIONS',
  ) {
    super(message);
  }
}

/** Prisma's checksum: sha256 (hex) of the bytes of `migration.sql`. */
export function migrationChecksum(sql: string | Buffer): string {
  return createHash('sha256').update(sql).digest('hex');
}

/** The committed migrations under `migrationsDir`, in name (timestamp) order. */
export function readMigrations(migrationsDir: string): Migration[] {
  if (!existsSync(migrationsDir)) return [];
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(migrationsDir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const bytes = readFileSync(join(migrationsDir, name, 'migration.sql'));
      return { name, sql: bytes.toString('utf8'), checksum: migrationChecksum(bytes) };
    });
}

// The exact DDL Prisma's schema engine uses on PostgreSQL.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

// Same key as Prisma's migrate advisory lock, so our runner and Prisma's never overlap.
const ADVISORY_LOCK_KEY = 72707369;

function describePgError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const e = error as Error & { code?: string; position?: string; detail?: string; hint?: string };
  const parts = [e.message];
  if (e.code) parts.push(`(SQLSTATE ${e.code})`);
  if (e.detail) parts.push(`detail: ${e.detail}`);
  if (e.hint) parts.push(`hint: ${e.hint}`);
  return parts.join(' ');
}

function lineOf(sql: string, position: string | undefined): string {
  const at = Number(position);
  if (!Number.isInteger(at) || at <= 0) return '';
  return ` at line ${sql.slice(0, at).split('\n').length}`;
}

export async function readAppliedMigrations(client: pg.ClientBase): Promise<AppliedMigration[]> {
  const exists = await client.query<{ exists: boolean }>(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS exists`);
  if (!exists.rows[0]?.exists) return [];
  const result = await client.query<AppliedMigration>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at, migration_name`,
  );
  return result.rows;
}

/**
 * Checks the database's history against the committed migrations and returns the ones still to
 * apply, or an error that says why nothing may be applied.
 */
export function planMigrations(committed: Migration[], applied: AppliedMigration[]): { pending: Migration[] } | { error: MigrationError } {
  const byName = new Map(committed.map((m) => [m.name, m]));
  const done = new Set<string>();
  for (const row of applied) {
    if (row.rolled_back_at) continue;
    if (!row.finished_at) {
      return {
        error: new MigrationError(
          `Migration ${row.migration_name} started but never finished in this database (a failed Prisma run). ` +
            'Resolve it (fix the database, then mark it rolled back or applied) before applying more.',
          row.migration_name,
          'FAILED_MIGRATION_IN_DATABASE',
        ),
      };
    }
    const local = byName.get(row.migration_name);
    if (!local) {
      return {
        error: new MigrationError(
          `Migration ${row.migration_name} is applied in the database but missing from the migrations folder.`,
          row.migration_name,
          'UNKNOWN_MIGRATION_IN_DATABASE',
        ),
      };
    }
    if (local.checksum !== row.checksum) {
      return {
        error: new MigrationError(
          `Migration ${row.migration_name} was modified after it was applied (checksum ${row.checksum.slice(0, 12)}… in the database, ` +
            `${local.checksum.slice(0, 12)}… on disk). Applied migrations are immutable: revert the edit and add a new migration.`,
          row.migration_name,
          'CHECKSUM_MISMATCH',
        ),
      };
    }
    done.add(row.migration_name);
  }
  return { pending: committed.filter((m) => !done.has(m.name)) };
}

/** Applies every pending migration, each in its own transaction. */
export async function applyMigrations(databaseUrl: string, migrationsDir: string): Promise<MigrateResult> {
  const committed = readMigrations(migrationsDir);
  const applied: string[] = [];
  if (committed.length === 0) {
    return { ok: false, applied, error: new MigrationError(`No migrations found in ${migrationsDir}.`, null, 'NO_MIGRATIONS') };
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const plan = planMigrations(committed, await readAppliedMigrations(client));
    if ('error' in plan) return { ok: false, applied, error: plan.error };
    const alreadyApplied = committed.filter((m) => !plan.pending.includes(m)).map((m) => m.name);
    for (const migration of plan.pending) {
      try {
        await client.query('BEGIN');
        const id = randomUUID();
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, clock_timestamp(), 0)`,
          [id, migration.checksum, migration.name],
        );
        await client.query(migration.sql);
        await client.query(`UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`, [id]);
        await client.query('COMMIT');
        applied.push(migration.name);
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        const position = (error as { position?: string }).position;
        return {
          ok: false,
          applied,
          error: new MigrationError(
            `Migration ${migration.name} failed${lineOf(migration.sql, position)}: ${describePgError(error)}. ` +
              'It was rolled back: the database is as it was before this migration.',
            migration.name,
            'SQL_ERROR',
          ),
        };
      }
    }
    return { ok: true, applied, alreadyApplied };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}

export interface MigrationStatus {
  committed: string[];
  applied: string[];
  pending: string[];
  problem: string | null;
}

export async function migrationStatus(databaseUrl: string, migrationsDir: string): Promise<MigrationStatus> {
  const committed = readMigrations(migrationsDir);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const rows = await readAppliedMigrations(client);
    const plan = planMigrations(committed, rows);
    return {
      committed: committed.map((m) => m.name),
      applied: rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => r.migration_name),
      pending: 'pending' in plan ? plan.pending.map((m) => m.name) : [],
      problem: 'error' in plan ? plan.error.message : null,
    };
  } finally {
    await client.end();
  }
}
