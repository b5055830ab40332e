// Batching across client operations (`SUBGRAPH_BATCHING`): the subgraph requests that concurrent
// query operations make in one event-loop turn, to one subgraph with the same identity and
// forwarded headers, go out as one. Built on the executor's own calls (./execute.ts): each
// operation's fetches keep their own data tree, errors and cache hints.
import { SubgraphRequestError } from '../errors.ts';
import { REQUEST_ID_HEADER, type RouterContext } from '../request-context.ts';
import { setOwn } from './data.ts';
import {
  addToCall,
  asError,
  handleCallResponse,
  handleRootResponse,
  ownersOf,
  runEntityCalls,
  runRootFetch,
  type PreparedFetch,
  type RunState,
  type SharedCall,
} from './execute.ts';
import { mergeEntityOperations, mergeRootOperations } from './plan.ts';
import type { CacheHint, SubgraphError, SubgraphResponse } from './subgraph-client.ts';

/** Most operations one batched subgraph request carries. */
export const MAX_BATCHED_OPERATIONS = 16;

/** One operation's entity calls to one subgraph, waiting for the batch to go out. */
interface BatchEntry {
  calls: SharedCall[];
  run: RunState;
  done: () => void;
}

export interface SubgraphBatcher {
  /** Sends `calls` (one operation's, to one subgraph) with those of other operations of this turn. */
  submit(calls: SharedCall[], run: RunState): Promise<void>;
  /** Sends a root query fetch (`isMergeableRootFetch`) with other operations' of this turn. */
  submitRoot(fetch: PreparedFetch, run: RunState): Promise<void>;
}

/** One operation's root query fetch, waiting for the batch to go out. */
interface RootEntry {
  fetch: PreparedFetch;
  run: RunState;
  done: () => void;
}

/**
 * Batching across client operations. The requests that query operations make to one subgraph in
 * the same event-loop turn, with the same identity and forwarded headers, are sent as one at the
 * end of the turn (`setImmediate`). Entity calls with the same subgraph operation and variables
 * become one `_entities` call (each operation's representations in turn, deduplicated within that
 * operation only), different ones share the request as aliased fields; root query fetches share
 * it under per-operation alias prefixes (`runRootBatch`). Each operation still gets only its own
 * data and errors, at its own paths. Nothing waits for more than the current turn, so an idle
 * router adds no latency; under load, the subgraphs receive fewer, larger requests. A batch whose
 * whole `data` failed, or that the subgraph refused, is re-sent operation by operation, so that
 * one operation cannot take the others' answers with it.
 */
export function createSubgraphBatcher(): SubgraphBatcher {
  const queues = new Map<string, BatchEntry[]>();
  const rootQueues = new Map<string, RootEntry[]>();
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const batches = [...queues.values()];
    queues.clear();
    const rootBatches = [...rootQueues.values()];
    rootQueues.clear();
    for (const entries of batches) {
      for (let i = 0; i < entries.length; i += MAX_BATCHED_OPERATIONS) void runBatch(entries.slice(i, i + MAX_BATCHED_OPERATIONS));
    }
    for (const entries of rootBatches) {
      for (let i = 0; i < entries.length; i += MAX_BATCHED_OPERATIONS) void runRootBatch(entries.slice(i, i + MAX_BATCHED_OPERATIONS));
    }
  };
  const schedule = () => {
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  return {
    submit(calls, run) {
      return new Promise<void>((done) => {
        const key = batchScope(calls[0]!.fetches[0]!.step.service, run.context);
        let queue = queues.get(key);
        if (!queue) queues.set(key, (queue = []));
        queue.push({ calls, run, done });
        schedule();
      });
    },
    submitRoot(fetch, run) {
      return new Promise<void>((done) => {
        const key = batchScope(fetch.step.service, run.context);
        let queue = rootQueues.get(key);
        if (!queue) rootQueues.set(key, (queue = []));
        queue.push({ fetch, run, done });
        schedule();
      });
    },
  };
}

/** Operations share a subgraph request only with the same subgraph, identity and forwarded headers. */
function batchScope(service: string, context: Partial<RouterContext>): string {
  let key = `${service}\u0000${context.identity ? JSON.stringify(context.identity) : ''}`;
  const headers = context.forwardedHeaders;
  // The request id only names the request in logs: the batch carries the first operation's.
  if (headers) for (const name of Object.keys(headers).sort()) if (name !== REQUEST_ID_HEADER) key += `\u0000${name}\u0000${headers[name]}`;
  return key;
}

