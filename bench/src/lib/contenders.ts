import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { spawnReady, tsxArgs, type Spawned } from './processes.ts';
import { BENCH_DIR } from './root.ts';

export type ContenderId = 'router' | 'stock' | 'hive' | 'floor';

export interface Contender {
  id: ContenderId;
  label: string;
}

export const CONTENDERS: readonly Contender[] = [
  { id: 'router', label: 'this router (router/src/index.ts)' },
  { id: 'stock', label: 'stock @apollo/gateway 2.14.4 on @apollo/server 5' },
  { id: 'hive', label: 'Hive Gateway 2.15.1 (CLI defaults)' },
  { id: 'floor', label: 'floor: subgraphs called directly, ideal fetch sequence' },
];

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

/** Starts a contender on a supergraph file; `variantsFile` is for the floor (the requests it will get). */
export async function startContender(id: ContenderId, supergraphFile: string, variantsFile: string, nodeFlags: string[] = []): Promise<RunningContender> {
  const node = process.execPath;
  let spawned: Spawned;
  let url: string;
  switch (id) {
    case 'router':
      // Exactly what `npm run router -- --supergraph <file> --port 0` runs, without npm's wrapper process.
      spawned = await spawnReady('router', node, tsxArgs('router/src/index.ts', ['--supergraph', supergraphFile, '--port', '0'], nodeFlags), { env: contenderEnv(), ready: /router ready at (\S+)/ });
      url = spawned.match[1]!;
      break;
    case 'stock':
      spawned = await spawnReady('stock', node, [...nodeFlags, 'bench/src/contenders/stock-gateway.mjs', supergraphFile, '0'], { env: contenderEnv(), ready: /ready (\S+)/ });
      url = spawned.match[1]!;
      break;
    case 'hive': {
      const port = await freePort();
      spawned = await spawnReady('hive', node, [...nodeFlags, HIVE_BIN, 'supergraph', supergraphFile, '--host', '127.0.0.1', '--port', String(port)], {
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
