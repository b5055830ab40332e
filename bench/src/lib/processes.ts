import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT } from './root.ts';

export interface Spawned {
  name: string;
  child: ChildProcess;
  pid: number;
  /** The first match of `ready` in stdout. */
  match: RegExpExecArray;
  output(): string;
  stop(): Promise<void>;
}

/** Spawns a process and waits until its stdout matches `ready` (or it exits, or time runs out). */
export async function spawnReady(
  name: string,
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; ready: RegExp | null; timeoutMs?: number },
): Promise<Spawned> {
  const child = spawn(command, args, { cwd: options.cwd ?? REPO_ROOT, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out = (out + chunk.toString()).slice(-200_000)));
  child.stderr!.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-200_000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = options.ready;
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    if (ready === null) {
      resolve(Object.assign([''], { index: 0, input: '' }) as RegExpExecArray);
      return;
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} not ready within ${options.timeoutMs ?? 60_000} ms:\n${out}\n${err}`));
    }, options.timeoutMs ?? 60_000);
    const onData = () => {
      const m = ready.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve(m);
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (code ${code}) before it was ready:\n${out}\n${err}`));
    });
  });
  return {
    name,
    child,
    pid: child.pid!,
    match,
    output: () => `${out}\n${err}`,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** `node --import tsx <script> ...args` from the repository root. */
export function tsxArgs(script: string, args: string[] = [], nodeFlags: string[] = []): string[] {
  return [...nodeFlags, '--import', 'tsx', script, ...args];
}
