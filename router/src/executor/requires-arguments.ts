// A correction to query plans where `@requires` inputs differ only by their arguments. The planner
// (2.14) merges the selections it adds to a fetch by response name, so when two `@requires` need
// `price(currency: "USD")` and `price(currency: "EUR")` of one entity, the fetch that provides them
// selects one (`price(currency: "EUR")`) and the entity fetch receives that one value for both
// (its `requires` has no arguments: `price`). The federation-gateway-audit scenario
// "requires-with-argument-conflict" expects each field computed from its own input.
//
// The correction, per entity fetch: each requiring field's inputs are read from the supergraph
// (the subgraph's `@requires` field set, with arguments) and compared with what the fetches before
// it select at that place. An input selected there with other arguments is added to that fetch
// under a fresh alias (`price__requires0: price(currency: "USD")`), and the entity fetch is split
// into one fetch per set of inputs, each representation reading the aliased value and sending it
// under the field's name (an input rewrite). The split fetches run in the same stage, so the
// executor sends them to the subgraph in one request (plan.ts merges them). Only leaf inputs (no
// sub-selection) found in a fetch that runs before are corrected; anything else is left as planned.
import { Kind, parse, print, stripIgnoredCharacters, type ArgumentNode, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type InlineFragmentNode, type SelectionNode, type SelectionSetNode } from 'graphql';
import type { Supergraph } from '@apollo/federation-internals';
import type { FetchDataRewrite, FetchNode, PlanNode, QueryPlan, QueryPlanSelectionNode } from '@apollo/query-planner';

/** service → type → field → its `@requires` field set, for field sets that have arguments. */
type RequiresIndex = Map<string, Map<string, Map<string, SelectionSetNode>>>;

/** The `@requires` field sets with arguments in the supergraph's subgraphs (null: none, the usual case). */
export function requiresWithArguments(supergraph: Supergraph): RequiresIndex | null {
  const index: RequiresIndex = new Map();
  for (const subgraph of supergraph.subgraphs()) {
    const requires = subgraph.metadata().requiresDirective();
    for (const application of requires.applications()) {
      const fields = String(application.arguments().fields);
      if (!fields.includes('(')) continue;
      const parent = application.parent as unknown as { name: string; parent: { name: string } };
      const selectionSet = (parse(`{${fields}}`).definitions[0] as { selectionSet: SelectionSetNode }).selectionSet;
      let byType = index.get(subgraph.name);
      if (!byType) index.set(subgraph.name, (byType = new Map()));
      let byField = byType.get(parent.parent.name);
      if (!byField) byType.set(parent.parent.name, (byField = new Map()));
      byField.set(parent.name, selectionSet);
    }
  }
  return index.size > 0 ? index : null;
}

interface PlacedFetch {
  node: FetchNode;
  /** Flatten path without list steps. */
  path: string[];
  before: PlacedFetch[];
}

/** A required leaf with arguments, read from an alias of the fetch that provides it. */
interface AliasedInput {
  /** Field names from the entity to the input. */
  path: string[];
  alias: string;
}

