// `npm run build:subgraphs [-- <name or folder>...]`: each subgraph's src/index.ts as plain
// JavaScript in subgraphs/<name>/dist/index.js (gitignored), run with `node subgraphs/<name>/dist/index.js`
// — no TypeScript loader in the running process (tsx's resolver otherwise runs on every
// `require` Apollo Server makes per request, and the loader costs memory). The Docker image and
// `STORE_COMPILED=1 npm start` (the benchmark's Workload 2) run these. Everything is bundled, npm
// packages and the subgraph's generated Prisma client too (its WASM query compiler is an inlined
// base64 module, nothing is read beside the file); `--external-packages` leaves node_modules out
// (measured on the catalog: the same idle RSS, about 161 MiB after a first query, and it starts
// listening later, 0.4–0.5 s against 0.2–0.3 s). Unlike the router's, the entry needs no
// telemetry guard imported first: a subgraph loads @apollo/server, not @apollo/gateway, whose
// constructor is what starts a usage exporter.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, formatMessagesSync, type BuildFailure, type Message, type Metafile, type Plugin } from 'esbuild';
import { listSubgraphDirs } from '@store/core';

const REPO_ROOT = resolve(import.meta.dirname, '../../..');
const BUILD_SCRIPT = relative(REPO_ROOT, fileURLToPath(import.meta.url));
/** Beside src/, so `new URL('..', import.meta.url)` in src/*.ts still names the subgraph folder once bundled. */
export const DEFAULT_OUT_DIR_NAME = 'dist';
/** When the last build started and the files it bundled, to tell whether it is stale. */
const INPUTS_FILE = 'inputs.json';
interface BuildRecord {
  /** Before esbuild read anything: a file saved during the build counts as newer than it. */
  startedAtMs: number;
  inputs: string[];
}

export interface SubgraphBuildOptions {
  /** Leave npm packages as imports resolved from node_modules at run time. */
  externalPackages?: boolean;
  /** A folder directly inside the subgraph's folder (default `dist`); tests use their own. */
  outDirName?: string;
}

export interface SubgraphBuild {
  name: string;
  outfile: string;
  bytes: number;
}

/** The subgraphs that run a server (`src/index.ts`) under a subgraphs folder. */
export function buildableSubgraphs(subgraphsRoot = join(REPO_ROOT, 'subgraphs')): { name: string; dir: string }[] {
  return listSubgraphDirs(subgraphsRoot).filter((s) => existsSync(entryOf(s.dir)));
}

const entryOf = (dir: string) => join(dir, 'src', 'index.ts');
export const compiledEntryOf = (dir: string, outDirName = DEFAULT_OUT_DIR_NAME) => join(dir, outDirName, 'index.js');

/** With externalPackages: bare imports (npm packages) stay external, except the workspaces. */
const externalNodeModules: Plugin = {
  name: 'external-node-modules',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@store/') || args.path.startsWith('node:')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/**
 * Bundles one subgraph. The output goes to a scratch folder beside the final one and then replaces
 * it, so a process started meanwhile never loads half a build; when two builds race, both are the
 * same and the last rename wins.
 */
export async function buildSubgraph(dir: string, options: SubgraphBuildOptions = {}): Promise<SubgraphBuild> {
  const name = basename(dir);
  const outDir = join(dir, options.outDirName ?? DEFAULT_OUT_DIR_NAME);
  const scratch = `${outDir}.tmp-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const startedAtMs = Date.now();
  let metafile: Metafile;
  try {
    metafile = await bundle(name, dir, join(scratch, 'index.js'), options.externalPackages ?? false);
    checkFileRelativeUrls(name, dir, Object.keys(metafile.inputs).filter((file) => !file.includes('node_modules/')));
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
  const record: BuildRecord = { startedAtMs, inputs: inputsOf(metafile) };
  writeFileSync(join(scratch, INPUTS_FILE), `${JSON.stringify(record, null, 1)}\n`);
  replaceFolder(scratch, outDir);
  const outfile = join(outDir, 'index.js');
  return { name, outfile, bytes: statSync(outfile).size };
}

function replaceFolder(scratch: string, outDir: string): void {
  rmSync(outDir, { recursive: true, force: true });
  try {
    renameSync(scratch, outDir);
  } catch (error) {
    // Another build (a second launcher) put the same build there between our rm and rename.
    rmSync(scratch, { recursive: true, force: true });
    if (!existsSync(join(outDir, 'index.js'))) throw error;
  }
}

async function bundle(name: string, dir: string, outfile: string, externalPackages: boolean): Promise<Metafile> {
  const source = relative(REPO_ROOT, entryOf(dir));
  try {
    const result = await build({
      absWorkingDir: REPO_ROOT,
      entryPoints: [entryOf(dir)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // Readable stacks and CPU profiles; the file's size does not matter at run time.
      minify: false,
      sourcemap: 'linked',
      legalComments: 'none',
      metafile: true,
      // Errors are thrown below (with the subgraph's name), warnings printed here.
      logLevel: 'silent',
      plugins: externalPackages ? [externalNodeModules] : [],
      // Bundled CommonJS packages still call require() for Node's own modules (and ioredis, loaded on use).
      banner: { js: `// Built by \`npm run build:subgraphs\` from ${source}: do not edit.\nimport { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);` },
    });
    if (result.warnings.length) process.stderr.write(`subgraph ${name}: ${formatted(result.warnings, 'warning')}`);
    return result.metafile!;
  } catch (error) {
    const errors = (error as Partial<BuildFailure>).errors;
    if (!errors?.length) throw error;
    throw new Error(`subgraph ${name} does not build (${source}); fix these and build again with npm run build:subgraphs:\n${formatted(errors, 'error')}`);
  }
}

