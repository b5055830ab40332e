import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, listDatabaseSubgraphs, listSubgraphs, repoRoot, databaseUrlVariable } from '@store/db';
import { createTestDatabase, type TestDatabase } from '@store/testkit';

export interface Stack {
  routerUrl: string;
  /** The storefront the launcher serves (clients/web), e.g. `http://127.0.0.1:<port>`. */
  storefrontUrl: string;
  /** The router's self-hosted explorer. */
  explorerUrl: string;
  child: ChildProcess;
  /** Everything the launcher printed so far. */
  output(): string;
  /** SIGINT (Ctrl-C), then waits for the launcher to exit; returns its exit code. */
  stop(): Promise<number | null>;
  dataDir: string;
  /** The process id of a running subgraph (a child of the launcher, found by its folder). */
  subgraphPid(name: string): number;
}

/**
 * Runs the real `npm start` launcher (packages/devstack) on free ports and a scratch data folder.
 * With `TEST_DATABASE_ADMIN_URL` set (CI's Debian PostgreSQL), every subgraph gets a fresh
 * database there through `<NAME>_DATABASE_URL`, which is how production points subgraphs at
 * external servers; otherwise the embedded PostgreSQL is used, as on a developer's machine.
 */
export async function startStack(options: { dataDir?: string; timeoutMs?: number } = {}): Promise<Stack> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'store-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    APOLLO_TELEMETRY_DISABLED: '1',
    STORE_DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(await freePort()),
    ROUTER_PORT: String(await freePort()),
    STOREFRONT_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
  };
  for (const name of listSubgraphs()) env[`${name.toUpperCase()}_PORT`] = String(await freePort());
  const externals: TestDatabase[] = [];
  if (process.env.TEST_DATABASE_ADMIN_URL) {
    for (const name of listDatabaseSubgraphs()) {
      const db = await createTestDatabase();
      externals.push(db);
      env[databaseUrlVariable(name)] = db.url;
    }
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/devstack/src/start.ts'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  let up = false;
  let stopping = false;
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // A launcher that dies mid-test leaves only ECONNREFUSED in the test's failure: say why, once.
  void exited.then((code) => {
    if (up && !stopping) process.stderr.write(`[e2e stack] the launcher exited (code ${code}) before the test stopped it; its output:\n${output}\n`);
  });
  const routerUrl = `http://127.0.0.1:${env.ROUTER_PORT}/graphql`;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`stack not up within ${options.timeoutMs ?? 90_000} ms:\n${output}`)), options.timeoutMs ?? 90_000);
    const poll = setInterval(() => {
      if (output.includes('Press Ctrl-C to stop.')) {
        clearInterval(poll);
        clearTimeout(timer);
        up = true;
        resolve();
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`launcher exited with ${code} before it was up:\n${output}`));
    });
  });
  return {
    routerUrl,
    storefrontUrl: `http://127.0.0.1:${env.STOREFRONT_PORT}`,
    explorerUrl: `http://127.0.0.1:${env.ROUTER_PORT}/explorer`,
    child,
    dataDir,
    output: () => output,
    subgraphPid: (name) => subgraphPidOf(child.pid!, name),
    stop: async () => {
      stopping = true;
      if (child.exitCode === null) child.kill('SIGINT');
      const code = await exited;
      for (const db of externals) await db.drop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

/** Linux: the launcher's child whose working directory is `subgraphs/<name>`. */
function subgraphPidOf(launcherPid: number, name: string): number {
  const children = readdirSync(`/proc/${launcherPid}/task`).flatMap((tid) =>
    readFileSync(`/proc/${launcherPid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
  );
  const wanted = join(repoRoot, 'subgraphs', name);
  const pid = children.find((p) => {
    try {
      return readlinkSync(`/proc/${p}/cwd`) === wanted;
    } catch {
      return false;
    }
  });
  if (pid === undefined) throw new Error(`no running subgraph ${name} under the launcher (pid ${launcherPid})`);
  return pid;
}