/** The plan with `@requires` inputs that differ by arguments each fetched and sent (see above). */
export function withRequiredArguments(plan: QueryPlan, index: RequiresIndex | null): QueryPlan {
  if (!index || !plan.node) return plan;
  const placed: PlacedFetch[] = [];
  if (plan.node.kind === 'Subscription') return plan;
  place(plan.node, [], [], placed);
  const documents = new Map<FetchNode, DocumentNode>();
  const splits = new Map<FetchNode, FetchNode[]>();
  let aliases = 0;
  for (const fetch of placed) {
    if (!fetch.node.requires) continue;
    const byType = index.get(fetch.node.serviceName);
    if (!byType) continue;
    const document = documentOf(fetch.node, documents);
    const fragments = entityFragments(document);
    if (!fragments) continue;
    // Per requiring field: the inputs it must read from an alias.
    const signatures = new Map<FieldNode, AliasedInput[]>();
    for (const fragment of fragments) {
      const typeName = fragment.typeCondition!.name.value;
      for (const selection of fragment.selectionSet.selections) {
        if (selection.kind !== Kind.FIELD) continue;
        const required = byType.get(typeName)?.get(selection.name.value);
        if (!required) continue;
        const inputs: AliasedInput[] = [];
        for (const { path, field } of leavesWithArguments(required, [])) {
          const alias = aliasFor(fetch, path, field, documents, splits, () => `${field.name.value}__requires${aliases++}`);
          if (alias) inputs.push({ path: [typeName, ...path], alias });
        }
        if (inputs.length > 0) signatures.set(selection, inputs);
      }
    }
    if (signatures.size > 0) splits.set(fetch.node, split(fetch.node, document, fragments, signatures));
  }
  if (splits.size === 0 && documents.size === 0) return plan;
  return { ...plan, node: rebuild(plan.node, documents, splits) };
}

function place(node: PlanNode, path: string[], before: PlacedFetch[], out: PlacedFetch[]): PlacedFetch[] {
  switch (node.kind) {
    case 'Fetch': {
      const fetch = { node, path, before };
      out.push(fetch);
      return [fetch];
    }
    case 'Flatten':
      return place(node.node, [...path, ...node.path.filter((step): step is string => typeof step === 'string' && step !== '@')], before, out);
    case 'Sequence': {
      const all: PlacedFetch[] = [];
      for (const child of node.nodes) all.push(...place(child, path, [...before, ...all], out));
      return all;
    }
    case 'Parallel':
      return node.nodes.flatMap((child) => place(child, path, before, out));
    case 'Condition':
      return [...(node.ifClause ? place(node.ifClause, path, before, out) : []), ...(node.elseClause ? place(node.elseClause, path, before, out) : [])];
    default:
      return []; // @defer plans are left to the gateway (plan.ts).
  }
}

function documentOf(node: FetchNode, documents: Map<FetchNode, DocumentNode>): DocumentNode {
  return documents.get(node) ?? node.operationDocumentNode ?? parse(node.operation);
}

/** The `... on T` fragments under `_entities`, or null when the operation is not only those. */
function entityFragments(document: DocumentNode): readonly InlineFragmentNode[] | null {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const entities = operation?.selectionSet.selections[0];
  if (!entities || entities.kind !== Kind.FIELD || entities.name.value !== '_entities' || !entities.selectionSet) return null;
  const fragments = entities.selectionSet.selections;
  return fragments.every((s): s is InlineFragmentNode => s.kind === Kind.INLINE_FRAGMENT && s.typeCondition !== undefined) ? fragments : null;
}

function* leavesWithArguments(selectionSet: SelectionSetNode, path: string[]): Generator<{ path: string[]; field: FieldNode }> {
  for (const selection of selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    const at = [...path, selection.name.value];
    if (selection.selectionSet) yield* leavesWithArguments(selection.selectionSet, at);
    else if (selection.arguments?.length) yield { path: at, field: selection };
  }
}

function argumentsKey(args: readonly ArgumentNode[] | undefined): string {
  return [...(args ?? [])].sort((a, b) => a.name.value.localeCompare(b.name.value)).map((a) => `${a.name.value}:${print(a.value)}`).join(',');
}

/**
 * Where the fetches before `fetch` select the input `field` at `path` (from the entity): null when
 * they select it with the same arguments (or nowhere this can see); else the alias under which the
 * first of them now also selects it with the required arguments.
 */
