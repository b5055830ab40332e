import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { spawnReady, tsxArgs, type Spawned } from './processes.ts';
import { supergraphUrls } from './supergraph-urls.ts';
import { BENCH_DIR } from './root.ts';

export type ContenderId = 'router' | 'router-prod' | 'router-unbatched' | 'router-dedup' | 'router-tsx' | 'stock' | 'hive' | 'floor';

export interface Contender {
  id: ContenderId;
  label: string;
}

export const CONTENDERS: readonly Contender[] = [
  { id: 'router', label: 'this router, compiled (node router/dist/index.js)' },
  { id: 'router-prod', label: 'this router, compiled, production configuration (signing, authorization, limits, cost, rate limit, usage log)' },
  { id: 'router-unbatched', label: 'this router, compiled, with SUBGRAPH_BATCHING=off (each operation sends its own subgraph requests)' },
  { id: 'router-dedup', label: 'this router, compiled, with SUBGRAPH_DEDUPLICATION=on (identical subgraph queries in flight sent once)' },
  { id: 'router-tsx', label: 'this router under tsx (npm run router)' },
  { id: 'stock', label: 'stock @apollo/gateway 2.14.4 on @apollo/server 5' },
  { id: 'hive', label: 'Hive Gateway 2.15.1 (CLI defaults)' },
  { id: 'floor', label: 'floor: subgraphs called directly, ideal fetch sequence' },
];

/** What `npm run build:router` writes (relative to the repository root, where contenders start). */
export const ROUTER_BUILD = 'router/dist/index.js';

export const HIVE_BIN = join(BENCH_DIR, 'node_modules/@graphql-hive/gateway/dist/bin.js');

export function hiveInstalled(): boolean {
  return existsSync(HIVE_BIN);
}

export interface RunningContender {
  url: string;
  /** The process to measure (its children too, if it forks). */
  pid: number;
  process: Spawned;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The environment of every contender: no telemetry anywhere, quiet logs. */
function contenderEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, APOLLO_TELEMETRY_DISABLED: '1', APP_ENV: 'development', LOG_LEVEL: 'warn', NODE_ENV: undefined, ...extra };
}

