// Scenario fixtures through the real `schema:check` command: the federation traps a per-subgraph
// diff gets wrong, composition failures, subgraphs coming and going, and @tag contracts.
import { afterAll, describe, expect, it } from 'vitest';
import { check, checkInProcess, edit, fixtureStore, makeRepo, removeScratch, summarize, type Store } from './support.ts';

afterAll(removeScratch);

function changed(apply: (store: Store) => void, from: Store = fixtureStore()): Store {
  const store = { ...from };
  apply(store);
  return store;
}

const OVERRIDE = (s: Store) => edit(s, 'inventory', '  inStock: Boolean!', '  description: String @override(from: "catalog")\n  inStock: Boolean!');

describe.concurrent('schema:check federation semantics', () => {
  it('moving a field to another subgraph with @override changes nothing for clients', async () => {
    const { status, report } = await check(makeRepo({ after: changed(OVERRIDE) }));
    expect(status).toBe(0);
    expect(report.changes).toEqual([]);
  });

  it('deleting the overridden copy afterwards changes nothing either', async () => {
    const before = changed(OVERRIDE);
    const after = changed((s) => edit(s, 'catalog', '  description: String\n  price', '  price'), before);
    const { status, report } = await check(makeRepo({ before, after }));
    expect(status).toBe(0);
    expect(report.changes).toEqual([]);
  });

  it('@inaccessible on a used field removes it from the API: breaking, caused by that subgraph', async () => {
    const after = changed((s) => edit(s, 'catalog', 'name: String! @tag(name: "public")', 'name: String! @tag(name: "public") @inaccessible'));
    const { status, report } = await check(makeRepo({ after }));
    expect(status).toBe(1);
    expect(summarize(report.changes)).toEqual([{ id: 'FIELD_REMOVED:Product.name', criticality: 'BREAKING', blocking: true, subgraphs: ['catalog'] }]);
  });

  it('relaxing a @shareable field in one subgraph relaxes the composed type: breaking', async () => {
    const after = changed((s) => edit(s, 'inventory', '  currency: String!', '  currency: String'));
    const { status, report } = await check(makeRepo({ after }));
    expect(status).toBe(1);
    expect(summarize(report.changes)).toEqual([{ id: 'FIELD_TYPE_CHANGED:Money.currency', criticality: 'BREAKING', blocking: true, subgraphs: ['inventory'] }]);
    expect(report.changes[0]!.usage.operations.map((o) => o.name)).toEqual(['ProductPage']);
  });

  it('removing @shareable fails composition: a hard stop that no approval overrides', async () => {
    const after = changed((s) => edit(s, 'catalog', 'type Money @shareable @tag(name: "public")', 'type Money @tag(name: "public")'));
    const approvals = ['INVALID_FIELD_SHARING', 'FIELD_REMOVED:Money.amount']
      .map((id) => `  - id: ${id}\n    reason: we accept it\n    author: someone\n    expires: 2099-01-01\n`)
      .join('');
    const { status, report } = await check(makeRepo({ after, working: { 'schema/approvals.yaml': `approvals:\n${approvals}` } }));
    expect(status).toBe(1);
    expect(report.verdict).toBe('fail');
    expect(report.changes).toEqual([]);
    expect(report.composition.errors.length).toBeGreaterThan(0);
    expect(report.composition.errors[0]).toMatchObject({ code: 'INVALID_FIELD_SHARING', coordinates: expect.arrayContaining(['Money.amount']) });
    expect(report.composition.errors[0]!.subgraphs).toEqual(expect.arrayContaining(['catalog', 'inventory']));
  });

  it('changing a @key so that other subgraphs cannot reach the entity fails composition', async () => {
    const after = changed((s) => edit(s, 'catalog', 'type Product @key(fields: "id") {\n  id: ID! @tag(name: "public")', 'type Product @key(fields: "sku") {\n  id: ID! @tag(name: "public")\n  sku: String!'));
    const { status, report } = await check(makeRepo({ after }));
    expect(status).toBe(1);
    // `id` is no longer a key field in catalog, so catalog and the subgraphs keyed on it now both
    // resolve it without @shareable.
    expect(report.composition.errors[0]).toMatchObject({ code: 'INVALID_FIELD_SHARING', coordinates: ['Product.id'] });
    expect(report.composition.errors[0]!.subgraphs).toEqual(expect.arrayContaining(['catalog', 'reviews']));
    expect(report.changes).toEqual([]);
  });

  it('a new subgraph adds types and fields, attributed to it', async () => {
    const shipping = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])

type Query {
  shippingZones: [ShippingZone!]!
}

type ShippingZone {
  code: String!
  name: String!
}
`;
    const { status, report } = await check(makeRepo({ after: { ...fixtureStore(), shipping } }));
    expect(status).toBe(0);
    expect(summarize(report.changes)).toEqual([
      { id: 'FIELD_ADDED:Query.shippingZones', criticality: 'SAFE', blocking: false, subgraphs: ['shipping'] },
      { id: 'TYPE_ADDED:ShippingZone', criticality: 'SAFE', blocking: false, subgraphs: ['shipping'] },
    ]);
  });

  it('removing a whole subgraph removes its fields: breaking where used', async () => {
    const { status, report } = await check(makeRepo({ after: { ...fixtureStore(), inventory: undefined } }));
    expect(status).toBe(1);
    expect(summarize(report.changes)).toEqual([
      { id: 'FIELD_REMOVED:Product.inStock', criticality: 'BREAKING', blocking: true, subgraphs: ['inventory'] },
      { id: 'FIELD_REMOVED:Product.shipping', criticality: 'BREAKING', blocking: false, subgraphs: ['inventory'] },
    ]);
    expect(report.changes.find((c) => c.coordinate === 'Product.inStock')!.usage.operations.map((o) => o.name)).toEqual(['ProductPage']);
  });
});

describe.concurrent('schema:check contracts', () => {
  it('untagging a field removes it from the public contract only', async () => {
    const after = changed((s) => edit(s, 'catalog', 'price: Money! @tag(name: "public")', 'price: Money!'));
    const { status, report } = await check(makeRepo({ after }));
    expect(status).toBe(1);
    expect(report.changes).toEqual([]);
    // Money is no longer reachable from the contract's root fields, so it leaves the contract too.
    expect(summarize(report.contracts['public']!.changes)).toEqual([
      { id: 'FIELD_REMOVED:Product.price', criticality: 'BREAKING', blocking: true, subgraphs: ['catalog'] },
      { id: 'TYPE_REMOVED:Money', criticality: 'BREAKING', blocking: true, subgraphs: ['catalog', 'inventory'] },
    ]);
    // No client is declared for the contract: its consumers are unknown, so it blocks.
    expect(report.contracts['public']!.changes[0]!.reason).toMatch(/No usage data/);
  });

  it('a contract hides changes to fields it does not expose', async () => {
    const after = changed((s) => edit(s, 'accounts', '  role: Role!\n', '  role: Role\n'));
    const { status, report } = await check(makeRepo({ after, committed: { 'schema/checks.yaml': 'contracts:\n  public:\n    include: [public]\n  everything-but-internal:\n    exclude: [internal]\n' } }));
    expect(status).toBe(1);
    expect(summarize(report.changes)).toEqual([{ id: 'FIELD_TYPE_CHANGED:User.role', criticality: 'BREAKING', blocking: true, subgraphs: ['accounts'] }]);
    expect(report.contracts['public']!.changes).toEqual([]);
    expect(summarize(report.contracts['everything-but-internal']!.changes)).toEqual([{ id: 'FIELD_TYPE_CHANGED:User.role', criticality: 'BREAKING', blocking: true, subgraphs: ['accounts'] }]);
  });

  it("a contract's declared clients are its usage data (in process)", async () => {
    const after = changed((s) => edit(s, 'accounts', '  id: ID! @tag(name: "public")\n  name: String! @tag(name: "public")', '  id: ID! @tag(name: "public")\n  name: String!'));
    const config = 'contracts:\n  public:\n    include: [public]\n    clients: [storefront]\n';
    const report = await checkInProcess(makeRepo({ after, committed: { 'schema/checks.yaml': config } }));
    expect(report.verdict).toBe('fail');
    const [change] = report.contracts['public']!.changes;
    expect(change).toMatchObject({ id: 'FIELD_REMOVED:User.name', blocking: true, subgraphs: ['accounts'] });
    expect(change!.usage.operations.map((o) => o.name).sort()).toEqual(['Me', 'ProductPage']);
  });
});
