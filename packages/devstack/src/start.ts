// `npm start`: the whole supergraph on one machine with nothing to install. Starts an embedded
// PostgreSQL (or uses <SUBGRAPH>_DATABASE_URL), gives each subgraph its own database and role,
// applies migrations, seeds empty databases, composes, then starts the subgraphs and the router,
// and serves the storefront (clients/web) next to it; the router serves the explorer.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';
import { booleanFlagSchema, listSubgraphDirs, loadEnvOrExit, portSchema, subgraphDevPort, type RunningServer } from '@store/core';
import { applyMigrations, databaseSpecFor, databaseUrlVariable, provisionDatabase, repoRoot, startEmbeddedCluster, type EmbeddedCluster } from '@store/db';
import { composeSupergraph, readSubgraphs } from '@store/schema';
import { compiledEntryOf, ensureSubgraphBuilt } from './build-subgraphs.ts';
import { ensureBuilt, storeFrontends } from './frontends.ts';
import { runToEnd, spawnPrefixed, stopAll, waitForReady, type ManagedProcess } from './processes.ts';
import { serveSinglePageApp } from './static-server.ts';

// Nothing leaves loopback: @apollo/gateway would otherwise start exporting telemetry.
process.env.APOLLO_TELEMETRY_DISABLED = '1';

const env = loadEnvOrExit(
  z.object({
    STORE_DATA_DIR: z.string().default(join(repoRoot, '.data')),
    EMBEDDED_PG_PORT: portSchema.default(54329),
    ROUTER_PORT: portSchema.default(4000),
    STOREFRONT_PORT: portSchema.default(3000),
    HOST: z.string().default('127.0.0.1'),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    // `on` turns router→subgraph request signing off for this run (e.g. a benchmark whose other
    // gateways call the subgraphs directly); otherwise every start makes new secrets.
    ALLOW_UNSIGNED_REQUESTS: z.enum(['on', 'off', '']).default('off'),
    // `1`: the subgraphs run as production runs them, bundled JavaScript (`npm run build:subgraphs`,
    // rebuilt here when their sources changed) with no TypeScript loader; the benchmark uses it.
    // Otherwise under tsx, from the sources a developer edits.
    STORE_COMPILED: booleanFlagSchema.default(false),
  }),
);

const started = Date.now();
const say = (line: string) => process.stdout.write(`[start] ${line}\n`);
const processes: ManagedProcess[] = [];
let cluster: EmbeddedCluster | null = null;
let storefront: RunningServer | null = null;
let shuttingDown = false;

async function shutdown(code: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    say('stopping…');
    await storefront?.close(1_000);
    // The router first (no new requests reach subgraphs), then the subgraphs, then the database.
    await stopAll(processes.filter((p) => p.name === 'router'));
    await stopAll(processes);
    await cluster?.stop();
    say('stopped');
  }
  process.exit(code);
}

function fail(message: string): Promise<never> {
  process.stderr.write(`[start] ${message}\n`);
  return shutdown(1);
}

async function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

// `<NAME>_PORT` moves a subgraph off its development port; the router is told with
// `SUBGRAPH_<NAME>_URL`, so the supergraph need not be recomposed.
const portOverride = (name: string) => process.env[`${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_PORT`];
const subgraphs = listSubgraphDirs(join(repoRoot, 'subgraphs')).map((s) => ({
  ...s,
  port: portOverride(s.name) ? portSchema.parse(portOverride(s.name)) : subgraphDevPort(s.dir, s.name),
  hasDatabase: existsSync(join(s.dir, 'prisma', 'schema.prisma')),
  hasServer: existsSync(join(s.dir, 'src', 'index.ts')),
}));

const listeners = [...subgraphs.map((s) => ({ name: `subgraph ${s.name}`, port: s.port })), { name: 'router', port: env.ROUTER_PORT }, { name: 'storefront', port: env.STOREFRONT_PORT }];
// Two services given one port would both start, the second would die on EADDRINUSE, and the
// first one's /ready would pass for the second's: refuse the configuration instead.
const owners = new Map<number, string>();
for (const { name, port } of listeners) {
  const other = owners.get(port);
  if (other) await fail(`port ${port} is given to both ${other} and ${name}; give each its own port`);
  owners.set(port, name);
}
for (const { name, port } of listeners) {
  if (!(await portFree(port, env.HOST))) await fail(`port ${port} (${name}) is already in use. Is another \`npm start\` running?`);
}

// 0. The storefront and the explorer are built (when their sources changed) while the databases
// start; with STORE_COMPILED=1 the subgraphs too.
const frontends = storeFrontends(repoRoot);
const lockfile = join(repoRoot, 'package-lock.json');
const frontendsBuilt = Promise.all(
  [frontends.storefront, frontends.explorer].map(async (app) => {
    const { built } = await ensureBuilt(app, lockfile);
    if (built) say(`built the ${app.name} (${app.outDir})`);
  }),
);
frontendsBuilt.catch(() => {}); // awaited below, before the router starts
const subgraphsBuilt = Promise.all(
  subgraphs
    .filter((s) => env.STORE_COMPILED && s.hasServer)
    .map(async (s) => {
      const { built, reason } = await ensureSubgraphBuilt(s.dir);
      if (built) say(`built subgraph ${s.name} (${reason})`);
    }),
);
subgraphsBuilt.catch(() => {}); // awaited below, before the subgraphs start

