import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what the last full GC kept, in percent. V8's own
 * factor is dynamic, up to 4× when allocation is fast: under load (many requests in flight, each
 * one's objects promoted while it waits for subgraphs) that slack, not live data, is most of the
 * router's peak RSS. 50%: about a third lower peak on Workload 1 for about 14% more CPU per
 * request (more full GCs; bench/README.md). `--heap-growing-percent=0` restores V8's default.
 */
export const HEAP_GROWING_PERCENT = 50;

/**
 * Sets V8's `--heap-growing-percent` for this process unless the operator already chose one
 * (`node --heap-growing-percent=N` or NODE_OPTIONS). V8 reads the flag each time it recomputes
 * the heap limit, so setting it at start, from the entry point, takes effect like the command line.
 */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): boolean {
  if ([...execArgv, nodeOptions].some((arg) => arg.includes('heap-growing-percent') || arg.includes('heap_growing_percent'))) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
