// Runs a compiled plan: stage by stage, every request of a stage in parallel, answers merged into
// one data tree with the gateway's own merge rules. Errors get the paths the gateway gives them.
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { ERRORS, errorCodeDef } from '@apollo/federation-internals';
import type { RouterContext } from '../request-context.ts';
import { contextKey, contextValues } from './context.ts';
import { applyRewrites, deepMerge, getOwn, objectsAtPath, representationOf, setOwn, type ResultMap } from './data.ts';
import { isMergeableRootFetch, mergeEntityOperations, type FetchStep, type Stage } from './plan.ts';
import type { SubgraphBatcher } from './batching.ts';
import type { CacheHint, SendToSubgraph, SubgraphError, SubgraphResponse } from './subgraph-client.ts';

export interface ExecutionEnvironment {
  /** The supergraph as a graphql-js schema: `requires` may name `@inaccessible` types. */
  supergraphSchema: GraphQLSchema;
  send: SendToSubgraph;
  /**
   * Batching across client operations (`SUBGRAPH_BATCHING`): the requests that concurrent query
   * operations make to one subgraph in the same event-loop turn go out as one. Absent: every
   * operation sends its own.
   */
  batcher?: SubgraphBatcher;
}

export interface ExecutionOutcome {
  data: ResultMap;
  errors: Error[];
  /** Each subgraph answer's `cache-control`, for the response's cache policy. */
  cacheHints: CacheHint[];
  /** Subgraph requests this operation made. */
  requests: number;
}

type Path = (string | number)[];

/** A fetch of the current stage with the objects it applies to. */
export interface PreparedFetch {
  step: FetchStep;
  /** The data tree the entities were read from. */
  root: ResultMap;
  entities: ResultMap[];
  variables: Record<string, unknown>;
  /** Entity fetches: index into `entities` of each object that has a representation, duplicates included. */
  representationEntities?: number[];
  /**
   * Representations not read straight from the entity (`requires` not `simpleRequires`, or a type
   * it does not list) and their dedup keys, at their position in `representationEntities`.
   */
  built?: ResultMap[];
  builtKeys?: string[];
  paths?: Path[];
  /** `@fromContext`: the contextual variables' values for these entities (all equal), and their key. */
  contextValues?: Record<string, unknown>;
  contextKey?: string;
}

/** Fetches with the same operation: one `_entities` call with their representations, deduplicated. */
export interface SharedCall {
  /** The fetches' share key (the subgraph operation, its rewrites and context values). */
  key: string;
  fetches: PreparedFetch[];
  /**
   * Set on a call that batches fetches of several client operations: the operation each fetch
   * belongs to (its errors and cache hints go there). Absent: all fetches are the caller's.
   */
  runs?: RunState[];
  unique: ResultMap[];
  /** Built representations: serialised representation → index in `unique`. */
  index?: Map<string, number>;
  /** Representations of `simpleRequires`, without a string key per entity: type name → its index. */
  byType?: Map<string, SimpleIndex>;
  /** For each unique representation: [fetch index in `fetches`, entity index] pairs. */
  targets: number[][];
}

/**
 * One type's representations under `simpleRequires`: the value of its first field other than
 * `__typename` (usually the key) → the index (or indexes) in `unique` to compare the other fields with.
 */
interface SimpleIndex {
  /** The value when not an object (Map equality: strings, numbers, booleans and null stay apart). */
  byValue: Map<unknown, number | number[]>;
  /** Object and list values, by their JSON. */
  byJson?: Map<string, number | number[]>;
}

/** Per-request state shared by the fetches of a plan. */
export interface RunState {
  context: Partial<RouterContext>;
  env: ExecutionEnvironment;
  errors: Error[];
  cacheHints: CacheHint[];
  onCacheHint: (hint: CacheHint) => void;
  /** The client's operation is a query: its query fetches may share identical requests in flight. */
  readOnly: boolean;
}

/**
 * `readOnly`: the client's operation is a query. Only then may a fetch share an identical request
 * in flight (and only a query fetch): a mutation's fetches, even its `_entities` reads after the
 * write, always go out on their own.
 */
