// Compiles a query plan from `@apollo/query-planner` into stages: every fetch runs as soon as the
// fetches it depends on (those before it in a Sequence) have run, and the fetches of one stage run
// together. Entity fetches of one stage to the same subgraph are then sent as ONE request: the
// same operation for several paths shares one `_entities` call (representations deduplicated);
// different operations are merged into one document with aliased `_entities` fields.
import { Kind, parse, print, visit, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode, type VariableDefinitionNode } from 'graphql';
import { evaluateCondition, type ConditionNode, type FetchNode, type PlanNode, type QueryPlan, type ResponsePath } from '@apollo/query-planner';
import type { Operation } from '@apollo/federation-internals';

/** One fetch of the plan, with the flatten path it applies at. */
export interface FetchStep {
  /** Position in the plan, for a stable merge order. */
  index: number;
  node: FetchNode;
  service: string;
  /** Concatenated flatten paths (`'@'` = every element of a list). */
  path: ResponsePath;
  /** Entity fetch (`_entities` with representations), as opposed to a root fetch. */
  isEntityFetch: boolean;
  /** Fetches with equal keys send the same operation: one `_entities` call serves them all. */
  shareKey: string;
  /**
   * `requires` made only of `... on T { scalar fields }` (the usual key and `@requires` inputs):
   * type name → response names, read straight from each entity. Null when not that simple.
   */
  simpleRequires: ReadonlyMap<string, readonly string[]> | null;
  /** Serialised request body around the variables: `{"query":…,"variables":` … `}`. */
  bodyPrefix: string;
  bodySuffix: string;
  /** `@fromContext` arguments: their values are read per entity from its ancestors (null: none). */
  context: StepContext | null;
}

/** A fetch's context rewrites: where each contextual variable's value is read from. */
export interface StepContext {
  /**
   * In the plan's order (the first that finds a value wins for its variable): a path relative to
   * the entity, where `..` goes up to the object holding the field the entity is in (list indexes
   * skipped), `... on T` continues only on objects of type T, and names are fields.
   */
  rewrites: readonly { path: readonly string[]; variable: string }[];
  /** The contextual variables (never taken from the client's variables). */
  variables: readonly string[];
}

export type Stage = readonly FetchStep[];

export type CompiledPlanResult = { ok: true; plan: CompiledPlan } | { ok: false; reason: string };

export interface CompiledPlan {
  /** The stages for this request's variables (plans with `@skip`/`@include` conditions vary). */
  stagesFor(variables: Record<string, unknown> | undefined): readonly Stage[];
  fetchCount: number;
}

/** Compiles a plan, or says why this executor leaves it to the stock gateway. */
export function compilePlan(queryPlan: QueryPlan, operation: Operation): CompiledPlanResult {
  const root = queryPlan.node;
  if (!root) return { ok: true, plan: { stagesFor: () => [], fetchCount: 0 } };
  if (root.kind === 'Subscription') return { ok: false, reason: 'subscription' };
  const unsupported = findUnsupported(root);
  if (unsupported) return { ok: false, reason: unsupported };

  const steps = new Map<FetchNode, FetchStep>();
  let counter = 0;
  const stepOf = (node: FetchNode, path: ResponsePath): FetchStep => {
    // A fetch node sits at one place in the plan, so one path per node.
    let step = steps.get(node);
    if (!step) {
      step = makeStep(counter++, node, path);
      steps.set(node, step);
    }
    return step;
  };
  const conditions: ConditionNode[] = [];
  collectConditions(root, conditions);

  const build = (variables: Record<string, unknown> | undefined): Stage[] => {
    // 1. Every fetch with the fetches it must wait for (those before it in enclosing Sequences).
    const placed: { step: FetchStep; preds: number[] }[] = [];
    const place = (node: PlanNode, preds: readonly number[], path: ResponsePath): number[] => {
      switch (node.kind) {
        case 'Fetch': {
          placed.push({ step: stepOf(node, path), preds: [...preds] });
          return [placed.length - 1];
        }
        case 'Flatten':
          return place(node.node, preds, path.length === 0 ? node.path : [...path, ...node.path]);
        case 'Sequence': {
          let current = [...preds];
          const all: number[] = [];
          for (const child of node.nodes) {
            const added = place(child, current, path);
            current = current.concat(added);
            all.push(...added);
          }
          return all;
        }
        case 'Parallel': {
          const all: number[] = [];
          for (const child of node.nodes) all.push(...place(child, preds, path));
          return all;
        }
        case 'Condition': {
          const branch = evaluateCondition(node, operation.variableDefinitions, variables) ? node.ifClause : node.elseClause;
          return branch ? place(branch, preds, path) : [];
        }
        case 'Defer':
          throw new Error('unreachable: @defer plans are left to the gateway');
        default:
          throw new Error(`unknown plan node ${(node as { kind: string }).kind}`);
      }
    };
    place(root, [], []);
    return scheduleStages(placed);
  };

  if (conditions.length === 0) {
    const stages = build(undefined);
    return { ok: true, plan: { stagesFor: () => stages, fetchCount: steps.size } };
  }
  const byConditions = new Map<string, Stage[]>();
  return {
    ok: true,
    plan: {
      stagesFor(variables) {
        const key = conditions.map((c) => (evaluateCondition(c, operation.variableDefinitions, variables) ? '1' : '0')).join('');
        let stages = byConditions.get(key);
        if (!stages) {
          stages = build(variables);
          byConditions.set(key, stages);
        }
        return stages;
      },
      get fetchCount() {
        return steps.size;
      },
    },
  };
}