// 1. Databases: external ones from <NAME>_DATABASE_URL, the rest in the embedded cluster.
const databaseUrls = new Map<string, string>();
const needEmbedded = subgraphs.filter((s) => s.hasDatabase && !process.env[databaseUrlVariable(s.name)]);
if (needEmbedded.length) {
  const dataDir = join(env.STORE_DATA_DIR, 'postgres');
  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  say(`${fresh ? 'initialising' : 'starting'} embedded PostgreSQL in ${dataDir} on 127.0.0.1:${env.EMBEDDED_PG_PORT}`);
  try {
    cluster = await startEmbeddedCluster({ dataDir, port: env.EMBEDDED_PG_PORT });
  } catch (error) {
    await fail((error as Error).message);
  }
  for (const s of needEmbedded) databaseUrls.set(s.name, await provisionDatabase(cluster!.adminUrl, databaseSpecFor(s.name)));
}
for (const s of subgraphs) {
  const external = process.env[databaseUrlVariable(s.name)];
  if (s.hasDatabase && external) databaseUrls.set(s.name, external);
}

// 2. Migrations, then seeds (each seed only fills an empty database); subgraphs in parallel.
const demoNotes: string[] = [];
const prepared = await Promise.all(
  subgraphs
    .filter((x) => x.hasDatabase)
    .map(async (s) => {
      const url = databaseUrls.get(s.name)!;
      const result = await applyMigrations(url, join(s.dir, 'prisma', 'migrations'));
      if (!result.ok) return { name: s.name, error: result.error.message, lines: [] };
      const lines = result.applied.length ? [`${s.name}: applied ${result.applied.join(', ')}`] : [];
      if (!existsSync(join(s.dir, 'prisma', 'seed.ts'))) return { name: s.name, lines };
      const seed = await runToEnd(process.execPath, ['--import', 'tsx', 'prisma/seed.ts'], { ...process.env, DATABASE_URL: url }, s.dir);
      if (seed.code !== 0) return { name: s.name, error: `seed failed:\n${seed.output}`, lines };
      return { name: s.name, lines: [...lines, ...seed.output.split('\n').filter((line) => line.trim())] };
    }),
);
for (const p of prepared) {
  for (const line of p.lines) {
    if (line.startsWith('demo: ')) demoNotes.push(line.slice(6));
    else say(line.trim());
  }
  if (p.error) await fail(`${p.name}: ${p.error}`);
}

// 3. Composition from the subgraphs' SDL as it is on disk now.
const composed = composeSupergraph(readSubgraphs(join(repoRoot, 'subgraphs')));
if (!composed.ok) await fail(`composition failed:\n${composed.errors.map((e) => `  ${e.code}: ${e.message}`).join('\n')}`);
if (!composed.ok) throw new Error('unreachable');
mkdirSync(env.STORE_DATA_DIR, { recursive: true });
const supergraphFile = join(env.STORE_DATA_DIR, 'supergraph.graphql');
writeFileSync(supergraphFile, composed.supergraphSdl);
const committed = join(repoRoot, 'schema', 'supergraph.graphql');
if (!existsSync(committed) || readFileSync(committed, 'utf8') !== composed.supergraphSdl) {
  say('note: schema/supergraph.graphql differs from the subgraphs on disk; run `npm run compose` to update it');
}

