import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@store/db';
import { createTestDatabase, graphql, type TestDatabase } from '@store/testkit';
import { buildSubgraph } from '../src/build-subgraphs.ts';
import { runToEnd } from '../src/processes.ts';

// The compiled subgraphs (`npm run build:subgraphs`: what the Docker image and the benchmark's
// Workload 2 run) start with plain `node`, read their SDL and run Prisma's query compiler from
// the bundle against a real database. Built into a folder of its own beside subgraphs/catalog/dist,
// so a benchmark or `STORE_COMPILED=1 npm start` using dist is not disturbed.
const CATALOG_DIR = join(repoRoot, 'subgraphs', 'catalog');
const BUILD_CLI = join(repoRoot, 'packages', 'devstack', 'src', 'build-subgraphs.ts');
const outDirName = `dist-test-${process.pid}`;
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('catalog');
  const seed = await runToEnd(process.execPath, ['--import', 'tsx', 'prisma/seed.ts'], { ...process.env, DATABASE_URL: db.url }, CATALOG_DIR);
  expect(seed.code, seed.output).toBe(0);
});
afterAll(async () => {
  rmSync(join(CATALOG_DIR, outDirName), { recursive: true, force: true });
  await db?.drop();
});

/** Starts `node <entry>` on a free port; resolves with its GraphQL URL from the "listening" log line. */
function startCompiled(entry: string, env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [entry], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    const poll = setInterval(() => {
      const found = /"url":"([^"]+)"/.exec(output);
      if (found) {
        clearInterval(poll);
        resolve(found[1]!);
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(poll);
      reject(new Error(`${entry} exited (code ${code}) before listening:\n${output}`));
    });
  });
  return { child, url, exited, output: () => output };
}

describe('compiled subgraphs', () => {
  it('builds the catalog to plain JavaScript that serves health, readiness and real queries from its database', async () => {
    const { outfile } = await buildSubgraph(CATALOG_DIR, { outDirName });
    const bundle = readFileSync(outfile, 'utf8');
    // No TypeScript left to load at run time: no import of a .ts file, no tsx.
    expect(bundle).not.toMatch(/from ["'][^"']+\.ts["']/);
    expect(bundle).not.toMatch(/["']tsx["']/);
    expect(existsSync(`${outfile}.map`)).toBe(true);

    const subgraph = startCompiled(outfile, { APP_ENV: 'development', PORT: '0', DATABASE_URL: db.url, ALLOW_UNSIGNED_REQUESTS: 'on', LOG_FORMAT: 'json', LOG_LEVEL: 'info' });
    try {
      const url = await subgraph.url;
      const base = url.replace(/\/graphql$/, '');
      expect((await fetch(`${base}/health`)).status).toBe(200);
      expect((await fetch(`${base}/ready`)).status).toBe(200);
      const answer = await graphql(url, '{ products(first: 3) { totalCount edges { node { sku price { currency } category { slug } } } } }');
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.products.totalCount).toBeGreaterThan(3);
      expect(answer.data!.products.edges).toHaveLength(3);
      for (const { node } of answer.data!.products.edges) {
        expect(node.sku).toMatch(/^SKU-/);
        expect(node.price.currency).toBe('USD');
        expect(node.category.slug).toEqual(expect.any(String));
      }
      // The SDL was read from subgraphs/catalog/schema.graphql, beside the build folder.
      const sdl = await graphql(url, '{ _service { sdl } }');
      expect(sdl.data!._service.sdl).toContain('type Product');
    } finally {
      subgraph.child.kill('SIGTERM');
    }
    expect(await subgraph.exited, subgraph.output()).toBe(0);
  });

  it('fails with the file, line and a non-zero exit when a subgraph source does not parse', () => {
    // A copy of the catalog outside the repository (node_modules linked, so its imports resolve).
    const root = mkdtempSync(join(tmpdir(), 'store-build-'));
    try {
      symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'));
      const copy = join(root, 'subgraphs', 'catalog');
      for (const part of ['src', 'generated', 'schema.graphql', 'package.json']) cpSync(join(CATALOG_DIR, part), join(copy, part), { recursive: true });
      writeFileSync(join(copy, 'src', 'context.ts'), `${readFileSync(join(copy, 'src', 'context.ts'), 'utf8')}\nexport const broken = (;\n`);

      const result = spawnSync(process.execPath, ['--import', 'tsx', BUILD_CLI, copy], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, APOLLO_TELEMETRY_DISABLED: '1' } });
      expect(result.status, result.stdout + result.stderr).toBe(1);
      expect(result.stderr).toContain('subgraph catalog does not build');
      expect(result.stderr).toMatch(/\[ERROR\] Unexpected ";"\s+\S*subgraphs\/catalog\/src\/context\.ts:\d+:\d+:/);
      expect(result.stderr).toContain('1 of 1 subgraphs failed to build');
      expect(existsSync(join(copy, 'dist'))).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