/**
 * Stages from the dependency graph: each fetch at its earliest level; then an entity fetch that
 * can wait (nothing that depends on it runs before the later level) joins a later level that
 * already calls the same subgraph, so that one request serves both.
 */
function scheduleStages(placed: readonly { step: FetchStep; preds: readonly number[] }[]): Stage[] {
  const count = placed.length;
  const dependents: number[][] = placed.map(() => []);
  const level = new Array<number>(count).fill(0);
  placed.forEach(({ preds }, i) => {
    for (const p of preds) {
      level[i] = Math.max(level[i]!, level[p]! + 1);
      dependents[p]!.push(i);
    }
  });
  const depth = count === 0 ? 0 : Math.max(...level) + 1;
  const latest = new Array<number>(count).fill(depth - 1);
  for (let i = count - 1; i >= 0; i--) for (const d of dependents[i]!) latest[i] = Math.min(latest[i]!, latest[d]! - 1);
  const mergeable = (i: number) => placed[i]!.step.isEntityFetch && placed[i]!.step.node.operationKind === 'query';
  const sharesLevel = (i: number, at: number) => placed.some((other, j) => j !== i && level[j] === at && mergeable(j) && other.step.service === placed[i]!.step.service);
  for (let i = 0; i < count; i++) {
    if (!mergeable(i) || level[i]! >= latest[i]! || sharesLevel(i, level[i]!)) continue;
    const firstDependent = Math.min(Infinity, ...dependents[i]!.map((d) => level[d]!));
    for (let at = level[i]! + 1; at <= latest[i]! && at < firstDependent; at++) {
      if (sharesLevel(i, at)) {
        level[i] = at;
        break;
      }
    }
  }
  const stages: FetchStep[][] = Array.from({ length: depth }, () => []);
  placed.forEach(({ step }, i) => stages[level[i]!]!.push(step));
  for (const stage of stages) stage.sort((a, b) => a.index - b.index);
  return stages.filter((stage) => stage.length > 0);
}

function findUnsupported(node: PlanNode): string | undefined {
  switch (node.kind) {
    case 'Fetch':
      // Context values are read per entity: the planner only gives them to entity fetches.
      if (node.contextRewrites?.length && (!node.requires || node.operationKind !== 'query')) return 'context rewrites (@fromContext) on a root fetch';
      if (node.contextRewrites?.some((rewrite) => rewrite.kind !== 'KeyRenamer')) return 'context rewrites (@fromContext) other than key renamers';
      if (node.hasDefers) return '@defer';
      return undefined;
    case 'Flatten':
      return findUnsupported(node.node);
    case 'Sequence':
    case 'Parallel':
      for (const child of node.nodes) {
        const reason = findUnsupported(child);
        if (reason) return reason;
      }
      return undefined;
    case 'Condition':
      return (node.ifClause && findUnsupported(node.ifClause)) || (node.elseClause && findUnsupported(node.elseClause)) || undefined;
    case 'Defer':
      return '@defer';
    default:
      return `plan node ${(node as { kind: string }).kind}`;
  }
}