function aliasFor(fetch: PlacedFetch, path: string[], field: FieldNode, documents: Map<FetchNode, DocumentNode>, splits: Map<FetchNode, FetchNode[]>, fresh: () => string): string | null {
  const target = [...fetch.path, ...path.slice(0, -1)];
  const wanted = argumentsKey(field.arguments);
  const found: { upstream: FetchNode; set: SelectionSetNode; field: FieldNode }[] = [];
  for (const upstream of fetch.before) {
    if (upstream.path.length > target.length || upstream.path.some((name, i) => target[i] !== name)) continue;
    const document = documentOf(upstream.node, documents);
    const start = upstream.node.requires ? entitiesSelection(document) : operationSelection(document);
    if (!start) continue;
    for (const set of walk(document, [start], target.slice(upstream.path.length))) {
      for (const { set: parent, field: selected } of fieldsNamed(document, set, field.name.value)) found.push({ upstream: upstream.node, set: parent, field: selected });
    }
  }
  if (found.length === 0 || found.every((f) => argumentsKey(f.field.arguments) === wanted)) return null;
  const provider = found.find((f) => f.field.name.value === field.name.value && !f.field.selectionSet && !splits.has(f.upstream));
  if (!provider) return null;
  // The same input with the same arguments may already be aliased there.
  const existing = provider.set.selections.find((s): s is FieldNode => s.kind === Kind.FIELD && s.alias !== undefined && s.name.value === field.name.value && argumentsKey(s.arguments) === wanted);
  if (existing) return existing.alias!.value;
  const alias = fresh();
  const copy = documents.has(provider.upstream) ? null : structuredClone(documentOf(provider.upstream, documents));
  if (copy) {
    // Work on a copy: find the same selection set in it (same position).
    documents.set(provider.upstream, copy);
    return aliasFor(fetch, path, field, documents, splits, () => alias);
  }
  (provider.set.selections as SelectionNode[]).push({ kind: Kind.FIELD, alias: { kind: Kind.NAME, value: alias }, name: field.name, ...(field.arguments ? { arguments: field.arguments } : {}) });
  return alias;
}

function operationSelection(document: DocumentNode): SelectionSetNode | undefined {
  return document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION)?.selectionSet;
}

function entitiesSelection(document: DocumentNode): SelectionSetNode | undefined {
  const entities = operationSelection(document)?.selections[0];
  return entities?.kind === Kind.FIELD ? entities.selectionSet : undefined;
}

/** The selection sets at `names` (response names) below `sets`, through fragments. */
function walk(document: DocumentNode, sets: SelectionSetNode[], names: string[]): SelectionSetNode[] {
  let current = sets;
  for (const name of names) {
    const next: SelectionSetNode[] = [];
    for (const set of current) for (const { field } of fieldsNamed(document, set, name)) if (field.selectionSet) next.push(field.selectionSet);
    current = next;
  }
  return current;
}

/** Fields answered under `name` in `set` (and its fragments), with the selection set holding each. */
function fieldsNamed(document: DocumentNode, set: SelectionSetNode, name: string): { set: SelectionSetNode; field: FieldNode }[] {
  const out: { set: SelectionSetNode; field: FieldNode }[] = [];
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if ((selection.alias?.value ?? selection.name.value) === name) out.push({ set, field: selection });
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      out.push(...fieldsNamed(document, selection.selectionSet, name));
    } else {
      const fragment = document.definitions.find((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value);
      if (fragment) out.push(...fieldsNamed(document, fragment.selectionSet, name));
    }
  }
  return out;
}

/**
 * The entity fetch as one fetch per set of aliased inputs: the fields that read none stay in the
 * first; each other set gets its fields, and `requires` reading the aliases, renamed back.
 */
