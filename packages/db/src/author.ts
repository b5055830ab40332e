import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { readMigrations } from './migrations.ts';

/**
 * Authors a migration from a `schema.prisma` change. Prisma 7's `migrate dev` needs a native
 * engine that cannot be downloaded here, so we use the Prisma 6 CLI's WASM engine for one thing
 * only: `migrate diff` between two datamodels, which it does correctly. The "before" datamodel is
 * the snapshot saved beside the newest migration (`datamodel.snapshot`), the "after" is today's
 * schema. The Prisma 6 CLI hangs for a while at exit on a leftover timer, so we wait for its
 * output file and then stop it, with an overall timeout.
 */

export const SNAPSHOT_FILE = 'datamodel.snapshot';
const require = createRequire(import.meta.url);
const repoRoot = resolve(import.meta.dirname, '../../..');

/** The models/enums of a schema, without generator and datasource blocks. */
export function datamodelOf(schema: string): string {
  return schema
    .replace(/^\s*(generator|datasource)\s+\w+\s*\{[^}]*\}\s*$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function prisma6Schema(datamodel: string): string {
  // The Prisma 6 CLI takes the WASM path only with a URL in the datasource and a client-engine
  // generator (otherwise it tries to download a native engine).
  return `datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\ngenerator client {\n  provider   = "prisma-client-js"\n  engineType = "client"\n}\n\n${datamodel}\n`;
}

export interface AuthorOptions {
  /** The subgraph folder (holding `prisma/schema.prisma` and `prisma/migrations`). */
  subgraphDir: string;
  /** Short snake_case description, e.g. `add_product_color`. */
  name: string;
  /** Any reachable PostgreSQL (the Prisma 6 adapter path insists on connecting). */
  databaseUrl: string;
  timeoutMs?: number;
  now?: Date;
}

export type AuthorResult =
  | { ok: true; status: 'created'; migrationDir: string; sql: string }
  | { ok: true; status: 'no-changes' }
  | { ok: false; error: string };

function timestamp(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
}

export function latestSnapshot(migrationsDir: string): string {
  const migrations = readMigrations(migrationsDir);
  const latest = migrations.at(-1);
  if (!latest) return '';
  const file = join(migrationsDir, latest.name, SNAPSHOT_FILE);
  if (!existsSync(file)) throw new Error(`${file} is missing: the newest migration has no datamodel snapshot to diff from.`);
  return readFileSync(file, 'utf8');
}

/** True when `schema.prisma` has model changes that no migration captures yet. */
export function hasUnmigratedChanges(subgraphDir: string): boolean {
  const schema = readFileSync(join(subgraphDir, 'prisma', 'schema.prisma'), 'utf8');
  return datamodelOf(schema) !== datamodelOf(latestSnapshot(join(subgraphDir, 'prisma', 'migrations')));
}

async function runPrismaDiff(workDir: string, databaseUrl: string, timeoutMs: number): Promise<{ ok: true; sql: string } | { ok: false; error: string }> {
  const cli = require.resolve('prisma6/build/index.js');
  const out = join(workDir, 'out.sql');
  const child = spawn(
    process.execPath,
    [cli, 'migrate', 'diff', '--from-schema-datamodel', join(workDir, 'from.prisma'), '--to-schema-datamodel', join(workDir, 'to.prisma'), '--script', '--config', join(workDir, 'prisma.config.ts'), '--output', out],
    {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1', PRISMA_DISABLE_WARNINGS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolvePromise) => {
    let lastSize = -1;
    let exited: number | null = null;
    const finish = (result: { ok: true; sql: string } | { ok: false; error: string }) => {
      clearInterval(poll);
      clearTimeout(timer);
      if (exited === null) child.kill('SIGKILL');
      resolvePromise(result);
    };
    const poll = setInterval(() => {
      if (!existsSync(out)) return;
      const size = statSync(out).size;
      if (size > 0 && size === lastSize) finish({ ok: true, sql: readFileSync(out, 'utf8') });
      lastSize = size;
    }, 300);
    const timer = setTimeout(() => finish({ ok: false, error: `prisma migrate diff did not finish within ${timeoutMs} ms.\n${output}` }), timeoutMs);
    child.on('exit', (code) => {
      exited = code ?? 1;
      if (existsSync(out) && statSync(out).size > 0) finish({ ok: true, sql: readFileSync(out, 'utf8') });
      else if (exited !== 0) finish({ ok: false, error: `prisma migrate diff failed (exit ${exited}):\n${output.trim()}` });
    });
  });
}

export async function authorMigration(options: AuthorOptions): Promise<AuthorResult> {
  if (!/^[a-z0-9_]+$/.test(options.name)) return { ok: false, error: `Migration name must be snake_case letters, digits and _: got ${JSON.stringify(options.name)}` };
  const prismaDir = join(options.subgraphDir, 'prisma');
  const migrationsDir = join(prismaDir, 'migrations');
  const schema = readFileSync(join(prismaDir, 'schema.prisma'), 'utf8');
  const before = datamodelOf(latestSnapshot(migrationsDir));
  const after = datamodelOf(schema);
  if (before === after) return { ok: true, status: 'no-changes' };

  // Inside the repository so the config file can import the Prisma 6 adapter from node_modules.
  mkdirSync(join(repoRoot, '.data'), { recursive: true });
  const workDir = mkdtempSync(join(repoRoot, '.data', 'migrate-'));
  try {
    writeFileSync(join(workDir, 'from.prisma'), prisma6Schema(before));
    writeFileSync(join(workDir, 'to.prisma'), prisma6Schema(after));
    writeFileSync(
      join(workDir, 'prisma.config.ts'),
      `import { PrismaPg } from 'prisma6-adapter-pg';\nexport default {\n  engine: 'js',\n  experimental: { adapter: true },\n  schema: ${JSON.stringify(join(workDir, 'to.prisma'))},\n  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL }),\n};\n`,
    );
    const diff = await runPrismaDiff(workDir, options.databaseUrl, options.timeoutMs ?? 120_000);
    if (!diff.ok) return diff;
    if (/^-- This is an empty migration\.\s*$/.test(diff.sql.trim())) return { ok: true, status: 'no-changes' };
    const migrationDir = join(migrationsDir, `${timestamp(options.now ?? new Date())}_${options.name}`);
    if (existsSync(migrationDir)) return { ok: false, error: `${migrationDir} already exists.` };
    mkdirSync(migrationDir, { recursive: true });
    writeFileSync(join(migrationDir, 'migration.sql'), diff.sql.endsWith('\n') ? diff.sql : diff.sql + '\n');
    writeFileSync(join(migrationDir, SNAPSHOT_FILE), after + '\n');
    const lock = join(migrationsDir, 'migration_lock.toml');
    if (!existsSync(lock)) {
      writeFileSync(lock, '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n');
    }
    return { ok: true, status: 'created', migrationDir, sql: diff.sql };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
