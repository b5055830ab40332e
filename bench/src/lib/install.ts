import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR } from './root.ts';

/** bench/ is its own npm project (not a workspace): installed here on first use, from its lockfile. */
export function ensureBenchInstalled(): void {
  const needed = ['autocannon', '@graphql-hive/gateway'];
  if (needed.every((name) => existsSync(join(BENCH_DIR, 'node_modules', name, 'package.json')))) return;
  process.stderr.write('[bench] installing the benchmark tools into bench/node_modules (first run only; Hive Gateway is about 500 MB)…\n');
  const result = spawnSync('npm', ['install', '--prefix', BENCH_DIR, '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`npm install --prefix bench failed (exit ${result.status})`);
}