function collectConditions(node: PlanNode, out: ConditionNode[]): void {
  switch (node.kind) {
    case 'Flatten':
      return collectConditions(node.node, out);
    case 'Sequence':
    case 'Parallel':
      for (const child of node.nodes) collectConditions(child, out);
      return;
    case 'Condition':
      out.push(node);
      if (node.ifClause) collectConditions(node.ifClause, out);
      if (node.elseClause) collectConditions(node.elseClause, out);
      return;
    default:
      return;
  }
}

function makeStep(index: number, node: FetchNode, path: ResponsePath): FetchStep {
  const isEntityFetch = node.requires !== undefined;
  const operationName = node.operationName;
  return {
    index,
    node,
    service: node.serviceName,
    path,
    isEntityFetch,
    simpleRequires: node.inputRewrites?.length ? null : simpleRequiresOf(node.requires),
    shareKey: `${node.serviceName}\u0000${node.operation}\u0000${JSON.stringify(node.inputRewrites ?? null)}\u0000${JSON.stringify(node.outputRewrites ?? null)}\u0000${JSON.stringify(node.requires ?? null)}\u0000${JSON.stringify(node.contextRewrites ?? null)}`,
    bodyPrefix: `{"query":${JSON.stringify(node.operation)},"variables":`,
    bodySuffix: operationName === undefined ? '}' : `,"operationName":${JSON.stringify(operationName)}}`,
    context: node.contextRewrites?.length ? contextOf(node.contextRewrites) : null,
  };
}

function contextOf(rewrites: NonNullable<FetchNode['contextRewrites']>): StepContext {
  const variables: string[] = [];
  for (const rewrite of rewrites) if (!variables.includes(rewrite.renameKeyTo)) variables.push(rewrite.renameKeyTo);
  return { rewrites: rewrites.map((rewrite) => ({ path: rewrite.path, variable: rewrite.renameKeyTo })), variables };
}

function simpleRequiresOf(requires: FetchNode['requires']): Map<string, string[]> | null {
  if (!requires) return null;
  const byType = new Map<string, string[]>();
  for (const selection of requires) {
    if (selection.kind !== 'InlineFragment' || !selection.typeCondition || byType.has(selection.typeCondition)) return null;
    const names: string[] = [];
    for (const field of selection.selections) {
      if (field.kind !== 'Field' || field.selections) return null;
      const name = field.alias ?? field.name;
      if (names.includes(name)) return null;
      names.push(name);
    }
    byType.set(selection.typeCondition, names);
  }
  return byType;
}

/** One request that serves several different entity operations of one stage and subgraph. */
export interface MergedOperation {
  bodyPrefix: string;
  bodySuffix: string;
  /** Response key (`_e0`, `_e1`…) of each operation, in order. */
  aliases: string[];
  /** Representations variable of each operation (`r0`…, or a name no operation uses already). */
  representations: string[];
  /** Context fetches: each operation's contextual variables → their names in the merged document. */
  contextVariables: (ReadonlyMap<string, string> | undefined)[];
}

const mergedCache = new WeakMap<FetchStep, Map<string, MergedOperation>>();
/** Steps from different plans are merged too (entity batching): each step gets an id of its own. */
const stepIds = new WeakMap<FetchStep, number>();
let nextStepId = 0;
/** Merged documents kept per first step; more combinations than this start the cache over. */
const MAX_MERGED_PER_STEP = 64;

function stepId(step: FetchStep): number {
  let id = stepIds.get(step);
  if (id === undefined) stepIds.set(step, (id = nextStepId++));
  return id;
}

