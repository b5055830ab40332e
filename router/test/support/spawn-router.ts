import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface SpawnedRouter {
  child: ChildProcess;
  /** Resolves with the GraphQL URL from the `router ready at …` line; rejects if it exits first. */
  ready: Promise<string>;
  /** Resolves when the process exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
}

/**
 * Runs the real entry point as `node --import tsx router/src/index.ts <args>` from the repository
 * root, with exactly the environment given (plus PATH/HOME), so the test controls every variable.
 * `entry`: a compiled entry (`npm run build:router`) to run with plain `node` instead.
 */
export function spawnRouter(args: string[], env: Record<string, string>, entry?: string): SpawnedRouter {
  const baseEnv: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR']) if (process.env[name] !== undefined) baseEnv[name] = process.env[name]!;
  const child = spawn(process.execPath, [...(entry ? [entry] : ['--import', 'tsx', 'router/src/index.ts']), ...args], {
    cwd: REPO_ROOT,
    env: { ...baseEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<string>((resolve, reject) => {
    const onData = () => {
      const match = /router ready at (http:\/\/\S+\/graphql)/.exec(out);
      if (match) {
        child.stdout!.off('data', onData);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    void exited.then(({ code }) => reject(new Error(`router exited (code ${code}) before it was ready:\n${err}`)));
  });
  ready.catch(() => {});
  return { child, ready, exited, stdout: () => out, stderr: () => err };
}