export async function executeStages(stages: readonly Stage[], variables: Record<string, unknown> | undefined, context: Partial<RouterContext>, env: ExecutionEnvironment, readOnly = false): Promise<ExecutionOutcome> {
  const data: ResultMap = {};
  const errors: Error[] = [];
  const cacheHints: CacheHint[] = [];
  const run: RunState = { context, env, errors, cacheHints, onCacheHint: (hint) => void cacheHints.push(hint), readOnly };
  let requests = 0;
  for (const stage of stages) {
    const pending: Promise<void>[] = [];
    const entityCalls = new Map<string, Map<string, SharedCall>>();
    for (const step of stage) {
      if (step.context) {
        // One call per set of context values: entities only share a call when their arguments match.
        try {
          for (const prepared of prepareWithContext(step, data, variables, env.supergraphSchema)) addToCall(callFor(entityCalls, step.service, `${step.shareKey}\u0000${prepared.contextKey}`), prepared);
        } catch (error) {
          errors.push(asError(error));
        }
        continue;
      }
      let prepared: PreparedFetch | null;
      try {
        prepared = prepare(step, data, variables, env.supergraphSchema);
      } catch (error) {
        errors.push(asError(error));
        continue;
      }
      if (!prepared) continue;
      if (!step.isEntityFetch || step.node.operationKind !== 'query') {
        requests++;
        if (env.batcher && shareable(step, run) && isMergeableRootFetch(step)) pending.push(env.batcher.submitRoot(prepared, run));
        else pending.push(runRootFetch(prepared, run));
        continue;
      }
      addToCall(callFor(entityCalls, step.service, step.shareKey), prepared);
    }
    for (const byShare of entityCalls.values()) {
      const calls = [...byShare.values()];
      requests++;
      const batcher = env.batcher;
      if (batcher && calls.every((call) => shareable(call.fetches[0]!.step, run))) pending.push(batcher.submit(calls, run));
      else pending.push(runEntityCalls(calls, run).then((extra) => void (requests += extra)));
    }
    await Promise.all(pending);
  }
  return { data, errors, cacheHints, requests };
}

function callFor(entityCalls: Map<string, Map<string, SharedCall>>, service: string, shareKey: string): SharedCall {
  let byShare = entityCalls.get(service);
  if (!byShare) entityCalls.set(service, (byShare = new Map()));
  let call = byShare.get(shareKey);
  if (!call) byShare.set(shareKey, (call = { key: shareKey, fetches: [], unique: [], targets: [] }));
  return call;
}

function prepare(step: FetchStep, data: ResultMap, variables: Record<string, unknown> | undefined, schema: GraphQLSchema): PreparedFetch | null {
  const entities: ResultMap[] = [];
  objectsAtPath(data, step.path, entities);
  if (entities.length === 0) return null;
  return withRepresentations({ step, root: data, entities, variables: fetchVariablesOf(step, variables) }, schema);
}

function fetchVariablesOf(step: FetchStep, variables: Record<string, unknown> | undefined): Record<string, unknown> {
  const fetchVariables: Record<string, unknown> = {};
  const usages = step.node.variableUsages;
  if (usages && variables) {
    for (const name of usages) {
      if (Object.prototype.hasOwnProperty.call(variables, name) && variables[name] !== undefined) fetchVariables[name] = variables[name];
    }
  }
  return fetchVariables;
}

/**
 * An entity fetch with contextual arguments: its entities grouped by their context values (read
 * from each one's ancestors), one prepared fetch per group, in the order groups first appear.
 */
function prepareWithContext(step: FetchStep, data: ResultMap, variables: Record<string, unknown> | undefined, schema: GraphQLSchema): PreparedFetch[] {
  const context = step.context!;
  const entities: ResultMap[] = [];
  const paths: Path[] = [];
  objectsAtPath(data, step.path, entities, paths);
  if (entities.length === 0) return [];
  const groups = new Map<string, { entities: ResultMap[]; paths: Path[]; values: Record<string, unknown> }>();
  for (let i = 0; i < entities.length; i++) {
    const values = contextValues(schema, data, paths[i]!, context);
    const key = contextKey(values, context);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { entities: [], paths: [], values }));
    group.entities.push(entities[i]!);
    group.paths.push(paths[i]!);
  }
  // Contextual variables come from the data only, never from the client's variables.
  const fetchVariables = fetchVariablesOf(step, variables);
  for (const name of context.variables) delete fetchVariables[name];
  const prepared: PreparedFetch[] = [];
  for (const [key, group] of groups) {
    const fetch = withRepresentations({ step, root: data, entities: group.entities, variables: fetchVariables, paths: group.paths, contextValues: group.values, contextKey: key }, schema);
    if (fetch) prepared.push(fetch);
  }
  return prepared;
}