// 4. Subgraphs, then the router. Each subgraph serves only the router: a fresh random secret per
// subgraph per start, given to both (never printed), unless ALLOW_UNSIGNED_REQUESTS=on.
const unsigned = env.ALLOW_UNSIGNED_REQUESTS === 'on';
const variablePart = (name: string) => name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
const signingSecrets = new Map(subgraphs.map((s) => [s.name, randomBytes(32).toString('base64url')]));
if (unsigned) say('ALLOW_UNSIGNED_REQUESTS=on: subgraphs accept requests without the router signature');
const childEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
  ...process.env,
  APOLLO_TELEMETRY_DISABLED: '1',
  APP_ENV: 'development',
  LOG_LEVEL: env.LOG_LEVEL,
  HOST: env.HOST,
  ...extra,
});
const routerUrl = `http://${env.HOST}:${env.ROUTER_PORT}/graphql`;
const storefrontOrigin = `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${env.STOREFRONT_PORT}`;
const runnable = subgraphs.filter((s) => s.hasServer);
try {
  await subgraphsBuilt;
} catch (error) {
  await fail((error as Error).message);
}
const subgraphArgs = (dir: string) => (env.STORE_COMPILED ? [compiledEntryOf(dir)] : ['--import', 'tsx', 'src/index.ts']);
runnable.forEach((s, i) => {
  const extra: Record<string, string> = { PORT: String(s.port), ROUTER_URL: routerUrl };
  // Both set, always: a stray value inherited from the shell must not contradict this run's choice.
  extra.ALLOW_UNSIGNED_REQUESTS = unsigned ? 'on' : 'off';
  extra.ROUTER_SIGNING_SECRET = unsigned ? '' : signingSecrets.get(s.name)!;
  const url = databaseUrls.get(s.name);
  if (url) extra.DATABASE_URL = url;
  processes.push(spawnPrefixed(s.name, i, process.execPath, subgraphArgs(s.dir), childEnv(extra), s.dir));
});
try {
  await Promise.all(runnable.map((s, i) => waitForReady(`http://${env.HOST}:${s.port}/ready`, processes[i]!, 30_000)));
} catch (error) {
  await fail((error as Error).message);
}
const urlOverrides = Object.fromEntries(
  runnable.filter((s) => portOverride(s.name)).map((s) => [`SUBGRAPH_${variablePart(s.name)}_URL`, `http://${env.HOST}:${s.port}/graphql`]),
);
const routerSigningSecrets = unsigned ? {} : Object.fromEntries(runnable.map((s) => [`SUBGRAPH_${variablePart(s.name)}_SIGNING_SECRET`, signingSecrets.get(s.name)!]));
try {
  await frontendsBuilt;
} catch (error) {
  await fail((error as Error).message);
}
// The router lets the storefront call it (CORS), and the Vite dev server (`npm run dev -w @store/web`).
// APQ (the default) with the storefront's manifest, so the built storefront's hashes are found, and
// the subgraphs' own (their calls through the router), so `PERSISTED_OPERATIONS=safelist` runs the
// whole store; the usage log under the data folder (`npm run schema:check -- --usage .data/usage`).
const defaultManifests = [join(repoRoot, 'clients', 'web', 'persisted-operations.json'), ...subgraphs.map((s) => join(s.dir, 'persisted-operations.json'))].filter((file) => existsSync(file));
const persistedOperationsEnv = {
  PERSISTED_OPERATIONS_MANIFESTS: process.env.PERSISTED_OPERATIONS_MANIFESTS || defaultManifests.join(','),
  USAGE_LOG_FILE: process.env.USAGE_LOG_FILE ?? join(env.STORE_DATA_DIR, 'usage', 'router.ndjson'),
};
const corsOrigins = process.env.CORS_ORIGINS || [storefrontOrigin, `http://localhost:${env.STOREFRONT_PORT}`, 'http://127.0.0.1:5173', 'http://localhost:5173'].join(',');
const router = spawnPrefixed('router', runnable.length, process.execPath, ['--import', 'tsx', 'router/src/index.ts', '--supergraph', supergraphFile, '--port', String(env.ROUTER_PORT), '--host', env.HOST], childEnv({ ...urlOverrides, ...routerSigningSecrets, CORS_ORIGINS: corsOrigins, ...persistedOperationsEnv }), repoRoot);
processes.push(router);
try {
  await waitForReady(`http://${env.HOST}:${env.ROUTER_PORT}/ready`, router, 30_000);
} catch (error) {
  await fail((error as Error).message);
}

// 5. The storefront, on its own port, calling the router at the URL given here.
try {
  storefront = await serveSinglePageApp({ dir: frontends.storefront.outDir, port: env.STOREFRONT_PORT, host: env.HOST, settings: { routerUrl }, connectOrigins: [new URL(routerUrl).origin] });
} catch (error) {
  await fail(`cannot serve the storefront on ${env.HOST}:${env.STOREFRONT_PORT}: ${(error as Error).message}`);
}

for (const p of processes) {
  void p.exited.then((code) => {
    if (!shuttingDown) void fail(`${p.name} exited unexpectedly (code ${code}); stopping everything`);
  });
}

const seconds = ((Date.now() - started) / 1000).toFixed(1);
process.stdout.write(
  [
    '',
    `  The store's supergraph is up (${runnable.length} subgraphs${env.STORE_COMPILED ? ', compiled' : ''}, ${seconds} s).`,
    '',
    `  Storefront         ${storefrontOrigin}`,
    `  GraphQL endpoint   ${routerUrl}`,
    `  Explorer           http://${env.HOST}:${env.ROUTER_PORT}/explorer`,
    ...runnable.map((s) => `  subgraph ${s.name.padEnd(9)} http://${env.HOST}:${s.port}/graphql`),
    ...(cluster ? [`  PostgreSQL         127.0.0.1:${cluster.port} (embedded, data in ${join(env.STORE_DATA_DIR, 'postgres')})`] : []),
    ...(demoNotes.length ? ['', '  Demo sign-in', ...demoNotes.map((n) => `    ${n}`)] : []),
    '',
    '  Press Ctrl-C to stop.',
    '',
  ].join('\n') + '\n',
);
