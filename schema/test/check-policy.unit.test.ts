// Scenario fixtures through the real `schema:check` command: lint, the deprecation grace period
// (read from schema/history/), approvals as code, and where the base comes from.
import { afterAll, describe, expect, it } from 'vitest';
import { check, checkInProcess, commitAll, edit, fixtureStore, makeRepo, removeScratch, summarize, writeVersion, type Store } from './support.ts';

afterAll(removeScratch);

function changed(apply: (store: Store) => void, from: Store = fixtureStore()): Store {
  const store = { ...from };
  apply(store);
  return store;
}

const withoutName = () => changed((s) => edit(s, 'catalog', '  name: String! @tag(name: "public")\n', ''));
const withoutLegacyCode = () => changed((s) => edit(s, 'catalog', '  legacyCode: String @deprecated(reason: "Use id.")\n', ''));
const approval = (id: string, expires: string) => `# approved breaking changes\napprovals:\n  - id: ${id}\n    reason: The storefront stopped reading it in release 41.\n    author: catalog-team\n    expires: ${expires}\n`;

describe.concurrent('schema:check lint', () => {
  it('a new @deprecated without a reason is a lint error', async () => {
    const after = changed((s) => edit(s, 'accounts', '  email: String\n', '  email: String @deprecated\n'));
    const { status, report } = await check(makeRepo({ after }));
    expect(status).toBe(1);
    expect(summarize(report.changes)).toEqual([{ id: 'FIELD_DEPRECATION_ADDED:User.email', criticality: 'SAFE', blocking: false, subgraphs: ['accounts'] }]);
    expect(report.lint.filter((l) => l.blocking)).toEqual([
      { id: 'lint:deprecations-have-a-reason:User.email', rule: 'deprecations-have-a-reason', severity: 'error', coordinate: 'User.email', subgraphs: ['accounts'], blocking: true, message: 'The field `User.email` is deprecated but has no deprecation reason.' },
    ]);
  });

  it('a field that breaks the naming convention is a lint error', async () => {
    const after = changed((s) => edit(s, 'catalog', '  description: String\n', '  description: String\n  unit_price: Int\n'));
    const { status, report } = await check(makeRepo({ after }));
    expect(status).toBe(1);
    expect(report.lint.filter((l) => l.blocking).map((l) => [l.rule, l.coordinate, l.subgraphs])).toEqual([['fields-are-camel-cased', 'Product.unit_price', ['catalog']]]);
  });

  it('removing a deprecated field before the grace period blocks', async () => {
    const repo = makeRepo({ after: withoutLegacyCode() });
    writeVersion(repo, 1, fixtureStore(), { publishedAt: '2026-11-10T00:00:00Z', deprecations: { 'Product.legacyCode': '2026-11-10T00:00:00Z', 'User.nickname': '2026-11-10T00:00:00Z' } });
    const { status, report } = await check(repo);
    expect(status).toBe(1);
    expect(summarize(report.changes)).toEqual([{ id: 'FIELD_REMOVED:Product.legacyCode', criticality: 'BREAKING', blocking: false, subgraphs: ['catalog'] }]);
    const [finding] = report.lint.filter((l) => l.blocking);
    expect(finding).toMatchObject({ id: 'lint:deprecated-removal-grace-period:Product.legacyCode', severity: 'error', subgraphs: ['catalog'] });
    expect(finding!.message).toBe('`Product.legacyCode` was first published as deprecated on 2026-11-10, 16 days ago: it may be removed from 2026-12-10 (grace period 30 days).');
  });

  it('removing a deprecated field after the grace period passes', async () => {
    const repo = makeRepo({ after: withoutLegacyCode() });
    writeVersion(repo, 1, fixtureStore(), { publishedAt: '2026-09-01T00:00:00Z', deprecations: { 'Product.legacyCode': '2026-09-01T00:00:00Z' } });
    const { status, report } = await check(repo);
    expect(status).toBe(0);
    expect(report.lint.find((l) => l.rule === 'deprecated-removal-grace-period')).toMatchObject({ severity: 'info', blocking: false, message: expect.stringMatching(/removed 86 days after/) });
  });

  it('removing a deprecated field that was never published as deprecated blocks (in process)', async () => {
    const report = await checkInProcess(makeRepo({ after: withoutLegacyCode() }));
    expect(report.verdict).toBe('fail');
    expect(report.lint.find((l) => l.blocking)!.message).toMatch(/no published version has it deprecated yet/);
  });
});

describe.concurrent('schema:check approvals', () => {
  it('an approval lets a breaking change through', async () => {
    const repo = makeRepo({ after: withoutName(), working: { 'schema/approvals.yaml': approval('FIELD_REMOVED:Product.name', '2026-12-31') } });
    const { status, report } = await check(repo);
    expect(status).toBe(0);
    expect(summarize(report.changes)).toEqual([{ id: 'FIELD_REMOVED:Product.name', criticality: 'BREAKING', blocking: false, subgraphs: ['catalog'] }]);
    expect(report.changes[0]!.reason).toMatch(/Approved by catalog-team until 2026-12-31: The storefront stopped reading it/);
    // The same id approves the change in the contract.
    expect(report.contracts['public']!.changes.every((c) => !c.blocking)).toBe(true);
  });

  it('an expired approval blocks again', async () => {
    const repo = makeRepo({ after: withoutName(), working: { 'schema/approvals.yaml': approval('FIELD_REMOVED:Product.name', '2026-11-01') } });
    const { status, report } = await check(repo);
    expect(status).toBe(1);
    expect(report.changes[0]!.blocking).toBe(true);
    expect(report.changes[0]!.reason).toMatch(/The approval by catalog-team expired on 2026-11-01\./);
  });
});

describe.concurrent('schema:check base', () => {
  it('with no commit to compare with, it compares with the latest published version and says so', async () => {
    const repo = makeRepo({ git: 'empty', after: withoutName() });
    writeVersion(repo, 1, fixtureStore(), { publishedAt: '2026-11-01T00:00:00Z' });
    const { status, report } = await check(repo);
    expect(status).toBe(1);
    expect(summarize(report.changes).map((c) => c.id)).toEqual(['FIELD_REMOVED:Product.name']);
    expect(report.lint.find((l) => l.rule === 'check-note')!.message).toBe('HEAD names no commit here (a first commit or a shallow clone): comparing with the latest published version, 1.');
  });

  it('--base compares with any commit', async () => {
    const repo = makeRepo({ storefront: false });
    const first = (await import('node:child_process')).execFileSync('git', ['-C', repo, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${repo}/subgraphs/catalog/schema.graphql`, withoutName()['catalog']!);
    commitAll(repo, 'remove Product.name');
    expect((await checkInProcess(repo)).changes).toEqual([]); // HEAD already has the change
    const { status, report } = await check(repo, '--base', first.slice(0, 10));
    expect(status).toBe(1);
    expect(summarize(report.changes).map((c) => c.id)).toEqual(['FIELD_REMOVED:Product.name']);
  });

  it('--from/--to diffs two published versions', async () => {
    const repo = makeRepo({ git: false });
    writeVersion(repo, 1, fixtureStore(), { publishedAt: '2026-10-01T00:00:00Z' });
    writeVersion(repo, 2, withoutName(), { publishedAt: '2026-11-01T00:00:00Z' });
    const { status, report } = await check(repo, '--from', '1', '--to', '2');
    expect(status).toBe(1);
    expect(summarize(report.changes)).toEqual([{ id: 'FIELD_REMOVED:Product.name', criticality: 'BREAKING', blocking: true, subgraphs: ['catalog'] }]);
  });
});
