// The schema-change scenario matrix: 77 changes a demanding user makes to a federated schema, and
// the verdict each must get (blocks / warns: passes but reports a DANGEROUS or an unused BREAKING
// change / passes). The reference is GraphQL Inspector's criticality levels and Apollo's and Hive's
// schema checks, federation-aware: the composed API schema is what counts.
//
// Every scenario is a small edit of one extended fixture store (the store of test/fixtures plus an
// interface, an executable directive, an input-only enum, an @inaccessible field and a second
// client app), so the base composes once. The matrix runs `checkSchemaChanges` in process (what the
// command runs, without a process start per scenario); the command's own contract (exit codes,
// file:line, text report, approvals file) is checked through the real command at the end.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckReport, ReportedChange } from '../src/check.ts';
import { check, checkInProcess, edit, fixtureStore, makeRepo, removeScratch, runCli, writeVersion, NOW, type Store } from './support.ts';

afterAll(removeScratch);

const DIRECTIVE = 'directive @lowercase(locale: String) on FIELD\n';

/** The fixture store plus what the scenarios need: Node, @lowercase, SortOrder, an internal field. */
function baseStore(): Store {
  const store = fixtureStore();
  for (const name of Object.keys(store)) store[name] = `${store[name]}\n${DIRECTIVE}`;
  edit(store, 'catalog', '  search(term: String!): [SearchResult!]!\n', '  search(term: String!): [SearchResult!]!\n  node(id: ID!): Node\n  sorted(order: SortOrder = ASC): [Product!]!\n');
  edit(store, 'catalog', 'type Category {', 'interface Node {\n  id: ID!\n}\n\n"Only ever sent: no field returns it."\nenum SortOrder {\n  ASC\n  DESC\n}\n\ntype Category implements Node {');
  edit(store, 'catalog', '  legacyCode:', '  internalCost: Int @inaccessible\n  legacyCode:');
  edit(store, 'catalog', '  minPrice: Int\n', '  minPrice: Int = 0\n');
  return store;
}

/** A second client app: what the storefront does not use. */
const ADMIN_OPERATIONS = JSON.stringify([
  { hash: 'b'.repeat(64), name: 'AdminNode', document: 'query AdminNode($id: ID!) { node(id: $id) { id ... on Category { name @lowercase(locale: "en") } } }' },
  { hash: 'c'.repeat(64), name: 'Legacy', document: 'query Legacy { product(id: "1") { id legacyCode } }' },
  { hash: 'd'.repeat(64), name: 'AdminSorted', document: 'query AdminSorted { sorted { id } }' },
]);

const usageLine = (lastSeen: string, coordinates: string[]) =>
  `${JSON.stringify({ hash: 'a'.repeat(64), name: 'AccountPage', client: 'account-app', clientVersion: '2.3.0', coordinates, count: 42, firstSeen: '2026-01-01T00:00:00Z', lastSeen })}\n`;

type Verdict = 'blocks' | 'warns' | 'passes';

interface Scenario {
  name: string;
  /** Edits of the base store for this scenario's base (default: the base store as is). */
  before?: (s: Store) => void;
  /** Edits of the scenario's base for the working tree. */
  after?: (s: Store) => void;
  /** Client apps: storefront and admin (default), or none. */
  clients?: boolean;
  /** A usage log (NDJSON) given with --usage. */
  usage?: string;
  /** schema/checks.yaml of the base commit (default: none, the default policy). */
  config?: string;
  /** Files of the working tree (approvals, …). */
  working?: Record<string, string>;
  /** Published versions, for the deprecation grace period. */
  history?: (repo: string, before: Store) => void;
  verdict: Verdict;
  /** API-schema changes as `<id> <criticality>[ blocking]`. */
  changes: string[];
  /** Changes of the public contract (default: none). */
  contract?: string[];
  /** Composition error codes (default: none). */
  composition?: string[];
  /** Blocking lint rules (default: none). */
  lint?: string[];
  /** Operations a change names (by change id → `client/name`s). */
  operations?: Record<string, string[]>;
}

const line = (c: ReportedChange) => `${c.id} ${c.criticality}${c.blocking ? ' blocking' : ''}`;

function verdictOf(report: CheckReport): Verdict {
  if (report.verdict === 'fail') return 'blocks';
  const all = [...report.changes, ...Object.values(report.contracts).flatMap((c) => c.changes)];
  return all.some((c) => c.criticality !== 'SAFE') ? 'warns' : 'passes';
}

