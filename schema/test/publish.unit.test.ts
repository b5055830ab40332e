// `schema:publish` through the real command: numbered versions with their change lists,
// schema/CHANGELOG.md, the committed supergraph via `npm run compose`, and `--from/--to` on them.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { VersionRecord } from '../src/history.ts';
import { check, edit, fixtureStore, makeRepo, removeScratch, runCli } from './support.ts';

afterAll(removeScratch);

const record = (repo: string, version: number) => JSON.parse(readFileSync(join(repo, 'schema', 'history', String(version).padStart(4, '0'), 'version.json'), 'utf8')) as VersionRecord;

describe('schema:publish', () => {
  it('publishes numbered versions with their changes, the changelog and the composed schema', async () => {
    const repo = makeRepo();
    const first = await runCli('publish-cli.ts', ['--repo', repo, '--now', '2026-10-01T09:00:00.000Z']);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^published version 1 → schema\/history\/0001 \(0 changes\); schema\/CHANGELOG\.md regenerated$/m);
    expect(record(repo, 1)).toMatchObject({
      version: 1,
      publishedAt: '2026-10-01T09:00:00.000Z',
      subgraphs: ['accounts', 'catalog', 'inventory', 'reviews'],
      changes: [],
      deprecations: { 'Product.legacyCode': '2026-10-01T09:00:00.000Z', 'User.nickname': '2026-10-01T09:00:00.000Z' },
    });
    expect(record(repo, 1).commit).toMatch(/^[0-9a-f]{40}$/);
    expect(readFileSync(join(repo, 'schema', 'history', '0001', 'subgraphs', 'catalog.graphql'), 'utf8')).toBe(fixtureStore()['catalog']);
    // `npm run compose` wrote the committed files.
    expect(readFileSync(join(repo, 'schema', 'supergraph.graphql'), 'utf8')).toContain('join__Graph');
    expect(readFileSync(join(repo, 'schema', 'api.graphql'), 'utf8')).toBe(readFileSync(join(repo, 'schema', 'history', '0001', 'api.graphql'), 'utf8'));

    const again = await runCli('publish-cli.ts', ['--repo', repo, '--now', '2026-10-02T09:00:00.000Z']);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/nothing to publish: the subgraphs are those of version 1/);

    const store = fixtureStore();
    edit(store, 'catalog', '  description: String\n', '  sku: String\n');
    writeFileSync(join(repo, 'subgraphs', 'catalog', 'schema.graphql'), store['catalog']!);
    const second = await runCli('publish-cli.ts', ['--repo', repo, '--now', '2026-11-01T09:00:00.000Z']);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/published version 2 → schema\/history\/0002 \(2 changes, 1 breaking\)/);
    const v2 = record(repo, 2);
    expect(v2.changes.map((c) => [c.id, c.criticality, c.subgraphs])).toEqual([
      ['FIELD_REMOVED:Product.description', 'BREAKING', ['catalog']],
      ['FIELD_ADDED:Product.sku', 'SAFE', ['catalog']],
    ]);
    // A deprecation keeps the date it was first published with: the grace period counts from it.
    expect(v2.deprecations['Product.legacyCode']).toBe('2026-10-01T09:00:00.000Z');

    const changelog = readFileSync(join(repo, 'schema', 'CHANGELOG.md'), 'utf8');
    expect(changelog.indexOf('## Version 2 — 2026-11-01')).toBeLessThan(changelog.indexOf('## Version 1 — 2026-10-01'));
    expect(changelog).toContain("- **breaking** `Product.description` (catalog): Field 'description' was removed from object type 'Product'");
    expect(changelog).toContain('First published version: 4 subgraphs (accounts, catalog, inventory, reviews).');

    const diff = await check(repo, '--from', '1', '--to', '2');
    expect(diff.status).toBe(0);
    expect(diff.report.changes.map((c) => c.id)).toEqual(['FIELD_REMOVED:Product.description', 'FIELD_ADDED:Product.sku']);
  });

  it('refuses to publish subgraphs that do not compose', async () => {
    const store = fixtureStore();
    edit(store, 'catalog', 'type Money @shareable @tag(name: "public")', 'type Money @tag(name: "public")');
    const repo = makeRepo({ after: store });
    const run = await runCli('publish-cli.ts', ['--repo', repo]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/composition failed with \d+ error\(s\):\n {2}INVALID_FIELD_SHARING \[catalog, inventory\]/);
    expect(existsSync(join(repo, 'schema', 'history'))).toBe(false);
  });
});