async function waitForGraphQL(url: string, process: Spawned, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (process.child.exitCode !== null) throw new Error(`${process.name} exited:\n${process.output()}`);
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${process.name} did not answer within ${timeoutMs} ms:\n${process.output()}`);
}

const UNSUPPORTED_BY_STOCK = /(@link\(url: "https:\/\/specs\.apollo\.dev\/(?:authenticated|requiresScopes|policy)\/v[0-9.]+"), for: SECURITY\)/g;

/**
 * The supergraph file the other gateways load. Stock `@apollo/gateway` refuses any supergraph that
 * links `@authenticated`, `@requiresScopes` or `@policy` `for: SECURITY` (UNSUPPORTED_LINKED_FEATURE:
 * it cannot enforce them), so it gets the same supergraph with those three links' `for: SECURITY`
 * removed: the same types, fields, plans and answers, the authorization metadata kept but not
 * enforced. Supergraphs without them (Workload 1) are passed unchanged.
 */
export function supergraphFileForOthers(supergraphFile: string): string {
  const sdl = readFileSync(supergraphFile, 'utf8');
  const unenforced = sdl.replace(UNSUPPORTED_BY_STOCK, '$1)');
  if (unenforced === sdl) return supergraphFile;
  const file = `${supergraphFile.replace(/\.graphql$/, '')}.unenforced.graphql`;
  writeFileSync(file, unenforced);
  return file;
}

/**
 * The router as the store's production configuration runs it (APP_ENV=production: strict
 * operation limits, MAX_COST, authorization, hidden suggestions), plus a signing secret for every
 * subgraph, the usage log and an in-memory rate limit — every per-request feature on. Three
 * differences, all so that the load is not refused: the rate limit is high (the benchmark's 50
 * connections come from one IP; the limiter still counts every request); MAX_COST is 100000, not
 * 10000 (Workload 1's schema has no `@listSize`, so with the default list size of 10 its query is
 * estimated at 24420; the cost is still computed and checked on every request); and operations
 * are not safelisted (the workloads' operations are in no client manifest; `apq` still runs its
 * lookup step). The subgraphs here are started for all contenders and cannot tell signed from unsigned
 * calls, so this row counts the router's signing cost, not the subgraphs' verification.
 */
function productionEnv(supergraphFile: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    APP_ENV: 'production',
    JWT_SECRET: 'bench-production-jwt-secret-0123456789abcdef',
    RATE_LIMIT: '100000000/1m',
    MAX_COST: '100000',
    PERSISTED_OPERATIONS: 'apq',
    USAGE_LOG_FILE: join(BENCH_DIR, 'results', `usage-${process.pid}.ndjson`),
    USAGE_LOG_SAMPLE_RATE: '1',
  };
  for (const name of supergraphUrls(readFileSync(supergraphFile, 'utf8')).keys()) {
    env[`SUBGRAPH_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_SIGNING_SECRET`] = `bench-signing-secret-${name}-0123456789abcdef`;
  }
  return env;
}

/** Starts a contender on a supergraph file; `variantsFile` is for the floor (the requests it will get). */
export async function startContender(id: ContenderId, supergraphFile: string, variantsFile: string, nodeFlags: string[] = []): Promise<RunningContender> {
  const node = process.execPath;
  let spawned: Spawned;
  let url: string;
  switch (id) {
    case 'router':
      // The compiled entry (`npm run build:router`, built by the bench when missing or stale):
      // plain JavaScript like stock, no TypeScript loader in the process.
      spawned = await spawnReady('router', node, [...nodeFlags, ROUTER_BUILD, '--supergraph', supergraphFile, '--port', '0'], { env: contenderEnv(), ready: /router ready at (\S+)/ });
      url = spawned.match[1]!;
      break;
    case 'router-prod':
      spawned = await spawnReady('router-prod', node, [...nodeFlags, ROUTER_BUILD, '--supergraph', supergraphFile, '--port', '0'], {
        env: contenderEnv(productionEnv(supergraphFile)),
        ready: /router ready at (\S+)/,
      });
      url = spawned.match[1]!;
      break;
    case 'router-unbatched':
      // `router` without batching subgraph requests across concurrent operations (on by default).
      spawned = await spawnReady('router-unbatched', node, [...nodeFlags, ROUTER_BUILD, '--supergraph', supergraphFile, '--port', '0'], { env: contenderEnv({ SUBGRAPH_BATCHING: 'off' }), ready: /router ready at (\S+)/ });
      url = spawned.match[1]!;
      break;
    case 'router-dedup':
      // `router` with identical subgraph queries in flight sent once (off by default).
      spawned = await spawnReady('router-dedup', node, [...nodeFlags, ROUTER_BUILD, '--supergraph', supergraphFile, '--port', '0'], { env: contenderEnv({ SUBGRAPH_DEDUPLICATION: 'on' }), ready: /router ready at (\S+)/ });
      url = spawned.match[1]!;
      break;
    case 'router-tsx':
      // Exactly what `npm run router -- --supergraph <file> --port 0` runs, without npm's wrapper process.
      spawned = await spawnReady('router-tsx', node, tsxArgs('router/src/index.ts', ['--supergraph', supergraphFile, '--port', '0'], nodeFlags), { env: contenderEnv(), ready: /router ready at (\S+)/ });
      url = spawned.match[1]!;
      break;
    case 'stock':
      spawned = await spawnReady('stock', node, [...nodeFlags, 'bench/src/contenders/stock-gateway.mjs', supergraphFileForOthers(supergraphFile), '0'], { env: contenderEnv(), ready: /ready (\S+)/ });
      url = spawned.match[1]!;
      break;
    case 'hive': {
      const port = await freePort();
      spawned = await spawnReady('hive', node, [...nodeFlags, HIVE_BIN, 'supergraph', supergraphFileForOthers(supergraphFile), '--host', '127.0.0.1', '--port', String(port)], {
        env: contenderEnv(),
        ready: null,
        cwd: BENCH_DIR,
      });
      url = `http://127.0.0.1:${port}/graphql`;
      await waitForGraphQL(url, spawned);
      break;
    }
    case 'floor':
      spawned = await spawnReady('floor', node, tsxArgs('bench/src/contenders/floor.ts', [supergraphFile, variantsFile, '0'], nodeFlags), { env: contenderEnv(), ready: /ready (\S+)/, timeoutMs: 120_000 });
      url = spawned.match[1]!;
      break;
    default:
      throw new Error(`unknown contender ${id satisfies never}`);
  }
  return { url, pid: spawned.pid, process: spawned, stop: () => spawned.stop() };
}

/** A process and all its descendants (Hive Gateway may fork workers). */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // gone
    }
  }
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...(children.get(all[i]!) ?? []));
  return all;
}