/** A merged document for `steps`, built once per combination (kept per first step, bounded). */
function memoized<T>(cache: WeakMap<FetchStep, Map<string, T>>, steps: readonly FetchStep[], build: () => T): T {
  const first = steps[0]!;
  const key = steps.map(stepId).join(',');
  let perFirst = cache.get(first);
  if (!perFirst) cache.set(first, (perFirst = new Map()));
  let merged = perFirst.get(key);
  if (merged === undefined) {
    if (perFirst.size >= MAX_MERGED_PER_STEP) perFirst.clear();
    perFirst.set(key, (merged = build()));
  }
  return merged;
}

/**
 * Merges different `_entities` operations for one subgraph into one document: each operation's
 * `_entities` field gets an alias and its own representations variable; fragment names get a
 * suffix so they cannot clash; the client's variables keep their names (same values for all);
 * contextual variables get one name per operation (the same fetch may be there once per set of
 * context values). New variable names are ones no operation uses.
 */
export function mergeEntityOperations(steps: readonly FetchStep[]): MergedOperation {
  return memoized(mergedCache, steps, () => buildEntityMerge(steps));
}

function buildEntityMerge(steps: readonly FetchStep[]): MergedOperation {
  const first = steps[0]!;

  const variableDefinitions = new Map<string, VariableDefinitionNode>();
  const fields: FieldNode[] = [];
  const fragments: FragmentDefinitionNode[] = [];
  const aliases: string[] = [];
  const representationVariables: string[] = [];
  const contextVariables: (Map<string, string> | undefined)[] = [];
  const documents = steps.map((step) => step.node.operationDocumentNode ?? parse(step.node.operation));
  const taken = new Set<string>();
  for (const document of documents) visit(document, { VariableDefinition: (node) => void taken.add(node.variable.name.value) });
  const fresh = (name: string) => {
    let candidate = name;
    while (taken.has(candidate)) candidate += '_';
    taken.add(candidate);
    return candidate;
  };
  steps.forEach((step, i) => {
    const alias = `_e${i}`;
    const representations = fresh(`r${i}`);
    aliases.push(alias);
    representationVariables.push(representations);
    const context = step.context ? new Map(step.context.variables.map((name) => [name, fresh(`${name}_${i}`)])) : undefined;
    contextVariables.push(context);
    const renamed = visit(documents[i]!, {
      FragmentDefinition: (node) => ({ ...node, name: { ...node.name, value: `${node.name.value}_${i}` } }),
      FragmentSpread: (node) => ({ ...node, name: { ...node.name, value: `${node.name.value}_${i}` } }),
      Variable: (node) => {
        const name = node.name.value === 'representations' ? representations : context?.get(node.name.value);
        return name === undefined ? undefined : { ...node, name: { ...node.name, value: name } };
      },
    }) as DocumentNode;
    for (const definition of renamed.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) {
        fragments.push(definition);
      } else if (definition.kind === Kind.OPERATION_DEFINITION) {
        for (const variable of definition.variableDefinitions ?? []) {
          if (!variableDefinitions.has(variable.variable.name.value)) variableDefinitions.set(variable.variable.name.value, variable);
        }
        for (const selection of definition.selectionSet.selections) {
          if (selection.kind !== Kind.FIELD || selection.name.value !== '_entities') throw new Error('expected an _entities operation');
          fields.push({ ...selection, alias: { kind: Kind.NAME, value: alias } });
        }
      }
    }
  });
  const operationName = first.node.operationName ? `${first.node.operationName}__merged` : undefined;
  const operation: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: 'query' as OperationDefinitionNode['operation'],
    ...(operationName ? { name: { kind: Kind.NAME, value: operationName } } : {}),
    variableDefinitions: [...variableDefinitions.values()],
    selectionSet: { kind: Kind.SELECTION_SET, selections: fields },
  };
  const text = print({ kind: Kind.DOCUMENT, definitions: [operation, ...fragments] });
  return {
    bodyPrefix: `{"query":${JSON.stringify(text)},"variables":`,
    bodySuffix: operationName === undefined ? '}' : `,"operationName":${JSON.stringify(operationName)}}`,
    aliases,
    representations: representationVariables,
    contextVariables,
  };
}