async function runBatch(entries: BatchEntry[]): Promise<void> {
  try {
    if (entries.length === 1) {
      await runEntityCalls(entries[0]!.calls, entries[0]!.run);
      return;
    }
    // Calls with the same operation and the same variables become one call; others stay apart.
    const combined = new Map<string, SharedCall>();
    const origins = new Map<SharedCall, { entry: BatchEntry; call: SharedCall }[]>();
    for (const entry of entries) {
      for (const call of entry.calls) {
        const key = `${call.key}\u0000${JSON.stringify(callVariables(call))}`;
        let target = combined.get(key);
        if (!target) {
          combined.set(key, (target = { key: call.key, fetches: [], unique: [], targets: [], runs: [] }));
          origins.set(target, []);
        }
        origins.get(target)!.push({ entry, call });
        // Representations are deduplicated within each operation only, never across operations:
        // the subgraph resolves each operation's entities as if it had sent its own request.
        delete target.index;
        delete target.byType;
        for (const fetch of call.fetches) {
          addToCall(target, fetch);
          target.runs!.push(entry.run);
        }
      }
    }
    const runs = entries.map((entry) => entry.run);
    const first = runs[0]!;
    const batchRun: RunState = {
      ...first,
      context: { ...first.context, signal: allAborted(runs) },
      onCacheHint: (hint) => {
        for (const run of runs) run.onCacheHint(hint);
      },
    };
    await Promise.all(
      requestGroups([...combined.values()]).map(async (calls) => {
        if (!(await runBatchedCalls(calls, batchRun))) return;
        // The whole `data` failed: each operation sends its own calls of this request again.
        const again = new Map<BatchEntry, SharedCall[]>();
        for (const call of calls) for (const { entry, call: own } of origins.get(call)!) again.set(entry, [...(again.get(entry) ?? []), own]);
        await Promise.all([...again].map(([entry, own]) => runEntityCalls(own, entry.run)));
      }),
    );
  } catch (error) {
    // A bug, not a subgraph failure: each operation reports it (nothing may reject unobserved).
    for (const entry of entries) entry.run.errors.push(asError(error));
  } finally {
    for (const entry of entries) entry.done();
  }
}

/**
 * Root query fetches of several operations as one request: each operation's top-level fields
 * under its own prefix, its variables renamed (mergeRootOperations). Each operation gets its own
 * fields back, and the errors at its fields' paths (errors with no such path go to all). A batch
 * whose whole `data` failed is re-sent operation by operation.
 */
async function runRootBatch(entries: RootEntry[]): Promise<void> {
  try {
    if (entries.length === 1) {
      await runRootFetch(entries[0]!.fetch, entries[0]!.run);
      return;
    }
    const merged = mergeRootOperations(entries.map((entry) => entry.fetch.step));
    const variables: Record<string, unknown> = {};
    entries.forEach((entry, i) => {
      const renamed = merged.variables[i]!;
      for (const name in entry.fetch.variables) {
        const as = renamed.get(name);
        if (as !== undefined) variables[as] = entry.fetch.variables[name];
      }
    });
    const runs = entries.map((entry) => entry.run);
    const first = runs[0]!;
    const context = { ...first.context, signal: allAborted(runs) };
    const onCacheHint = (hint: CacheHint) => {
      for (const run of runs) run.onCacheHint(hint);
    };
    const service = entries[0]!.fetch.step.service;
    let response: SubgraphResponse;
    try {
      response = await first.env.send(service, merged.bodyPrefix + JSON.stringify(variables) + merged.bodySuffix, context, onCacheHint, true);
    } catch (error) {
      if (unreachable(error)) {
        const failure = asError(error);
        for (const run of runs) run.errors.push(failure);
        return;
      }
      response = { data: null };
    }
    if (!response.data) {
      await Promise.all(entries.map((entry) => runRootFetch(entry.fetch, entry.run)));
      return;
    }
    entries.forEach((entry, i) => handleRootResponse(entry.fetch, ownPart(response, merged.prefixes[i]!), entry.run));
  } catch (error) {
    for (const entry of entries) entry.run.errors.push(asError(error));
  } finally {
    for (const entry of entries) entry.done();
  }
}

/** A subgraph that did not answer at all (not one that answered with an error). */
function unreachable(error: unknown): boolean {
  return error instanceof SubgraphRequestError && (error.failure === 'unreachable' || error.failure === 'timeout');
}