function split(node: FetchNode, document: DocumentNode, fragments: readonly InlineFragmentNode[], signatures: Map<FieldNode, AliasedInput[]>): FetchNode[] {
  const groups = new Map<string, { inputs: AliasedInput[]; fields: Set<FieldNode> }>([['', { inputs: [], fields: new Set() }]]);
  for (const fragment of fragments) {
    for (const selection of fragment.selectionSet.selections) {
      const inputs = selection.kind === Kind.FIELD ? (signatures.get(selection) ?? []) : [];
      const key = inputs.length > 0 ? JSON.stringify(inputs) : '';
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { inputs, fields: new Set() }));
      group.fields.add(selection as FieldNode);
    }
  }
  const out: FetchNode[] = [];
  for (const { inputs, fields } of groups.values()) {
    if (![...fields].some((f) => f.kind === Kind.FIELD && f.name.value !== '__typename')) continue;
    const operation = withEntitySelections(document, (selection) => fields.has(selection as FieldNode));
    const rewrites: FetchDataRewrite[] = inputs.map((input) => ({ kind: 'KeyRenamer', path: [`... on ${input.path[0]}`, ...input.path.slice(1, -1), input.alias], renameKeyTo: input.path[input.path.length - 1]! }));
    out.push({
      ...node,
      operation: stripIgnoredCharacters(print(operation)),
      operationDocumentNode: operation,
      requires: inputs.reduce((requires, input) => readFromAlias(requires, input), node.requires!),
      ...(rewrites.length > 0 ? { inputRewrites: [...(node.inputRewrites ?? []), ...rewrites] } : {}),
    });
  }
  return out;
}

function withEntitySelections(document: DocumentNode, keep: (selection: SelectionNode) => boolean): DocumentNode {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION)!;
  const [entities, ...others] = operation.selectionSet.selections as FieldNode[];
  const fragments = (entities!.selectionSet!.selections as readonly InlineFragmentNode[])
    .map((fragment) => ({ ...fragment, selectionSet: { ...fragment.selectionSet, selections: fragment.selectionSet.selections.filter((s) => keep(s) || isTypename(s)) } }))
    .filter((fragment) => fragment.selectionSet.selections.some((s) => !isTypename(s)));
  const kept = { ...entities!, selectionSet: { ...entities!.selectionSet!, selections: fragments } };
  const rewritten = { ...operation, selectionSet: { ...operation.selectionSet, selections: [kept, ...others] } };
  return { ...document, definitions: document.definitions.map((d) => (d === operation ? rewritten : d)) };
}

function isTypename(selection: SelectionNode): boolean {
  return selection.kind === Kind.FIELD && selection.name.value === '__typename';
}

/** `requires` with the input at `input.path` read from `input.alias` instead of its own name. */
function readFromAlias(requires: QueryPlanSelectionNode[], input: AliasedInput): QueryPlanSelectionNode[] {
  const [typeName, ...names] = input.path;
  const rename = (selections: QueryPlanSelectionNode[], depth: number): QueryPlanSelectionNode[] =>
    selections.map((selection) => {
      if (selection.kind !== 'Field' || (selection.alias ?? selection.name) !== names[depth]) return selection;
      if (depth === names.length - 1) return { kind: 'Field', name: input.alias };
      return { ...selection, selections: selection.selections ? rename(selection.selections, depth + 1) : undefined };
    });
  return requires.map((selection) => (selection.kind === 'InlineFragment' && selection.typeCondition === typeName ? { ...selection, selections: rename(selection.selections, 0) } : selection));
}

function rebuild(node: PlanNode, documents: Map<FetchNode, DocumentNode>, splits: Map<FetchNode, FetchNode[]>): PlanNode {
  switch (node.kind) {
    case 'Fetch': {
      const document = documents.get(node);
      return document ? { ...node, operation: stripIgnoredCharacters(print(document)), operationDocumentNode: document } : node;
    }
    case 'Flatten': {
      const parts = node.node.kind === 'Fetch' ? splits.get(node.node) : undefined;
      if (!parts) return { ...node, node: rebuild(node.node, documents, splits) };
      const flattens: PlanNode[] = parts.map((part) => ({ ...node, node: part }));
      return flattens.length === 1 ? flattens[0]! : { kind: 'Parallel', nodes: flattens };
    }
    case 'Sequence':
    case 'Parallel':
      return { ...node, nodes: node.nodes.map((child) => rebuild(child, documents, splits)) };
    case 'Condition':
      return { ...node, ifClause: node.ifClause && rebuild(node.ifClause, documents, splits), elseClause: node.elseClause && rebuild(node.elseClause, documents, splits) };
    default:
      return node;
  }
}