/** Entity fetches: which entities have a representation (none: nothing to fetch). */
function withRepresentations(prepared: PreparedFetch, schema: GraphQLSchema): PreparedFetch | null {
  const { step, entities, variables: fetchVariables } = prepared;
  const requires = step.node.requires;
  if (!requires) return prepared;
  const representationEntities: number[] = [];
  let built: ResultMap[] | undefined;
  let builtKeys: string[] | undefined;
  const simple = step.simpleRequires;
  for (let i = 0; i < entities.length; i++) {
    const entity = entities[i]!;
    const typename = entity.__typename;
    const fields = simple && typeof typename === 'string' ? simple.get(typename) : undefined;
    if (fields) {
      // The usual case: the representation is read from the entity when the call is deduplicated.
      if (hasFields(entity, fields)) representationEntities.push(i);
      continue;
    }
    const representation = representationOf(schema, entity, requires);
    if (representation && representation.__typename) {
      applyRewrites(schema, step.node.inputRewrites, representation);
      built ??= [];
      builtKeys ??= [];
      built[representationEntities.length] = representation;
      builtKeys[representationEntities.length] = representationKey(representation);
      representationEntities.push(i);
    }
  }
  if (representationEntities.length === 0) return null;
  if ('representations' in fetchVariables) throw new Error('Variables cannot contain key "representations"');
  prepared.representationEntities = representationEntities;
  if (built) {
    prepared.built = built;
    prepared.builtKeys = builtKeys;
  }
  return prepared;
}

function hasFields(entity: ResultMap, fields: readonly string[]): boolean {
  for (const name of fields) if (getOwn(entity, name) === undefined) return false;
  return true;
}

export function addToCall(call: SharedCall, prepared: PreparedFetch): void {
  const fetchIndex = call.fetches.length;
  call.fetches.push(prepared);
  const { entities, built, builtKeys } = prepared;
  const simple = prepared.step.simpleRequires;
  const entityIndexes = prepared.representationEntities!;
  for (let i = 0; i < entityIndexes.length; i++) {
    const entityIndex = entityIndexes[i]!;
    const representation = built?.[i];
    let u: number;
    if (representation) {
      const key = builtKeys![i]!;
      const index = (call.index ??= new Map());
      const found = index.get(key);
      if (found === undefined) index.set(key, (u = addUnique(call, representation)));
      else u = found;
    } else {
      const entity = entities[entityIndex]!;
      u = simpleUnique(call, entity, simple!.get(entity.__typename as string)!);
    }
    call.targets[u]!.push(fetchIndex, entityIndex);
  }
}

function addUnique(call: SharedCall, representation: ResultMap): number {
  const u = call.unique.length;
  call.unique.push(representation);
  call.targets.push([]);
  return u;
}

/**
 * The index in `call.unique` of an entity's representation under `simpleRequires` (added when
 * new). Equal means: same type, and each field the same string, the same JSON for objects and
 * lists, the same `String()` for other values.
 */
function simpleUnique(call: SharedCall, entity: ResultMap, fields: readonly string[]): number {
  const typename = entity.__typename as string;
  const byType = (call.byType ??= new Map());
  let index = byType.get(typename);
  if (!index) byType.set(typename, (index = { byValue: new Map() }));
  // Field names are unique, so `__typename` is at most once among them.
  const first = fields.length > 1 && fields[0] === '__typename' ? 1 : 0;
  const value = getOwn(entity, fields[first]!);
  const isObject = typeof value === 'object' && value !== null;
  const map: Map<unknown, number | number[]> = isObject ? (index.byJson ??= new Map()) : index.byValue;
  const mapKey = isObject ? JSON.stringify(value) : value;
  const found = map.get(mapKey);
  if (typeof found === 'number') {
    if (sameFields(call.unique[found]!, entity, fields, first)) return found;
  } else if (found) {
    for (const u of found) if (sameFields(call.unique[u]!, entity, fields, first)) return u;
  }
  const representation: ResultMap = {};
  for (const name of fields) setOwn(representation, name, entity[name]);
  const u = addUnique(call, representation);
  if (found === undefined) map.set(mapKey, u);
  else if (typeof found === 'number') map.set(mapKey, [found, u]);
  else found.push(u);
  return u;
}

function sameFields(representation: ResultMap, entity: ResultMap, fields: readonly string[], skip: number): boolean {
  for (let f = 0; f < fields.length; f++) {
    if (f !== skip && !sameKeyValue(getOwn(representation, fields[f]!), getOwn(entity, fields[f]!))) return false;
  }
  return true;
}

function sameKeyValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const aObject = typeof a === 'object' && a !== null;
  const bObject = typeof b === 'object' && b !== null;
  if (aObject || bObject) return aObject && bObject && JSON.stringify(a) === JSON.stringify(b);
  if (typeof a === 'string' || typeof b === 'string') return false;
  return String(a) === String(b);
}

/** A fetch that may share an identical request in flight: a query, in a query operation. */
function shareable(step: FetchStep, run: RunState): boolean {
  return run.readOnly && step.node.operationKind === 'query';
}

export async function runRootFetch(prepared: PreparedFetch, run: RunState): Promise<void> {
  const { step } = prepared;
  let response: SubgraphResponse;
  try {
    response = await run.env.send(step.service, step.bodyPrefix + JSON.stringify(prepared.variables) + step.bodySuffix, run.context, run.onCacheHint, shareable(step, run));
  } catch (error) {
    run.errors.push(asError(error));
    return;
  }
  handleRootResponse(prepared, response, run);
}

export function handleRootResponse(prepared: PreparedFetch, response: SubgraphResponse, run: RunState): void {
  const { step } = prepared;
  const { env, errors } = run;
  if (response.errors) {
    for (const error of response.errors) {
      errors.push(downstreamError(error, step.service, Array.isArray(error.path) ? [...step.path, ...error.path] : undefined));
    }
  }
  const received = response.data;
  if (!received) return;
  try {
    applyRewrites(env.supergraphSchema, step.node.outputRewrites, received);
  } catch (error) {
    errors.push(asError(error));
    return;
  }
  for (const entity of prepared.entities) deepMerge(entity, received);
}

/**
 * One request to one subgraph for all entity calls of a stage. Returns how many extra requests
 * were needed (a merged request whose whole `data` failed is retried call by call, so that one
 * failing operation cannot take the others' answers with it).
 */
export async function runEntityCalls(calls: SharedCall[], run: RunState): Promise<number> {
  const { env } = run;
  const service = calls[0]!.fetches[0]!.step.service;
  if (calls.length === 1) {
    await runSingleCall(calls[0]!, service, run);
    return 0;
  }
  const merged = mergeEntityOperations(calls.map((c) => c.fetches[0]!.step));
  const variables: Record<string, unknown> = {};
  calls.forEach((call, i) => {
    for (const fetch of call.fetches) Object.assign(variables, fetch.variables);
    variables[merged.representations[i]!] = call.unique;
    const renamed = merged.contextVariables[i];
    if (renamed) {
      const values = call.fetches[0]!.contextValues!;
      for (const [name, as] of renamed) if (Object.prototype.hasOwnProperty.call(values, name)) variables[as] = values[name];
    }
  });
  let response: SubgraphResponse;
  try {
    response = await env.send(service, merged.bodyPrefix + JSON.stringify(variables) + merged.bodySuffix, run.context, run.onCacheHint, calls.every((call) => shareable(call.fetches[0]!.step, run)));
  } catch (error) {
    // As separate requests, each would have failed the same way: one error per call.
    const failure = asError(error);
    for (const call of calls) for (const owner of ownersOf(call, run)) owner.errors.push(failure);
    return 0;
  }
  if (!response.data && response.errors?.length) {
    await Promise.all(calls.map((call) => runSingleCall(call, service, run)));
    return calls.length;
  }
  calls.forEach((call, i) => {
    const alias = merged.aliases[i]!;
    const callErrors = response.errors?.filter((error) => (Array.isArray(error.path) ? error.path[0] === alias : i === 0));
    handleCallResponse(call, service, { data: response.data ? { _entities: response.data[alias] } : response.data, ...(callErrors?.length ? { errors: callErrors } : {}) }, run);
  });
  return 0;
}

async function runSingleCall(call: SharedCall, service: string, run: RunState): Promise<void> {
  const { env } = run;
  const step = call.fetches[0]!.step;
  const variables: Record<string, unknown> = {};
  for (const fetch of call.fetches) Object.assign(variables, fetch.variables);
  // Contextual variables (the same for every fetch of a call).
  const contextValues = call.fetches[0]!.contextValues;
  if (contextValues) Object.assign(variables, contextValues);
  variables.representations = call.unique;
  let response: SubgraphResponse;
  try {
    response = await env.send(service, step.bodyPrefix + JSON.stringify(variables) + step.bodySuffix, run.context, run.onCacheHint, shareable(step, run));
  } catch (error) {
    const failure = asError(error);
    for (let i = 0; i < call.fetches.length; i++) runOf(call, i, run).errors.push(failure);
    return;
  }
  handleCallResponse(call, service, response, run);
}