/** One operation's part of a merged root answer: its prefixed fields and errors, unprefixed. */
function ownPart(response: SubgraphResponse, prefix: string): SubgraphResponse {
  let data: Record<string, unknown> | null | undefined = response.data;
  if (data) {
    const own: Record<string, unknown> = {};
    for (const key in data) if (key.startsWith(prefix)) setOwn(own, key.slice(prefix.length), data[key]);
    data = own;
  }
  let errors: SubgraphError[] | undefined;
  for (const error of response.errors ?? []) {
    const head = Array.isArray(error.path) ? error.path[0] : undefined;
    // Not under any operation's prefix (no path, or a path the subgraph made up): every operation's.
    if (typeof head !== 'string' || !/^_q\d+_/.test(head)) (errors ??= []).push(error);
    else if (head.startsWith(prefix)) (errors ??= []).push({ ...error, path: [head.slice(prefix.length), ...error.path!.slice(1)] });
  }
  return { ...(data !== undefined ? { data } : {}), ...(errors ? { errors } : {}) };
}

/**
 * `runEntityCalls` for a batch: returns true, having reported nothing, when the request's whole
 * `data` failed (the caller then re-sends operation by operation).
 */
async function runBatchedCalls(calls: SharedCall[], run: RunState): Promise<boolean> {
  const service = calls[0]!.fetches[0]!.step.service;
  const single = calls.length === 1 ? calls[0]! : undefined;
  const merged = single ? undefined : mergeEntityOperations(calls.map((c) => c.fetches[0]!.step));
  const variables: Record<string, unknown> = {};
  calls.forEach((call, i) => {
    Object.assign(variables, callVariables(call));
    const contextValues = call.fetches[0]!.contextValues;
    if (single) {
      if (contextValues) Object.assign(variables, contextValues);
      variables.representations = call.unique;
      return;
    }
    variables[merged!.representations[i]!] = call.unique;
    const renamed = merged!.contextVariables[i];
    if (renamed && contextValues) for (const [name, as] of renamed) if (Object.prototype.hasOwnProperty.call(contextValues, name)) variables[as] = contextValues[name];
  });
  const step = calls[0]!.fetches[0]!.step;
  const body = single ? step.bodyPrefix + JSON.stringify(variables) + step.bodySuffix : merged!.bodyPrefix + JSON.stringify(variables) + merged!.bodySuffix;
  let response: SubgraphResponse;
  try {
    response = await run.env.send(service, body, run.context, run.onCacheHint, true);
  } catch (error) {
    // The subgraph answered but refused the batch (an HTTP error, say a limit on its size): each
    // operation tries its own request. Unreachable or too slow: each would fail the same way.
    if (!unreachable(error)) return true;
    const failure = asError(error);
    for (const call of calls) for (const owner of ownersOf(call, run)) owner.errors.push(failure);
    return false;
  }
  if (!response.data && response.errors?.length) return true;
  if (single) {
    handleCallResponse(single, service, response, run);
    return false;
  }
  calls.forEach((call, i) => {
    const alias = merged!.aliases[i]!;
    const callErrors = response.errors?.filter((error) => (Array.isArray(error.path) ? error.path[0] === alias : i === 0));
    handleCallResponse(call, service, { data: response.data ? { _entities: response.data[alias] } : response.data, ...(callErrors?.length ? { errors: callErrors } : {}) }, run);
  });
  return false;
}

/**
 * Splits a batch's calls into subgraph requests. Calls merged into one request as aliased fields
 * keep the client's variable names, so they must agree on every value they share; and one
 * operation appears once per request (its calls with other variables go in another).
 */
function requestGroups(calls: SharedCall[]): SharedCall[][] {
  const groups: { calls: SharedCall[]; keys: Set<string>; variables: Record<string, unknown> }[] = [];
  for (const call of calls) {
    const variables = callVariables(call);
    const group = groups.find((g) => !g.keys.has(call.key) && agree(g.variables, variables));
    if (group) {
      group.calls.push(call);
      group.keys.add(call.key);
      Object.assign(group.variables, variables);
    } else {
      groups.push({ calls: [call], keys: new Set([call.key]), variables });
    }
  }
  return groups.map((g) => g.calls);
}

function agree(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  for (const name in b) {
    if (Object.prototype.hasOwnProperty.call(a, name) && JSON.stringify(a[name]) !== JSON.stringify(b[name])) return false;
  }
  return true;
}

/** The client variables a call's fetches use (the same for every fetch of one operation's call). */
function callVariables(call: SharedCall): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const fetch of call.fetches) Object.assign(variables, fetch.variables);
  return variables;
}

/**
 * A batch's request stops only when every operation in it has given up (its deadline passed);
 * an operation whose deadline passes earlier stops waiting on its own (`withDeadline`).
 */
function allAborted(runs: RunState[]): AbortSignal | undefined {
  const signals = runs.map((run) => run.context.signal);
  if (signals.some((signal) => signal === undefined)) return undefined;
  const controller = new AbortController();
  let left = signals.length;
  for (const signal of signals as AbortSignal[]) {
    const onAbort = () => {
      if (--left === 0) controller.abort(signal.reason);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  }
  return controller.signal;
}
