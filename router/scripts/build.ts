// `npm run build:router`: router/src/index.ts as plain JavaScript in router/dist/ (gitignored), run
// with `node router/dist/index.js` — no TypeScript loader in the running process. Everything is
// bundled, npm packages too: measured on Workload 1 it idles about 5 MiB smaller than the same
// build with node_modules left external (`-- --external-packages`), see bench/README.md.
import { mkdirSync, rmSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';

export const ROUTER_DIR = fileURLToPath(new URL('../', import.meta.url));
const REPO_ROOT = join(ROUTER_DIR, '..');
export const ENTRY = join(ROUTER_DIR, 'src/index.ts');
/** Kept at the depth of router/src so `new URL('../explorer/dist/', import.meta.url)` still resolves. */
export const OUTFILE = join(ROUTER_DIR, 'dist/index.js');
/** The bundled input files of the last build, to tell whether it is stale. */
const INPUTS_FILE = join(ROUTER_DIR, 'dist/inputs.json');

/** With --external-packages: bare imports (npm packages) stay external, except the workspaces. */
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
 * ESM evaluates a file's imports before its body, and a bundle's `import` statements all come
 * first: with --external-packages, `import './no-telemetry.ts'` bundled in would run after the
 * Apollo packages are loaded. So the entry is a two-line file that imports the telemetry guard,
 * then the router bundle, whichever way the packages are built.
 */
const ENTRY_SOURCE = `// Built by \`npm run build:router\` from router/src/index.ts: do not edit.
import './no-telemetry.js';
import './router.js';
`;

export interface RouterBuildOptions {
  externalPackages?: boolean;
  /** Default router/dist. Elsewhere, keep it directly inside router/ (paths resolve from there). */
  outDir?: string;
}

export async function buildRouter(options: RouterBuildOptions = {}): Promise<{ outfile: string; bytes: number }> {
  const outDir = options.outDir ?? dirname(OUTFILE);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const common: BuildOptions = {
    absWorkingDir: REPO_ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Readable stacks and CPU profiles; the file's size does not matter at run time.
    minify: false,
    sourcemap: 'linked',
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    plugins: options.externalPackages ? [externalNodeModules] : [],
    // Bundled CommonJS packages still call require() for Node's own modules (and ioredis, loaded on use).
    banner: { js: "// Built by `npm run build:router` from router/src: do not edit.\nimport { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
  };
  await build({ ...common, entryPoints: [join(ROUTER_DIR, 'src/no-telemetry.ts')], outfile: join(outDir, 'no-telemetry.js') });
  const result = await build({ ...common, entryPoints: [ENTRY], outfile: join(outDir, 'router.js') });
  checkFileRelativeUrls(Object.keys(result.metafile!.inputs).filter((file) => !file.includes('node_modules/')));
  writeFileSync(join(outDir, 'index.js'), ENTRY_SOURCE);
  writeFileSync(join(outDir, 'inputs.json'), `${JSON.stringify(inputsOf(result.metafile!))}\n`);
  return { outfile: join(outDir, 'index.js'), bytes: statSync(join(outDir, 'router.js')).size };
}

/**
 * In the bundle `import.meta.url` is router/dist/router.js: a path built from it is right only in
 * a file that sits directly in router/src (the same depth). Anywhere else it would point elsewhere
 * once compiled, so the build refuses it.
 */
function checkFileRelativeUrls(inputs: string[]): void {
  for (const input of inputs) {
    if (!input.endsWith('.ts') || dirname(input) === 'router/src') continue;
    if (/new URL\([^)]*import\.meta\.url/.test(readFileSync(join(REPO_ROOT, input), 'utf8'))) {
      throw new Error(`${input} resolves a path against import.meta.url, which is router/dist/router.js once bundled: move that to a file directly in router/src, or pass the path in`);
    }
  }
}

function inputsOf(metafile: Metafile): string[] {
  // The lockfile stands for the bundled packages: an install that changes them makes the build stale.
  return [...Object.keys(metafile.inputs).filter((file) => !file.includes('node_modules/')), 'package-lock.json', 'router/scripts/build.ts'];
}

/**
 * Why the build at router/dist is missing or older than the sources it was built from (a changed
 * or a new file under router/src or packages/*\/src, or the lockfile), or undefined when it is up to date.
 */
export function routerBuildStale(): string | undefined {
  let built: number;
  let inputs: string[];
  try {
    built = statSync(OUTFILE).mtimeMs;
    inputs = JSON.parse(readFileSync(INPUTS_FILE, 'utf8')) as string[];
  } catch {
    return 'no build';
  }
  for (const input of inputs) {
    let modified: number;
    try {
      modified = statSync(join(REPO_ROOT, input)).mtimeMs;
    } catch {
      return `${input} is gone`;
    }
    if (modified > built) return `${input} changed`;
  }
  return undefined;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { outfile, bytes } = await buildRouter({ externalPackages: process.argv.includes('--external-packages') });
  process.stdout.write(`router built: ${relative(process.cwd(), outfile)} (${Math.round(bytes / 1024)} KiB); run it with node ${relative(process.cwd(), outfile)}\n`);
}
