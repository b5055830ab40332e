// The browser apps `npm start` serves: each is a Vite project built into a folder, rebuilt only
// when its inputs changed (a hash of its sources, config and the lockfile, kept in the folder).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';

export interface FrontendApp {
  /** For messages: `storefront`, `explorer`. */
  name: string;
  /** The folder with `vite.config.ts`, `index.html` and `src/`. */
  root: string;
  /** Where the build goes (replaced whole). */
  outDir: string;
}

const STAMP = '.build-stamp';
const require = createRequire(import.meta.url);

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? filesUnder(path) : e.isFile() ? [path] : [];
  });
}

/** What a build depends on: the app's sources and config, and every dependency's version. */
export function buildInputsHash(app: FrontendApp, lockfile: string): string {
  const hash = createHash('sha256');
  const inputs = [...filesUnder(join(app.root, 'src')), join(app.root, 'index.html'), join(app.root, 'vite.config.ts'), lockfile].filter((f) => existsSync(f)).sort();
  for (const file of inputs) hash.update(relative(app.root, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

export function isBuildCurrent(app: FrontendApp, inputsHash: string): boolean {
  const stamp = join(app.outDir, STAMP);
  return existsSync(stamp) && readFileSync(stamp, 'utf8') === inputsHash;
}

/**
 * Builds the app with Vite unless the folder already holds a build of the same inputs. The build
 * goes to a scratch folder that then replaces `outDir`, so a launcher started meanwhile never
 * serves half a build; when two builds race, the first to finish wins and both are the same.
 */
export async function ensureBuilt(app: FrontendApp, lockfile: string): Promise<{ built: boolean }> {
  const inputsHash = buildInputsHash(app, lockfile);
  if (isBuildCurrent(app, inputsHash)) return { built: false };
  const scratch = `${app.outDir}.tmp-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  const viteBin = join(require.resolve('vite/package.json'), '..', 'bin', 'vite.js');
  const result = await run(process.execPath, [viteBin, 'build', '--config', join(app.root, 'vite.config.ts')], { ...process.env, STORE_BUILD_OUT_DIR: scratch, NODE_ENV: 'production' }, app.root);
  if (result.code !== 0) {
    rmSync(scratch, { recursive: true, force: true });
    throw new Error(`building the ${app.name} failed (vite build in ${app.root}):\n${result.output}`);
  }
  writeFileSync(join(scratch, STAMP), inputsHash);
  if (isBuildCurrent(app, inputsHash)) {
    rmSync(scratch, { recursive: true, force: true });
    return { built: true };
  }
  rmSync(app.outDir, { recursive: true, force: true });
  try {
    renameSync(scratch, app.outDir);
  } catch (error) {
    // Another launcher put the same build there between our rm and rename.
    rmSync(scratch, { recursive: true, force: true });
    if (!existsSync(app.outDir) || !statSync(app.outDir).isDirectory()) throw error;
  }
  return { built: true };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => resolve({ code, output }));
    child.on('error', (error) => resolve({ code: 1, output: output + String(error) }));
  });
}

/** The apps `npm start` builds: the storefront (served by the launcher) and the router's explorer. */
export function storeFrontends(repoRoot: string): { storefront: FrontendApp; explorer: FrontendApp } {
  return {
    storefront: { name: 'storefront', root: join(repoRoot, 'clients', 'web'), outDir: join(repoRoot, 'clients', 'web', 'dist') },
    // The router serves this folder at /explorer (router/src/explorer.ts).
    explorer: { name: 'explorer', root: join(repoRoot, 'router', 'explorer'), outDir: join(repoRoot, 'router', 'explorer', 'dist') },
  };
}
