// `npm run migrate -- <command>`: applies, inspects and authors a subgraph's Prisma migrations
// without Prisma's native schema engine. See packages/db/README.md.
import { authorMigration, hasUnmigratedChanges } from '../author.ts';
import { startEmbeddedCluster } from '../embedded.ts';
import { applyMigrations, migrationStatus } from '../migrations.ts';
import { databaseUrlVariable, listDatabaseSubgraphs, migrationsDirOf, subgraphDir } from '../subgraphs.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const usage = `Usage:
  npm run migrate -- deploy <subgraph>        apply pending migrations to $<SUBGRAPH>_DATABASE_URL (or $DATABASE_URL)
  npm run migrate -- deploy --dir <folder>    apply the migrations in <folder> to $DATABASE_URL
  npm run migrate -- status <subgraph>        list applied and pending migrations
  npm run migrate -- new <subgraph> <name>    write a migration for the changes in prisma/schema.prisma
  npm run migrate -- check                    fail when a schema.prisma has changes no migration captures

Subgraphs: ${listDatabaseSubgraphs().join(', ')}`;

function fail(message: string, code = 1): never {
  process.stderr.write(message.endsWith('\n') ? message : message + '\n');
  process.exit(code);
}

function subgraphArg(value: string | undefined): string {
  if (!value) fail(usage, 2);
  if (!listDatabaseSubgraphs().includes(value)) fail(`Unknown subgraph ${JSON.stringify(value)}. ${usage}`, 2);
  return value;
}

function databaseUrl(name: string): string {
  const variable = databaseUrlVariable(name);
  const url = process.env[variable] ?? process.env.DATABASE_URL;
  if (!url) fail(`Set ${variable} (or DATABASE_URL) to the subgraph's PostgreSQL, e.g. postgresql://user:pass@127.0.0.1:5432/${name}`, 2);
  return url;
}

const [command, ...args] = process.argv.slice(2);
switch (command) {
  case 'deploy': {
    // `deploy <subgraph>`, or `deploy --dir <migrations folder>` with DATABASE_URL.
    const dirIndex = args.indexOf('--dir');
    const dir = dirIndex >= 0 ? args[dirIndex + 1] : undefined;
    const name = dir ? 'database' : subgraphArg(args[0]);
    const url = dir ? (process.env.DATABASE_URL ?? fail('Set DATABASE_URL', 2)) : databaseUrl(name);
    const result = await applyMigrations(url, dir ?? migrationsDirOf(name));
    for (const applied of result.applied) process.stdout.write(`applied ${name}/${applied}\n`);
    if (!result.ok) fail(`${name}: ${result.error.message}`);
    if (result.applied.length === 0) process.stdout.write(`${name}: database is up to date (${result.alreadyApplied.length} migrations)\n`);
    break;
  }
  case 'status': {
    const name = subgraphArg(args[0]);
    const status = await migrationStatus(databaseUrl(name), migrationsDirOf(name));
    process.stdout.write(`${name}: ${status.applied.length} applied, ${status.pending.length} pending\n`);
    for (const p of status.pending) process.stdout.write(`  pending ${p}\n`);
    if (status.problem) fail(status.problem);
    break;
  }
  case 'new': {
    const name = subgraphArg(args[0]);
    const migrationName = args[1];
    if (!migrationName) fail(usage, 2);
    // The Prisma 6 diff needs a reachable PostgreSQL; bring a throwaway one unless given one.
    const given = process.env.DATABASE_URL;
    const cluster = given ? null : await startEmbeddedCluster({ dataDir: mkdtempSync(join(tmpdir(), 'store-migrate-')), port: 0, ephemeral: true });
    try {
      const result = await authorMigration({ subgraphDir: subgraphDir(name), name: migrationName, databaseUrl: given ?? cluster!.adminUrl });
      if (!result.ok) fail(result.error);
      if (result.status === 'no-changes') process.stdout.write(`${name}: schema.prisma has no changes since the last migration; nothing written.\n`);
      else process.stdout.write(`wrote ${result.migrationDir}/migration.sql\n\n${result.sql}\n`);
    } finally {
      await cluster?.stop();
    }
    break;
  }
  case 'check': {
    const dirty = listDatabaseSubgraphs().filter((name) => hasUnmigratedChanges(subgraphDir(name)));
    if (dirty.length) fail(`schema.prisma changed without a migration in: ${dirty.join(', ')}. Run: npm run migrate -- new <subgraph> <name>`);
    process.stdout.write('every schema.prisma matches its latest migration\n');
    break;
  }
  default:
    fail(usage, 2);
}
