import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@store/db';

// Runs the real boundary lint (`.dependency-cruiser.cjs`) on a scratch tree laid out like the
// repository, so a violation is shown to fail, not just assumed to.
const scratch = mkdtempSync(join(tmpdir(), 'store-boundaries-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function lint(files: Record<string, string>): { status: number | null; output: string } {
  const root = mkdtempSync(join(scratch, 'tree-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { allowImportingTsExtensions: true, noEmit: true, module: 'NodeNext' } }));
  const run = spawnSync(process.execPath, [join(repoRoot, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), '--config', join(repoRoot, '.dependency-cruiser.cjs'), ...['packages', 'subgraphs', 'router', 'schema'].filter((d) => Object.keys(files).some((f) => f.startsWith(d + '/')))], {
    cwd: root,
    encoding: 'utf8',
  });
  return { status: run.status, output: run.stdout + run.stderr };
}

describe('architecture boundaries', () => {
  it('pass for a subgraph that uses shared packages only', () => {
    const result = lint({
      'packages/kit/src/index.ts': 'export const x = 1;\n',
      'subgraphs/a/src/index.ts': "import { x } from '../../../packages/kit/src/index.ts';\nexport const a = x;\n",
    });
    expect(result.output).toContain('no dependency violations');
    expect(result.status).toBe(0);
  });

  it.each([
    ['a subgraph importing another subgraph', 'subgraphs/a/src/index.ts', "import { b } from '../../b/src/index.ts';\nexport const a = b;\n", 'subgraph-imports-another-subgraph'],
    ['a subgraph importing another subgraph\'s Prisma client', 'subgraphs/a/src/index.ts', "import { C } from '../../b/generated/client.ts';\nexport const a = C;\n", 'subgraph-imports-another-subgraph'],
    ['the router importing a subgraph', 'router/src/index.ts', "import { b } from '../../subgraphs/b/src/index.ts';\nexport const r = b;\n", 'router-imports-a-subgraph'],
    ['a shared package importing a subgraph', 'packages/kit/src/index.ts', "import { b } from '../../../subgraphs/b/src/index.ts';\nexport const k = b;\n", 'package-imports-domain-code'],
  ])('fail for %s', (_label, file, text, rule) => {
    const result = lint({
      'subgraphs/b/src/index.ts': 'export const b = 1;\n',
      'subgraphs/b/generated/client.ts': 'export const C = 1;\n',
      [file]: text,
    });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(rule);
  });
});
