// Scenario fixtures through the real `schema:check` command: API-schema changes and client usage.
// Each scenario: the fixture store committed as the base, an edit in the working tree, one spawn.
import { afterAll, describe, expect, it } from 'vitest';
import { check, checkInProcess, edit, fixtureStore, makeRepo, removeScratch, summarize, type Store } from './support.ts';

afterAll(removeScratch);

function changed(apply: (store: Store) => void): Store {
  const store = fixtureStore();
  apply(store);
  return store;
}

describe.concurrent('schema:check on API-schema changes', () => {
  it('an unchanged tree passes with no changes', async () => {
    const { status, report, stderr } = await check(makeRepo());
    expect(status, stderr).toBe(0);
    expect(report.verdict).toBe('pass');
    expect(report.changes).toEqual([]);
    expect(report.composition.errors).toEqual([]);
    expect(report.contracts).toEqual({ public: { changes: [] } });
  });

  it('an added field is safe', async () => {
    const after = changed((s) => edit(s, 'catalog', '  description: String\n', '  description: String\n  sku: String\n'));
    const { status, report } = await check(makeRepo({ after }));
    expect(status).toBe(0);
    expect(summarize(report.changes)).toEqual([{ id: 'FIELD_ADDED:Product.sku', criticality: 'SAFE', blocking: false, subgraphs: ['catalog'] }]);
  });

  it('removing a field a client uses blocks, naming the field, the subgraph and the operations', async () => {
    const after = changed((s) => edit(s, 'catalog', '  name: String! @tag(name: "public")\n', ''));
    const { status, report } = await check(makeRepo({ after }));
    expect(status).toBe(1);
    expect(report.verdict).toBe('fail');
    expect(summarize(report.changes)).toEqual([{ id: 'FIELD_REMOVED:Product.name', criticality: 'BREAKING', blocking: true, subgraphs: ['catalog'] }]);
    const [change] = report.changes;
    expect(change!.coordinate).toBe('Product.name');
    expect(change!.usage.operations.map((o) => `${o.client}/${o.name}`).sort()).toEqual(['storefront/ProductList', 'storefront/ProductPage', 'storefront/Search']);
    expect(change!.reason).toMatch(/Breaks 3 known operations: storefront\//);
    // The field is in the public contract too: its consumers lose it as well.
    expect(summarize(report.contracts['public']!.changes)).toEqual([{ id: 'FIELD_REMOVED:Product.name', criticality: 'BREAKING', blocking: true, subgraphs: ['catalog'] }]);
  });

  it('removing a field no client uses is reported but does not block', async () => {
    const after = changed((s) => edit(s, 'catalog', '  description: String\n', ''));
    const { status, report } = await check(makeRepo({ after }));
    expect(status).toBe(0);
    expect(summarize(report.changes)).toEqual([{ id: 'FIELD_REMOVED:Product.description', criticality: 'BREAKING', blocking: false, subgraphs: ['catalog'] }]);
    expect(report.changes[0]!.reason).toMatch(/No known operation uses `Product.description`.*not blocking/);
    // `description` is not tagged public: the contract hides the change.
    expect(report.contracts['public']!.changes).toEqual([]);
  });

  it('an output field that becomes nullable breaks the clients that read it', async () => {
    const after = changed((s) => edit(s, 'catalog', 'name: String! @tag', 'name: String @tag'));
    const { status, report } = await check(makeRepo({ after }));
    expect(status).toBe(1);
    expect(summarize(report.changes)).toEqual([{ id: 'FIELD_TYPE_CHANGED:Product.name', criticality: 'BREAKING', blocking: true, subgraphs: ['catalog'] }]);
  });

  it('an output field that becomes non-null is safe', async () => {
    const after = changed((s) => edit(s, 'catalog', '  description: String\n', '  description: String!\n'));
    const { status, report } = await check(makeRepo({ after }));
    expect(status).toBe(0);
    expect(summarize(report.changes)).toEqual([{ id: 'FIELD_TYPE_CHANGED:Product.description', criticality: 'SAFE', blocking: false, subgraphs: ['catalog'] }]);
  });

  it('an input field that becomes required breaks the operations that send the input', async () => {
    const after = changed((s) => edit(s, 'reviews', '  rating: Int!\n  body: String\n}', '  rating: Int!\n  body: String!\n}'));
    const { status, report } = await check(makeRepo({ after }));
    expect(status).toBe(1);
    expect(summarize(report.changes)).toEqual([{ id: 'INPUT_FIELD_TYPE_CHANGED:AddReviewInput.body', criticality: 'BREAKING', blocking: true, subgraphs: ['reviews'] }]);
    expect(report.changes[0]!.usage.operations.map((o) => o.name)).toEqual(['AddReview']);
  });

  it('an input field that becomes optional is safe', async () => {
    const after = changed((s) => edit(s, 'catalog', '  name: String!\n  description: String\n  priceAmount', '  name: String\n  description: String\n  priceAmount'));
    const { status, report } = await check(makeRepo({ after }));
    expect(status).toBe(0);
    expect(summarize(report.changes)).toEqual([{ id: 'INPUT_FIELD_TYPE_CHANGED:CreateProductInput.name', criticality: 'SAFE', blocking: false, subgraphs: ['catalog'] }]);
  });

  it('a required argument added to a used field blocks', async () => {
    const after = changed((s) => edit(s, 'catalog', 'filter: ProductFilter)', 'filter: ProductFilter, sort: String!)'));
    const { status, report } = await check(makeRepo({ after }));
    expect(status).toBe(1);
    expect(summarize(report.changes)).toEqual([{ id: 'FIELD_ARGUMENT_ADDED:Query.products(sort:)', criticality: 'BREAKING', blocking: true, subgraphs: ['catalog'] }]);
    expect(report.changes[0]!.usage.operations.map((o) => o.name)).toEqual(['ProductList']);
  });

  it('an optional argument is dangerous at most and does not block', async () => {
    const after = changed((s) => edit(s, 'catalog', 'filter: ProductFilter)', 'filter: ProductFilter, sort: String)'));
    const { status, report } = await check(makeRepo({ after }));
    expect(status).toBe(0);
    expect(summarize(report.changes)).toEqual([{ id: 'FIELD_ARGUMENT_ADDED:Query.products(sort:)', criticality: 'DANGEROUS', blocking: false, subgraphs: ['catalog'] }]);
  });

  it('an enum value added is dangerous by default policy and never blocks', async () => {
    const after = changed((s) => edit(s, 'accounts', '  ADMIN\n', '  ADMIN\n  SUPPORT\n'));
    const { status, report } = await check(makeRepo({ after }));
    expect(status).toBe(0);
    expect(summarize(report.changes)).toEqual([{ id: 'ENUM_VALUE_ADDED:Role.SUPPORT', criticality: 'DANGEROUS', blocking: false, subgraphs: ['accounts'] }]);
  });

  it('with `policy.additions: safe` an added enum value is safe (in process)', async () => {
    const after = changed((s) => edit(s, 'accounts', '  ADMIN\n', '  ADMIN\n  SUPPORT\n'));
    const report = await checkInProcess(makeRepo({ after, committed: { 'schema/checks.yaml': 'policy:\n  additions: safe\n' } }));
    expect(report.verdict).toBe('pass');
    expect(summarize(report.changes)).toEqual([{ id: 'ENUM_VALUE_ADDED:Role.SUPPORT', criticality: 'SAFE', blocking: false, subgraphs: ['accounts'] }]);
  });

  it('an enum value removed breaks the operations that read the enum', async () => {
    const after = changed((s) => edit(s, 'accounts', '  ADMIN\n', ''));
    const { status, report } = await check(makeRepo({ after }));
    expect(status).toBe(1);
    expect(summarize(report.changes)).toEqual([{ id: 'ENUM_VALUE_REMOVED:Role.ADMIN', criticality: 'BREAKING', blocking: true, subgraphs: ['accounts'] }]);
    expect(report.changes[0]!.usage.operations.map((o) => o.name)).toEqual(['Me']);
  });

  it('a union member removed breaks the operations that select the union', async () => {
    const after = changed((s) => edit(s, 'catalog', 'union SearchResult = Product | Category', 'union SearchResult = Product'));
    const { status, report } = await check(makeRepo({ after }));
    expect(status).toBe(1);
    expect(summarize(report.changes)).toEqual([{ id: 'UNION_MEMBER_REMOVED:SearchResult:Category', criticality: 'BREAKING', blocking: true, subgraphs: ['catalog'] }]);
    expect(report.changes[0]!.usage.operations.map((o) => o.name)).toEqual(['Search']);
  });

  it('a type removed breaks the operations that name it', async () => {
    const after = changed((s) => {
      edit(s, 'catalog', 'type Category {\n  id: ID!\n  name: String!\n}\n\n', '');
      edit(s, 'catalog', 'union SearchResult = Product | Category', 'union SearchResult = Product');
    });
    const { status, report } = await check(makeRepo({ after }));
    expect(status).toBe(1);
    expect(summarize(report.changes)).toEqual([
      { id: 'TYPE_REMOVED:Category', criticality: 'BREAKING', blocking: true, subgraphs: ['catalog'] },
      { id: 'UNION_MEMBER_REMOVED:SearchResult:Category', criticality: 'BREAKING', blocking: true, subgraphs: ['catalog'] },
    ]);
  });

  it('an operation that no longer validates blocks even when no diff entry explains it (in process)', async () => {
    // The client (not the schema) changed: its new operation asks for a field that does not exist.
    const repo = makeRepo();
    const { writeFileSync, readFileSync } = await import('node:fs');
    const file = `${repo}/clients/storefront/persisted-operations.json`;
    const ops = JSON.parse(readFileSync(file, 'utf8')) as unknown[];
    writeFileSync(file, JSON.stringify([...ops, { hash: 'f'.repeat(64), name: 'ProductSku', document: 'query ProductSku { product(id: "1") { id sku } }' }]));
    const report = await checkInProcess(repo);
    expect(report.verdict).toBe('fail');
    expect(summarize(report.changes)).toEqual([{ id: 'OPERATION_INVALID:storefront/ProductSku', criticality: 'BREAKING', blocking: true, subgraphs: [] }]);
    expect(report.changes[0]!.coordinate).toBe('Product.sku');
    expect(report.changes[0]!.reason).toMatch(/Cannot query field "sku" on type "Product"/);
  });

  it('counts a subgraph that calls the router as a client: its subgraphs/<name>/persisted-operations.json is usage too', async () => {
    const repo = makeRepo();
    const { writeFileSync, readdirSync } = await import('node:fs');
    const caller = readdirSync(`${repo}/subgraphs`)[0]!;
    writeFileSync(`${repo}/subgraphs/${caller}/persisted-operations.json`, JSON.stringify([{ hash: 'e'.repeat(64), name: 'ServiceSku', document: 'query ServiceSku { product(id: "1") { id sku } }' }]));
    const report = await checkInProcess(repo);
    expect(summarize(report.changes)).toEqual([{ id: `OPERATION_INVALID:${caller}/ServiceSku`, criticality: 'BREAKING', blocking: true, subgraphs: [] }]);
  });
});

describe.concurrent('schema:check usage data', () => {
  const log = (lastSeen: string, coordinates: string[]) =>
    `${JSON.stringify({ hash: 'a'.repeat(64), name: 'AccountPage', client: 'account-app', clientVersion: '2.3.0', coordinates, count: 42, firstSeen: '2026-01-01T00:00:00Z', lastSeen })}\n`;
  const withoutEmail = () => changed((s) => edit(s, 'accounts', '  email: String\n', ''));

  it('with no usage data at all, every breaking change blocks', async () => {
    const { status, report } = await check(makeRepo({ after: withoutEmail(), storefront: false }));
    expect(status).toBe(1);
    expect(summarize(report.changes)).toEqual([{ id: 'FIELD_REMOVED:User.email', criticality: 'BREAKING', blocking: true, subgraphs: ['accounts'] }]);
    expect(report.changes[0]!.reason).toMatch(/No usage data .*every breaking change blocks/);
  });

  it('an operation from a usage log seen inside the window blocks the change', async () => {
    const repo = makeRepo({ after: withoutEmail(), working: { 'usage/router.ndjson': log('2026-11-20T08:00:00Z', ['Query.me', 'User.email']) } });
    const { status, report } = await check(repo, '--usage', `${repo}/usage`);
    expect(status).toBe(1);
    expect(report.changes[0]!.usage.operations).toEqual([
      { client: 'account-app', name: 'AccountPage', hash: 'a'.repeat(64), source: 'usage-log', clientVersion: '2.3.0', count: 42, lastSeen: '2026-11-20T08:00:00Z' },
    ]);
  });

  it('usage last seen before the window does not count (in process)', async () => {
    const repo = makeRepo({ after: withoutEmail(), working: { 'usage.ndjson': log('2026-08-01T08:00:00Z', ['Query.me', 'User.email']) } });
    const report = await checkInProcess(repo, { usagePaths: [`${repo}/usage.ndjson`] });
    expect(report.verdict).toBe('pass');
    expect(summarize(report.changes)).toEqual([{ id: 'FIELD_REMOVED:User.email', criticality: 'BREAKING', blocking: false, subgraphs: ['accounts'] }]);
    expect(report.lint.map((l) => l.message).join('\n')).toMatch(/1 usage-log entries were last seen more than 30 days ago/);
  });

  it('`policy.unusedBreakingChanges: block` blocks an unused breaking change (in process)', async () => {
    const after = changed((s) => edit(s, 'catalog', '  description: String\n', ''));
    const report = await checkInProcess(makeRepo({ after, committed: { 'schema/checks.yaml': 'policy:\n  unusedBreakingChanges: block\n' } }));
    expect(report.verdict).toBe('fail');
    expect(report.changes[0]!.blocking).toBe(true);
  });
});
