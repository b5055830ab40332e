// The human reports through the real command: the markdown PR comment CI prints and the terminal
// text, on the acceptance case (a commit removes a field a client app uses).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commitAll, edit, fixtureStore, makeRepo, NOW, removeScratch, runCli, writeVersion } from './support.ts';

afterAll(removeScratch);

function commitRemovingProductName(): string {
  const repo = makeRepo();
  const store = fixtureStore();
  edit(store, 'catalog', '  name: String! @tag(name: "public")\n', '');
  edit(store, 'accounts', '  ADMIN\n', '  ADMIN\n  SUPPORT\n');
  writeFileSync(join(repo, 'subgraphs', 'catalog', 'schema.graphql'), store['catalog']!);
  writeFileSync(join(repo, 'subgraphs', 'accounts', 'schema.graphql'), store['accounts']!);
  commitAll(repo, 'catalog: drop Product.name');
  return repo;
}

describe.concurrent('schema:check reports', () => {
  it('markdown for CI names the field, the subgraph and the operations that break', async () => {
    const repo = commitRemovingProductName();
    const run = await runCli('check-cli.ts', ['--repo', repo, '--base', 'HEAD~1', '--format', 'markdown', '--now', NOW]);
    expect(run.status).toBe(1);
    const md = run.stdout;
    expect(md).toMatch(/^### ❌ Schema check blocked: 2 blocking items$/m);
    expect(md).toMatch(/^working tree vs `HEAD~1 \([0-9a-f]{12}\)` · 4 subgraphs · 5 operations from 1 client$/m);
    expect(md).toContain("| ⛔ | `FIELD_REMOVED` | `Product.name` | catalog | Field 'name' was removed from object type 'Product'. Operations: **storefront/ProductList**, **storefront/ProductPage**, **storefront/Search**. |");
    expect(md).toContain('**Contract `public`**: 1 change');
    expect(md).toMatch(/<details><summary>1 non-blocking change<\/summary>[\s\S]*`ENUM_VALUE_ADDED` \| `Role.SUPPORT` \| accounts/);
    expect(md).toContain('```yaml\napprovals:\n  - id: FIELD_REMOVED:Product.name\n');
  });

  it('text for a terminal groups the changes by subgraph', async () => {
    const repo = commitRemovingProductName();
    const run = await runCli('check-cli.ts', ['--repo', repo, '--base', 'HEAD~1', '--now', NOW]);
    expect(run.status).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('schema check: FAIL (2 blocking)');
    const api = lines.indexOf('API schema: 2 changes');
    expect(lines.slice(api, api + 7)).toEqual([
      'API schema: 2 changes',
      '  accounts',
      '    ! DANGEROUS ENUM_VALUE_ADDED:Role.SUPPORT',
      expect.stringMatching(/^ {8}Enum value 'SUPPORT' was added to enum 'Role'\. Dangerous, does not block/),
      '  catalog',
      '    ✖ BREAKING  FIELD_REMOVED:Product.name',
      expect.stringMatching(/^ {8}Field 'name' was removed .* Breaks 3 known operations: storefront\/ProductList, storefront\/ProductPage, storefront\/Search\.$/),
    ]);
  });

  it('HEAD~1 in a clone without a parent commit falls back to the latest published version', async () => {
    const repo = makeRepo();
    writeVersion(repo, 1, fixtureStore(), { publishedAt: '2026-11-01T00:00:00Z' });
    const run = await runCli('check-cli.ts', ['--repo', repo, '--base', 'HEAD~1', '--format', 'markdown', '--now', NOW]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('> HEAD~1 names no commit here (a first commit or a shallow clone): comparing with the latest published version, 1.');
    expect(run.stdout).toContain('No change to the API schema.');
  });
});