function formatted(messages: Message[], kind: 'error' | 'warning'): string {
  return formatMessagesSync(messages, { kind, color: false }).join('');
}

/**
 * In the bundle `import.meta.url` is subgraphs/<name>/dist/index.js: a path built from it is right
 * only in a file that sits directly in that subgraph's src/ (the same depth). Anywhere else it
 * would point elsewhere once compiled, so the build refuses it.
 */
function checkFileRelativeUrls(name: string, dir: string, inputs: string[]): void {
  const ownSrc = relative(REPO_ROOT, join(dir, 'src'));
  for (const input of inputs) {
    if (!input.endsWith('.ts') || dirname(input) === ownSrc) continue;
    if (/new URL\([^)]*import\.meta\.url/.test(readFileSync(join(REPO_ROOT, input), 'utf8'))) {
      throw new Error(`subgraph ${name}: ${input} resolves a path against import.meta.url, which is ${relative(REPO_ROOT, dir)}/dist/index.js once bundled: move that to a file directly in ${ownSrc}, or pass the path in`);
    }
  }
}

function inputsOf(metafile: Metafile): string[] {
  // The lockfile stands for the bundled packages: an install that changes them makes the build stale.
  return [...Object.keys(metafile.inputs).filter((file) => !file.includes('node_modules/')), 'package-lock.json', BUILD_SCRIPT];
}

/**
 * Why the subgraph's build is missing or older than the sources it was built from (a changed or a
 * new file among its inputs, or the lockfile), or undefined when it is up to date.
 */
export function subgraphBuildStale(dir: string, outDirName = DEFAULT_OUT_DIR_NAME): string | undefined {
  let record: BuildRecord;
  try {
    statSync(compiledEntryOf(dir, outDirName));
    record = JSON.parse(readFileSync(join(dir, outDirName, INPUTS_FILE), 'utf8')) as BuildRecord;
    if (!Array.isArray(record.inputs) || typeof record.startedAtMs !== 'number') return 'no build record';
  } catch {
    return 'no build';
  }
  for (const input of record.inputs) {
    let modified: number;
    try {
      modified = statSync(join(REPO_ROOT, input)).mtimeMs;
    } catch {
      return `${input} is gone`;
    }
    if (modified >= record.startedAtMs) return `${input} changed`;
  }
  return undefined;
}

/** Builds the subgraph unless its build is current; `reason` says why it was (re)built. */
export async function ensureSubgraphBuilt(dir: string): Promise<{ built: boolean; reason?: string }> {
  const reason = subgraphBuildStale(dir);
  if (!reason) return { built: false };
  await buildSubgraph(dir);
  return { built: true, reason };
}

/** `catalog` is subgraphs/catalog; anything with a slash is a subgraph folder (relative to the working directory). */
function subgraphDirsFrom(args: string[]): string[] {
  if (!args.length) return buildableSubgraphs().map((s) => s.dir);
  return args.map((arg) => {
    const dir = arg.includes('/') ? resolve(arg) : join(REPO_ROOT, 'subgraphs', arg);
    if (!existsSync(entryOf(dir))) throw new Error(`${arg}: no subgraph server at ${entryOf(dir)}; name a folder of subgraphs/ with src/index.ts`);
    return dir;
  });
}

async function main(argv: string[]): Promise<number> {
  const externalPackages = argv.includes('--external-packages');
  const dirs = subgraphDirsFrom(argv.filter((arg) => !arg.startsWith('--')));
  const results = await Promise.allSettled(dirs.map((dir) => buildSubgraph(dir, { externalPackages })));
  let failed = 0;
  for (const result of results) {
    if (result.status === 'fulfilled') {
      process.stdout.write(`subgraph ${result.value.name} built: ${relative(process.cwd(), result.value.outfile)} (${Math.round(result.value.bytes / 1024)} KiB)\n`);
    } else {
      failed++;
      process.stderr.write(`${(result.reason as Error).message}\n`);
    }
  }
  if (failed) process.stderr.write(`build:subgraphs: ${failed} of ${dirs.length} subgraphs failed to build\n`);
  return failed ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`build:subgraphs: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