/** Root query fetches of different client operations merged into one subgraph document. */
export interface MergedRootOperation {
  bodyPrefix: string;
  bodySuffix: string;
  /** The prefix of each operation's top-level response names (`_q0_`, `_q1_`, …). */
  prefixes: string[];
  /** Each operation's variables → their names in the merged document. */
  variables: ReadonlyMap<string, string>[];
}

const mergedRootCache = new WeakMap<FetchStep, Map<string, MergedRootOperation>>();
const rootMergeable = new WeakMap<FetchStep, boolean>();

/**
 * Whether a root fetch can share a document with others: a query whose top level is plain fields
 * (no fragments, no directives on the operation), so each field can take a prefixed alias.
 */
export function isMergeableRootFetch(step: FetchStep): boolean {
  let known = rootMergeable.get(step);
  if (known === undefined) {
    const document = step.node.operationDocumentNode ?? parse(step.node.operation);
    const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const operation = operations[0];
    known =
      !step.isEntityFetch &&
      step.node.operationKind === 'query' &&
      operations.length === 1 &&
      operation !== undefined &&
      operation.operation === 'query' &&
      !operation.directives?.length &&
      operation.selectionSet.selections.every((s) => s.kind === Kind.FIELD);
    rootMergeable.set(step, known);
  }
  return known;
}

/**
 * Merges root query fetches (of different client operations, each `isMergeableRootFetch`) into
 * one document: each operation's top-level fields are aliased with its prefix, its variables and
 * fragments renamed with its index, so the operations cannot see each other's values.
 */
export function mergeRootOperations(steps: readonly FetchStep[]): MergedRootOperation {
  return memoized(mergedRootCache, steps, () => buildRootMerge(steps));
}

function buildRootMerge(steps: readonly FetchStep[]): MergedRootOperation {
  const first = steps[0]!;

  const variableDefinitions: VariableDefinitionNode[] = [];
  const fields: FieldNode[] = [];
  const fragments: FragmentDefinitionNode[] = [];
  const prefixes: string[] = [];
  const variables: Map<string, string>[] = [];
  steps.forEach((step, i) => {
    const prefix = `_q${i}_`;
    prefixes.push(prefix);
    const renamedVariables = new Map<string, string>();
    variables.push(renamedVariables);
    const document = step.node.operationDocumentNode ?? parse(step.node.operation);
    const renamed = visit(document, {
      FragmentDefinition: (node) => ({ ...node, name: { ...node.name, value: `${node.name.value}_q${i}` } }),
      FragmentSpread: (node) => ({ ...node, name: { ...node.name, value: `${node.name.value}_q${i}` } }),
      Variable: (node) => {
        const name = `${node.name.value}_q${i}`;
        renamedVariables.set(node.name.value, name);
        return { ...node, name: { ...node.name, value: name } };
      },
    }) as DocumentNode;
    for (const definition of renamed.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) {
        fragments.push(definition);
      } else if (definition.kind === Kind.OPERATION_DEFINITION) {
        variableDefinitions.push(...(definition.variableDefinitions ?? []));
        for (const selection of definition.selectionSet.selections) {
          if (selection.kind !== Kind.FIELD) throw new Error('expected top-level fields only');
          fields.push({ ...selection, alias: { kind: Kind.NAME, value: `${prefix}${(selection.alias ?? selection.name).value}` } });
        }
      }
    }
  });
  const operationName = first.node.operationName ? `${first.node.operationName}__batch` : undefined;
  const operation: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: 'query' as OperationDefinitionNode['operation'],
    ...(operationName ? { name: { kind: Kind.NAME, value: operationName } } : {}),
    variableDefinitions,
    selectionSet: { kind: Kind.SELECTION_SET, selections: fields },
  };
  const text = print({ kind: Kind.DOCUMENT, definitions: [operation, ...fragments] });
  return {
    bodyPrefix: `{"query":${JSON.stringify(text)},"variables":`,
    bodySuffix: operationName === undefined ? '}' : `,"operationName":${JSON.stringify(operationName)}}`,
    prefixes,
    variables,
  };
}