export function handleCallResponse(call: SharedCall, service: string, response: SubgraphResponse, run: RunState): void {
  const { env } = run;
  if (response.errors) {
    for (const error of response.errors) {
      const path = Array.isArray(error.path) ? error.path : undefined;
      if (path && typeof path[1] === 'number') {
        // An error on one representation: every object that shares it gets it, at its own path.
        const targets = call.targets[path[1]] ?? [];
        for (let t = 0; t < targets.length; t += 2) {
          const fetch = call.fetches[targets[t]!]!;
          runOf(call, targets[t]!, run).errors.push(downstreamError(error, service, [...entityPath(fetch, targets[t + 1]!), ...path.slice(2)]));
        }
      } else {
        // Not tied to a representation: as separate requests, each fetch would have seen it.
        call.fetches.forEach((fetch, f) => runOf(call, f, run).errors.push(downstreamError(error, service, path ? [...fetch.step.path, '_entities', ...path.slice(1)] : undefined)));
      }
    }
  }
  const received = response.data;
  if (!received) return;
  const entities = received._entities;
  if (!Array.isArray(entities)) {
    for (let i = 0; i < call.fetches.length; i++) runOf(call, i, run).errors.push(asError(new Error('Expected "data._entities" in response to be an array')));
    return;
  }
  if (entities.length !== call.unique.length) {
    // The gateway checks the count per fetch; report it as each fetch would.
    call.fetches.forEach((fetch, f) => runOf(call, f, run).errors.push(asError(new Error(`Expected "data._entities" to contain ${fetch.representationEntities!.length} elements`))));
    return;
  }
  const outputRewrites = call.fetches[0]!.step.node.outputRewrites;
  for (let u = 0; u < entities.length; u++) {
    const entity = entities[u] as ResultMap | null | undefined;
    if (entity === null || entity === undefined) continue;
    const targets = call.targets[u]!;
    if (!entity.__typename) entity.__typename = call.fetches[targets[0]!]!.entities[targets[1]!]!.__typename;
    try {
      applyRewrites(env.supergraphSchema, outputRewrites, entity);
    } catch (error) {
      for (const owner of ownersOf(call, run)) owner.errors.push(asError(error));
      continue;
    }
    for (let t = 0; t < targets.length; t += 2) deepMerge(call.fetches[targets[t]!]!.entities[targets[t + 1]!]!, entity);
  }
}

/** The operation a fetch of a call belongs to. */
function runOf(call: SharedCall, fetchIndex: number, run: RunState): RunState {
  return call.runs?.[fetchIndex] ?? run;
}

/** The operations a call serves (one, unless it batches several). */
export function ownersOf(call: SharedCall, run: RunState): RunState[] {
  return call.runs ? [...new Set(call.runs)] : [run];
}

/** Identifies equal representations (same keys in the same order, same values). */
function representationKey(representation: ResultMap): string {
  let key = '';
  for (const name in representation) {
    const value = representation[name];
    switch (typeof value) {
      case 'string':
        key += `${name}\u0001${value}\u0002`;
        break;
      case 'number':
      case 'boolean':
        key += `${name}\u0003${value}\u0002`;
        break;
      default:
        key += `${name}\u0004${JSON.stringify(value)}\u0002`;
    }
  }
  return key;
}

/** The concrete response path of one entity of a fetch (computed on the first error only). */
function entityPath(fetch: PreparedFetch, entityIndex: number): Path {
  if (!fetch.paths) {
    fetch.paths = [];
    const objects: ResultMap[] = [];
    // Positions of the fetch's objects do not move while answers are merged into them.
    objectsAtPath(fetch.root, fetch.step.path, objects, fetch.paths);
  }
  return fetch.paths[entityIndex] ?? [];
}

/** The gateway's `downstreamServiceError`: the subgraph's message and code, plus `serviceName`. */
export function downstreamError(original: SubgraphError, serviceName: string, path: Path | undefined): GraphQLError {
  const message = original.message || `Error while fetching subquery from service "${serviceName}"`;
  const extensions = original.extensions;
  const options = { originalError: original as unknown as Error, path, extensions: { ...extensions, serviceName } };
  const codeDef = errorCodeDef(original as never);
  if (!codeDef && extensions?.code) return new GraphQLError(message, options);
  return (codeDef ?? ERRORS.DOWNSTREAM_SERVICE_ERROR).err(message, options);
}

/** Failures are reported as the gateway reports them: GraphQLErrors as they are, anything else as a plain Error. */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