const remove = (subgraph: string, text: string | RegExp) => (s: Store) => edit(s, subgraph, text, '');
const replace = (subgraph: string, from: string | RegExp, to: string) => (s: Store) => edit(s, subgraph, from, to);
const all = (...edits: ((s: Store) => void)[]) => (s: Store) => edits.forEach((e) => e(s));
const everySubgraph = (from: string, to: string) => (s: Store) => Object.keys(s).forEach((name) => edit(s, name, from, to));

const SCENARIOS: Scenario[] = [
  // Output fields and types
  { name: 'field added', after: replace('catalog', '  description: String\n', '  description: String\n  sku: String\n'), verdict: 'passes', changes: ['FIELD_ADDED:Product.sku SAFE'] },
  {
    name: 'field removed, used by a client operation',
    after: remove('catalog', '  name: String! @tag(name: "public")\n'),
    verdict: 'blocks',
    changes: ['FIELD_REMOVED:Product.name BREAKING blocking'],
    contract: ['FIELD_REMOVED:Product.name BREAKING blocking'],
    operations: { 'FIELD_REMOVED:Product.name': ['storefront/ProductList', 'storefront/ProductPage', 'storefront/Search'] },
  },
  { name: 'field removed, used by no operation', after: remove('catalog', '  description: String\n'), verdict: 'warns', changes: ['FIELD_REMOVED:Product.description BREAKING'] },
  {
    name: 'field removed, used only in a usage log (inside the window)',
    after: remove('accounts', '  email: String\n'),
    usage: usageLine('2026-11-20T08:00:00Z', ['Query.me', 'User.email']),
    verdict: 'blocks',
    changes: ['FIELD_REMOVED:User.email BREAKING blocking'],
    operations: { 'FIELD_REMOVED:User.email': ['account-app/AccountPage'] },
  },
  { name: 'field removed, usage log seen before the window', after: remove('accounts', '  email: String\n'), usage: usageLine('2026-08-01T08:00:00Z', ['Query.me', 'User.email']), verdict: 'warns', changes: ['FIELD_REMOVED:User.email BREAKING'] },
  { name: 'field removed, no usage data at all', after: remove('catalog', '  description: String\n'), clients: false, verdict: 'blocks', changes: ['FIELD_REMOVED:Product.description BREAKING blocking'] },
  {
    name: 'type removed, used by a client operation',
    after: all(replace('catalog', 'type Category implements Node {\n  id: ID!\n  name: String!\n}\n\n', ''), replace('catalog', 'union SearchResult = Product | Category', 'union SearchResult = Product')),
    verdict: 'blocks',
    changes: ['TYPE_REMOVED:Category BREAKING blocking', 'UNION_MEMBER_REMOVED:SearchResult:Category BREAKING blocking'],
  },
  {
    name: 'type removed, used by no operation',
    after: all(remove('catalog', 'type Mutation {\n  createProduct(input: CreateProductInput!): Product!\n}\n\n'), remove('catalog', /input CreateProductInput \{[^}]*\}\n/)),
    verdict: 'warns',
    changes: ['FIELD_REMOVED:Mutation.createProduct BREAKING', 'TYPE_REMOVED:CreateProductInput BREAKING'],
  },
  { name: 'output field non-null → nullable', after: replace('catalog', 'name: String! @tag', 'name: String @tag'), verdict: 'blocks', changes: ['FIELD_TYPE_CHANGED:Product.name BREAKING blocking'], contract: ['FIELD_TYPE_CHANGED:Product.name BREAKING blocking'] },
  { name: 'output field nullable → non-null', after: replace('catalog', '  description: String\n', '  description: String!\n'), verdict: 'passes', changes: ['FIELD_TYPE_CHANGED:Product.description SAFE'] },
  { name: 'output field Int → Float', after: replace('reviews', '  rating: Int!\n  body: String\n  author', '  rating: Float!\n  body: String\n  author'), verdict: 'blocks', changes: ['FIELD_TYPE_CHANGED:Review.rating BREAKING blocking'] },
  { name: 'output field [T] → T', after: replace('reviews', 'reviews: [Review!]!', 'reviews: Review!'), verdict: 'blocks', changes: ['FIELD_TYPE_CHANGED:Product.reviews BREAKING blocking'] },
  { name: 'output list items non-null → nullable', after: replace('reviews', 'reviews: [Review!]!', 'reviews: [Review]!'), verdict: 'blocks', changes: ['FIELD_TYPE_CHANGED:Product.reviews BREAKING blocking'] },
  { name: 'output field T → T!', after: replace('reviews', '  body: String\n  author', '  body: String!\n  author'), verdict: 'passes', changes: ['FIELD_TYPE_CHANGED:Review.body SAFE'] },
  { name: 'field description added', after: replace('catalog', '  name: String! @tag(name: "public")\n', '  "What the shop calls it."\n  name: String! @tag(name: "public")\n'), verdict: 'passes', changes: ['FIELD_DESCRIPTION_ADDED:Product.name SAFE'], contract: ['FIELD_DESCRIPTION_ADDED:Product.name SAFE'] },
  { name: 'type description changed', after: replace('catalog', '"Only ever sent: no field returns it."', '"How a list is sorted."'), verdict: 'passes', changes: ['TYPE_DESCRIPTION_CHANGED:SortOrder SAFE'] },

  // Deprecation
  { name: 'deprecation added (with a reason)', after: replace('catalog', '  description: String\n', '  description: String @deprecated(reason: "Use name.")\n'), verdict: 'passes', changes: ['FIELD_DEPRECATION_ADDED:Product.description SAFE'] },
  { name: 'deprecation added without a reason (lint)', after: replace('catalog', '  description: String\n', '  description: String @deprecated\n'), verdict: 'blocks', changes: ['FIELD_DEPRECATION_ADDED:Product.description SAFE'], lint: ['deprecations-have-a-reason'] },
  { name: 'deprecation removed', after: replace('accounts', '  nickname: String @deprecated(reason: "Use name.")\n', '  nickname: String\n'), verdict: 'passes', changes: ['FIELD_DEPRECATION_REMOVED:User.nickname SAFE'] },
  {
    name: 'deprecated field removed after the grace period, still used',
    after: remove('catalog', '  legacyCode: String @deprecated(reason: "Use id.")\n'),
    history: (repo, before) => writeVersion(repo, 1, before, { publishedAt: '2026-09-01T00:00:00Z', deprecations: { 'Product.legacyCode': '2026-09-01T00:00:00Z' } }),
    verdict: 'blocks',
    changes: ['FIELD_REMOVED:Product.legacyCode BREAKING blocking'],
    operations: { 'FIELD_REMOVED:Product.legacyCode': ['admin/Legacy'] },
  },
  {
    name: 'deprecated field removed after the grace period, unused',
    after: remove('accounts', '  nickname: String @deprecated(reason: "Use name.")\n'),
    history: (repo, before) => writeVersion(repo, 1, before, { publishedAt: '2026-09-01T00:00:00Z', deprecations: { 'User.nickname': '2026-09-01T00:00:00Z' } }),
    verdict: 'warns',
    changes: ['FIELD_REMOVED:User.nickname BREAKING'],
  },
  {
    name: 'deprecated field removed inside the grace period, unused',
    after: remove('accounts', '  nickname: String @deprecated(reason: "Use name.")\n'),
    history: (repo, before) => writeVersion(repo, 1, before, { publishedAt: '2026-11-20T00:00:00Z', deprecations: { 'User.nickname': '2026-11-20T00:00:00Z' } }),
    verdict: 'blocks',
    changes: ['FIELD_REMOVED:User.nickname BREAKING'],
    lint: ['deprecated-removal-grace-period'],
  },

  // Arguments
  { name: 'required argument added to a used field', after: replace('catalog', 'filter: ProductFilter)', 'filter: ProductFilter, sort: String!)'), verdict: 'blocks', changes: ['FIELD_ARGUMENT_ADDED:Query.products(sort:) BREAKING blocking'], contract: ['FIELD_ARGUMENT_ADDED:Query.products(sort:) BREAKING blocking'] },
  { name: 'optional argument added', after: replace('catalog', 'filter: ProductFilter)', 'filter: ProductFilter, sort: String)'), verdict: 'warns', changes: ['FIELD_ARGUMENT_ADDED:Query.products(sort:) DANGEROUS'], contract: ['FIELD_ARGUMENT_ADDED:Query.products(sort:) DANGEROUS'] },
  { name: 'non-null argument with a default added', after: replace('catalog', 'filter: ProductFilter)', 'filter: ProductFilter, sort: String! = "name")'), verdict: 'warns', changes: ['FIELD_ARGUMENT_ADDED:Query.products(sort:) DANGEROUS'], contract: ['FIELD_ARGUMENT_ADDED:Query.products(sort:) DANGEROUS'] },
  { name: 'argument removed, passed by a client operation', after: replace('catalog', 'products(first: Int = 20, filter', 'products(filter'), verdict: 'blocks', changes: ['FIELD_ARGUMENT_REMOVED:Query.products(first:) BREAKING blocking'], contract: ['FIELD_ARGUMENT_REMOVED:Query.products(first:) BREAKING blocking'] },
  { name: 'argument removed from a used field, passed by no operation', after: replace('catalog', 'sorted(order: SortOrder = ASC)', 'sorted'), verdict: 'warns', changes: ['FIELD_ARGUMENT_REMOVED:Query.sorted(order:) BREAKING'] },
  { name: 'argument nullable → non-null', after: replace('catalog', 'filter: ProductFilter)', 'filter: ProductFilter!)'), verdict: 'blocks', changes: ['FIELD_ARGUMENT_TYPE_CHANGED:Query.products(filter:) BREAKING blocking'], contract: ['FIELD_ARGUMENT_TYPE_CHANGED:Query.products(filter:) BREAKING blocking'] },
  { name: 'argument non-null → nullable', after: replace('catalog', 'product(id: ID!)', 'product(id: ID)'), verdict: 'passes', changes: ['FIELD_ARGUMENT_TYPE_CHANGED:Query.product(id:) SAFE'], contract: ['FIELD_ARGUMENT_TYPE_CHANGED:Query.product(id:) SAFE'] },
  { name: 'argument default changed', after: replace('catalog', 'first: Int = 20', 'first: Int = 50'), verdict: 'warns', changes: ['FIELD_ARGUMENT_DEFAULT_CHANGED:Query.products(first:) DANGEROUS'], contract: ['FIELD_ARGUMENT_DEFAULT_CHANGED:Query.products(first:) DANGEROUS'] },
  { name: 'argument Int → Float', after: replace('catalog', 'first: Int = 20', 'first: Float = 20'), verdict: 'blocks', changes: ['FIELD_ARGUMENT_TYPE_CHANGED:Query.products(first:) BREAKING blocking'], contract: ['FIELD_ARGUMENT_TYPE_CHANGED:Query.products(first:) BREAKING blocking'] },
  { name: 'argument description added', after: replace('catalog', 'product(id: ID!)', 'product("The product id." id: ID!)'), verdict: 'passes', changes: ['FIELD_ARGUMENT_DESCRIPTION_CHANGED:Query.product(id:) SAFE'], contract: ['FIELD_ARGUMENT_DESCRIPTION_CHANGED:Query.product(id:) SAFE'] },

  // Input types
  { name: 'required input field added', after: replace('reviews', '  body: String\n}', '  body: String\n  title: String!\n}'), verdict: 'blocks', changes: ['INPUT_FIELD_ADDED:AddReviewInput.title BREAKING blocking'], operations: { 'INPUT_FIELD_ADDED:AddReviewInput.title': ['storefront/AddReview'] } },
  { name: 'optional input field added', after: replace('reviews', '  body: String\n}', '  body: String\n  title: String\n}'), verdict: 'passes', changes: ['INPUT_FIELD_ADDED:AddReviewInput.title SAFE'] },
  { name: 'non-null input field with a default added', after: replace('reviews', '  body: String\n}', '  body: String\n  title: String! = ""\n}'), verdict: 'warns', changes: ['INPUT_FIELD_ADDED:AddReviewInput.title DANGEROUS'] },
  { name: 'input field nullable → non-null', after: replace('reviews', '  body: String\n}', '  body: String!\n}'), verdict: 'blocks', changes: ['INPUT_FIELD_TYPE_CHANGED:AddReviewInput.body BREAKING blocking'] },
  { name: 'input field non-null → nullable', after: replace('catalog', '  name: String!\n  description: String\n  priceAmount', '  name: String\n  description: String\n  priceAmount'), verdict: 'passes', changes: ['INPUT_FIELD_TYPE_CHANGED:CreateProductInput.name SAFE'] },
  { name: 'input field removed, sent by a client operation', after: remove('catalog', '  minPrice: Int = 0\n'), verdict: 'blocks', changes: ['INPUT_FIELD_REMOVED:ProductFilter.minPrice BREAKING blocking'], contract: ['INPUT_FIELD_REMOVED:ProductFilter.minPrice BREAKING blocking'] },
  { name: 'input field removed, sent by no operation', after: replace('catalog', '  name: String!\n  description: String\n  priceAmount', '  name: String!\n  priceAmount'), verdict: 'warns', changes: ['INPUT_FIELD_REMOVED:CreateProductInput.description BREAKING'] },
  { name: 'input field default changed', after: replace('catalog', 'minPrice: Int = 0', 'minPrice: Int = 1'), verdict: 'warns', changes: ['INPUT_FIELD_DEFAULT_VALUE_CHANGED:ProductFilter.minPrice DANGEROUS'], contract: ['INPUT_FIELD_DEFAULT_VALUE_CHANGED:ProductFilter.minPrice DANGEROUS'] },

  // Enums
  { name: 'enum value added to an output enum', after: replace('accounts', '  ADMIN\n', '  ADMIN\n  SUPPORT\n'), verdict: 'warns', changes: ['ENUM_VALUE_ADDED:Role.SUPPORT DANGEROUS'] },
  { name: 'enum value added to an input-only enum', after: replace('catalog', '  ASC\n  DESC\n', '  ASC\n  DESC\n  NEWEST\n'), verdict: 'passes', changes: ['ENUM_VALUE_ADDED:SortOrder.NEWEST SAFE'] },
  { name: 'enum value removed, enum read by a client operation', after: remove('accounts', '  ADMIN\n'), verdict: 'blocks', changes: ['ENUM_VALUE_REMOVED:Role.ADMIN BREAKING blocking'], operations: { 'ENUM_VALUE_REMOVED:Role.ADMIN': ['storefront/Me'] } },
  { name: 'enum value removed, enum used by no operation', after: replace('catalog', '  ASC\n  DESC\n', '  ASC\n'), verdict: 'warns', changes: ['ENUM_VALUE_REMOVED:SortOrder.DESC BREAKING'] },
  { name: 'enum value deprecated', after: replace('accounts', '  ADMIN\n', '  ADMIN @deprecated(reason: "Use roles.")\n'), verdict: 'passes', changes: ['ENUM_VALUE_DEPRECATION_REASON_ADDED:Role.ADMIN SAFE'] },

  // Unions and interfaces
  {
    name: 'union member added',
    after: replace('catalog', 'union SearchResult = Product | Category', 'type Brand {\n  id: ID!\n  name: String!\n}\n\nunion SearchResult = Product | Category | Brand'),
    verdict: 'warns',
    changes: ['TYPE_ADDED:Brand SAFE', 'UNION_MEMBER_ADDED:SearchResult:Brand DANGEROUS'],
  },
  { name: 'union member removed', after: replace('catalog', 'union SearchResult = Product | Category', 'union SearchResult = Product'), verdict: 'blocks', changes: ['UNION_MEMBER_REMOVED:SearchResult:Category BREAKING blocking'], operations: { 'UNION_MEMBER_REMOVED:SearchResult:Category': ['storefront/Search'] } },
  {
    name: 'union member removed, union selected without that member',
    before: replace('catalog', 'union SearchResult = Product | Category', 'union SearchResult = Product | Category | Brand\n\ntype Brand {\n  id: ID!\n}'),
    after: replace('catalog', 'union SearchResult = Product | Category | Brand', 'union SearchResult = Product | Category'),
    verdict: 'warns',
    changes: ['UNION_MEMBER_REMOVED:SearchResult:Brand BREAKING'],
  },
  { name: 'interface removed from a type', after: replace('catalog', 'type Category implements Node {', 'type Category {'), verdict: 'blocks', changes: ['OBJECT_TYPE_INTERFACE_REMOVED:Category:Node BREAKING blocking'], operations: { 'OBJECT_TYPE_INTERFACE_REMOVED:Category:Node': ['admin/AdminNode'] } },
  { name: 'interface added to a type', after: replace('catalog', 'type Product @key', 'type Product implements Node @key'), verdict: 'warns', changes: ['OBJECT_TYPE_INTERFACE_ADDED:Product:Node DANGEROUS'] },
  { name: 'field added to an interface and its implementations', after: replace('catalog', 'interface Node {\n  id: ID!\n}', 'interface Node {\n  id: ID!\n  name: String!\n}'), verdict: 'passes', changes: ['FIELD_ADDED:Node.name SAFE'] },

  // Directives (executable directives defined by every subgraph reach the API schema)
  {
    name: 'executable directive removed, used by a client operation',
    after: remove('catalog', `\n${DIRECTIVE}`),
    verdict: 'blocks',
    changes: ['DIRECTIVE_REMOVED:@lowercase BREAKING blocking'], contract: ['DIRECTIVE_REMOVED:@lowercase BREAKING blocking'],
    operations: { 'DIRECTIVE_REMOVED:@lowercase': ['admin/AdminNode'] },
  },
  { name: 'executable directive added', after: everySubgraph(DIRECTIVE, `${DIRECTIVE}directive @trim on FIELD\n`), verdict: 'passes', changes: ['DIRECTIVE_ADDED:@trim SAFE'], contract: ['DIRECTIVE_ADDED:@trim SAFE'] },
  {
    name: 'required directive argument added, directive used',
    after: everySubgraph(DIRECTIVE, 'directive @lowercase(locale: String, strict: Boolean!) on FIELD\n'),
    verdict: 'blocks',
    changes: ['DIRECTIVE_ARGUMENT_ADDED:@lowercase(strict:) BREAKING blocking'], contract: ['DIRECTIVE_ARGUMENT_ADDED:@lowercase(strict:) BREAKING blocking'],
    operations: { 'DIRECTIVE_ARGUMENT_ADDED:@lowercase(strict:)': ['admin/AdminNode'] },
  },
  {
    name: 'non-null directive argument with a default added',
    after: everySubgraph(DIRECTIVE, 'directive @lowercase(locale: String, strict: Boolean! = false) on FIELD\n'),
    verdict: 'passes',
    changes: ['DIRECTIVE_ARGUMENT_ADDED:@lowercase(strict:) SAFE'],
    contract: ['DIRECTIVE_ARGUMENT_ADDED:@lowercase(strict:) SAFE'],
  },
  {
    name: 'directive argument removed, passed by a client operation',
    after: everySubgraph(DIRECTIVE, 'directive @lowercase on FIELD\n'),
    verdict: 'blocks',
    changes: ['DIRECTIVE_ARGUMENT_REMOVED:@lowercase(locale:) BREAKING blocking'],
    contract: ['DIRECTIVE_ARGUMENT_REMOVED:@lowercase(locale:) BREAKING blocking'],
    operations: { 'DIRECTIVE_ARGUMENT_REMOVED:@lowercase(locale:)': ['admin/AdminNode'] },
  },
  {
    name: 'directive location removed, used there by a client operation',
    before: everySubgraph(DIRECTIVE, 'directive @lowercase(locale: String) on FIELD | FRAGMENT_SPREAD\n'),
    after: everySubgraph('on FIELD | FRAGMENT_SPREAD', 'on FRAGMENT_SPREAD'),
    verdict: 'blocks',
    changes: ['DIRECTIVE_LOCATION_REMOVED:@lowercase:FIELD BREAKING blocking'],
    contract: ['DIRECTIVE_LOCATION_REMOVED:@lowercase:FIELD BREAKING blocking'],
    operations: { 'DIRECTIVE_LOCATION_REMOVED:@lowercase:FIELD': ['admin/AdminNode'] },
  },
  {
    name: 'directive location removed, used elsewhere only',
    before: everySubgraph(DIRECTIVE, 'directive @lowercase(locale: String) on FIELD | FRAGMENT_SPREAD\n'),
    after: everySubgraph('on FIELD | FRAGMENT_SPREAD', 'on FIELD'),
    config: 'contracts:\n  public:\n    include: [public]\n    clients: [storefront, admin]\n',
    verdict: 'warns',
    changes: ['DIRECTIVE_LOCATION_REMOVED:@lowercase:FRAGMENT_SPREAD BREAKING'],
    contract: ['DIRECTIVE_LOCATION_REMOVED:@lowercase:FRAGMENT_SPREAD BREAKING'],
  },
  { name: 'directive location added', after: everySubgraph(DIRECTIVE, 'directive @lowercase(locale: String) on FIELD | FRAGMENT_SPREAD\n'), verdict: 'passes', changes: ['DIRECTIVE_LOCATION_ADDED:@lowercase:FRAGMENT_SPREAD SAFE'], contract: ['DIRECTIVE_LOCATION_ADDED:@lowercase:FRAGMENT_SPREAD SAFE'] },

  // Federation: the API schema is what counts
  { name: 'field moved to another subgraph with @override', after: replace('inventory', '  inStock: Boolean!', '  description: String @override(from: "catalog")\n  inStock: Boolean!'), verdict: 'passes', changes: [] },
  { name: '@shareable removed (composition error)', after: replace('catalog', 'type Money @shareable @tag(name: "public")', 'type Money @tag(name: "public")'), verdict: 'blocks', changes: [], composition: ['INVALID_FIELD_SHARING'] },
  { name: 'a second @key added', after: replace('catalog', 'type Product @key(fields: "id")', 'type Product @key(fields: "id") @key(fields: "name")'), verdict: 'passes', changes: [] },
  {
    name: '@key changed so the entity cannot be reached (composition error)',
    after: replace('catalog', 'type Product @key(fields: "id") {\n  id: ID! @tag(name: "public")', 'type Product @key(fields: "sku") {\n  id: ID! @tag(name: "public")\n  sku: String!'),
    verdict: 'blocks',
    changes: [],
    composition: ['INVALID_FIELD_SHARING'],
  },
  {
    name: '@inaccessible added to a used field',
    after: replace('catalog', 'name: String! @tag(name: "public")', 'name: String! @tag(name: "public") @inaccessible'),
    verdict: 'blocks',
    changes: ['FIELD_REMOVED:Product.name BREAKING blocking'],
    contract: ['FIELD_REMOVED:Product.name BREAKING blocking'],
  },
  {
    name: 'change only in @inaccessible parts',
    after: replace('catalog', '  internalCost: Int @inaccessible\n', '  internalCost: Float! @inaccessible\n  internalNotes(lang: String!): String @inaccessible\n'),
    verdict: 'passes',
    changes: [],
  },
  {
    // inventory returns Money (Product.shipping) but can no longer resolve its amount, and Money is no entity.
    name: 'a @shareable field dropped by a subgraph that returns the type (composition error)',
    after: replace('inventory', 'type Money @shareable {\n  amount: Int!\n', 'type Money @shareable {\n'),
    verdict: 'blocks',
    changes: [],
    composition: ['SATISFIABILITY_ERROR'],
  },
  {
    name: 'a @shareable field relaxed to nullable in one subgraph',
    after: replace('inventory', '  currency: String!', '  currency: String'),
    verdict: 'blocks',
    changes: ['FIELD_TYPE_CHANGED:Money.currency BREAKING blocking'], contract: ['FIELD_TYPE_CHANGED:Money.currency BREAKING blocking'],
  },
  {
    name: 'an input field added in one subgraph only (inputs compose by intersection)',
    before: replace('inventory', 'type Money @shareable', 'input ProductFilter {\n  search: String\n  minPrice: Int = 0\n}\n\ntype Money @shareable'),
    after: replace('catalog', '  minPrice: Int = 0\n', '  minPrice: Int = 0\n  maxPrice: Int\n'),
    verdict: 'passes',
    changes: [],
  },
  {
    name: '@tag removed from a public field (contract with unknown consumers)',
    after: replace('inventory', '  inStock: Boolean! @tag(name: "public")', '  inStock: Boolean!'),
    verdict: 'blocks',
    changes: [],
    contract: ['FIELD_REMOVED:Product.inStock BREAKING blocking'],
  },
  { name: '@tag added to a field', after: replace('catalog', '  description: String\n', '  description: String @tag(name: "public")\n'), verdict: 'passes', changes: [], contract: ['FIELD_ADDED:Product.description SAFE'] },
  {
    name: 'field tagged with the contract\'s excluded tag',
    after: replace('catalog', 'price: Money! @tag(name: "public")', 'price: Money! @tag(name: "public") @tag(name: "internal")'),
    config: 'contracts:\n  public:\n    include: [public]\n    exclude: [internal]\n',
    verdict: 'blocks',
    changes: [],
    // Money is left unreachable from the contract's root fields, so it goes too.
    contract: ['FIELD_REMOVED:Product.price BREAKING blocking', 'TYPE_REMOVED:Money BREAKING blocking'],
  },
  {
    name: 'subgraph renamed (same SDL under another folder)',
    after: (s) => ([s['stock'], s['inventory']] = [s['inventory'], undefined]),
    verdict: 'passes',
    changes: [],
  },
  {
    name: 'subgraph split into two files',
    after: replace('inventory', '  shipping: Money\n', ''),
    working: { 'subgraphs/inventory/shipping.graphql': 'extend type Product {\n  shipping: Money\n}\n' },
    verdict: 'passes',
    changes: [],
  },
  {
    name: 'subgraph removed',
    after: (s) => (s['inventory'] = undefined),
    verdict: 'blocks',
    changes: ['FIELD_REMOVED:Product.inStock BREAKING blocking', 'FIELD_REMOVED:Product.shipping BREAKING'],
    contract: ['FIELD_REMOVED:Product.inStock BREAKING blocking'],
  },
  {
    name: 'subgraph added',
    after: (s) => (s['shipping'] = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])\n\ntype Query {\n  shippingZones: [ShippingZone!]!\n}\n\ntype ShippingZone {\n  code: String!\n}\n\n${DIRECTIVE}`),
    verdict: 'passes',
    changes: ['FIELD_ADDED:Query.shippingZones SAFE', 'TYPE_ADDED:ShippingZone SAFE'],
  },

  // Approvals as code
  {
    name: 'breaking change approved',
    after: remove('catalog', '  name: String! @tag(name: "public")\n'),
    working: { 'schema/approvals.yaml': 'approvals:\n  - id: FIELD_REMOVED:Product.name\n    reason: Every client reads title from release 42 on.\n    author: catalog-team\n    expires: 2026-12-31\n' },
    verdict: 'warns',
    changes: ['FIELD_REMOVED:Product.name BREAKING'],
    contract: ['FIELD_REMOVED:Product.name BREAKING'],
  },
  {
    name: 'breaking change whose approval expired',
    after: remove('catalog', '  name: String! @tag(name: "public")\n'),
    working: { 'schema/approvals.yaml': 'approvals:\n  - id: FIELD_REMOVED:Product.name\n    reason: Every client reads title from release 42 on.\n    author: catalog-team\n    expires: 2026-11-01\n' },
    verdict: 'blocks',
    changes: ['FIELD_REMOVED:Product.name BREAKING blocking'],
    contract: ['FIELD_REMOVED:Product.name BREAKING blocking'],
  },
];

function scenarioRepo(s: Scenario): { repo: string; usagePaths: string[] } {
  const before = baseStore();
  s.before?.(before);
  const after = { ...before };
  s.after?.(after);
  const clients = s.clients ?? true;
  const working = { ...(s.working ?? {}), ...(clients ? { 'clients/admin/persisted-operations.json': ADMIN_OPERATIONS } : {}), ...(s.usage ? { 'usage/router.ndjson': s.usage } : {}) };
  const repo = makeRepo({ before, after, working, storefront: clients, committed: s.config ? { 'schema/checks.yaml': s.config } : {} });
  s.history?.(repo, before);
  return { repo, usagePaths: s.usage ? [join(repo, 'usage')] : [] };
}

describe.concurrent('schema:check scenario matrix', () => {
  it.each(SCENARIOS)('$name → $verdict', async (s) => {
    const { repo, usagePaths } = scenarioRepo(s);
    const report = await checkInProcess(repo, { usagePaths });
    const actual = {
      verdict: verdictOf(report),
      changes: report.changes.map(line).sort(),
      contract: (report.contracts['public']?.changes ?? []).map(line).sort(),
      composition: [...new Set(report.composition.errors.map((e) => e.code))],
      lint: report.lint.filter((l) => l.blocking).map((l) => l.rule),
    };
    expect(actual).toEqual({ verdict: s.verdict, changes: [...s.changes].sort(), contract: [...(s.contract ?? [])].sort(), composition: s.composition ?? [], lint: s.lint ?? [] });
    for (const [id, operations] of Object.entries(s.operations ?? {})) {
      const change = report.changes.find((c) => c.id === id);
      expect(change?.usage.operations.map((o) => `${o.client}/${o.name}`).sort(), id).toEqual(operations);
    }
  });
});

describe.concurrent('schema:check scenario matrix through the command', () => {
  it('a composition failure exits 1 naming the code, the subgraphs and the coordinate', async () => {
    const after = baseStore();
    edit(after, 'catalog', 'type Money @shareable @tag(name: "public")', 'type Money @tag(name: "public")');
    const run = await runCli('check-cli.ts', ['--repo', makeRepo({ before: baseStore(), after }), '--now', NOW]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/INVALID_FIELD_SHARING/);
    expect(run.stdout).toMatch(/Money\.amount/);
    expect(run.stdout).toMatch(/catalog/);
  });

  it('unparseable SDL exits 2 naming the file and line, with nothing on stdout', async () => {
    const after = baseStore();
    edit(after, 'inventory', '  shipping: Money\n', '  shipping: Money(\n');
    const { status, stdout, stderr } = await check(makeRepo({ before: baseStore(), after }));
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/subgraphs\/inventory\/schema\.graphql:7:18: Syntax Error/);
  });

  it('SDL that parses but does not validate exits 1 naming the file, line and column (second file of a subgraph)', async () => {
    const after = baseStore();
    edit(after, 'catalog', '  description: String\n', '  description: Strin\n');
    const line = after['catalog']!.split('\n').findIndex((l) => l.endsWith(': Strin')) + 1;
    // a-extra.graphql sorts before schema.graphql: the location is mapped back into the right file.
    const repo = makeRepo({ before: baseStore(), after, working: { 'subgraphs/catalog/a-extra.graphql': 'extend type Query {\n  ping: String\n}\n' } });
    const { status, report } = await check(repo);
    expect(status).toBe(1);
    expect(report.composition.errors).toEqual([
      { code: 'INVALID_GRAPHQL', message: '[catalog] Unknown type Strin', subgraphs: ['catalog'], coordinates: [], locations: [`subgraphs/catalog/schema.graphql:${line}:16`] },
    ]);
  });

  it('a blocking change exits 1 and an approved one exits 0', async () => {
    const after = baseStore();
    edit(after, 'accounts', '  ADMIN\n', '');
    const approvals = 'approvals:\n  - id: ENUM_VALUE_REMOVED:Role.ADMIN\n    reason: Admins are a separate app now.\n    author: accounts-team\n    expires: 2026-12-31\n';
    const blocked = await check(makeRepo({ before: baseStore(), after }));
    expect(blocked.status).toBe(1);
    const approved = await check(makeRepo({ before: baseStore(), after, working: { 'schema/approvals.yaml': approvals } }));
    expect(approved.status).toBe(0);
    expect(approved.report.changes.map(line)).toEqual(['ENUM_VALUE_REMOVED:Role.ADMIN BREAKING']);
  });
});
