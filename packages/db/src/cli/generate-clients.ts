// Runs `prisma generate` for every subgraph that has a Prisma schema (root `postinstall`).
// Prisma 7's CLI insists on resolving a schema engine binary even for `generate`, which never
// uses it; the download is impossible here, so we point it at an existing file (VERSIONS.md).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../../..');
const require = createRequire(import.meta.url);
const prismaCli = require.resolve('prisma/build/index.js');
const subgraphsDir = join(root, 'subgraphs');

let failed = 0;
for (const name of readdirSync(subgraphsDir).sort()) {
  const dir = join(subgraphsDir, name);
  if (!existsSync(join(dir, 'prisma', 'schema.prisma'))) continue;
  const result = spawnSync(process.execPath, [prismaCli, 'generate', '--config', join(dir, 'prisma.config.ts')], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
    },
  });
  if (result.status === 0) {
    process.stdout.write(`prisma client generated for ${name}\n`);
  } else {
    failed++;
    process.stderr.write(`prisma generate failed for ${name} (exit ${result.status}):\n${result.stdout}${result.stderr}\n`);
  }
}
process.exit(failed === 0 ? 0 : 1);
