// The router's query planner: @apollo/query-planner's, with one correction to how it plans a type
// condition under a field that more than one subgraph can resolve (a shareable field, or the
// same field reached through different keys).
//
// The planner follows every way to reach the field (one "option" per subgraph path) and, for
// `... on T`, advances each. When one option cannot ever return a T (T is not a member of the
// union or interface in that subgraph), the planner (2.14, QueryPlanningTraversal.handleOpenBranch)
// concludes that the whole fragment can never match and drops it, even when another option, the
// one the plan then uses, can return T. That happens when subgraphs declare different members for
// the union or interface of a shared field: the fragment's fields then come back missing (null).
// Federation's answer (the federation-gateway-audit "partial-union-complex" scenario) is that the
// fragment is empty only on the paths where T cannot occur. So such an option is kept, ended with
// `__typename` as the planner ends an empty fragment, next to the options that continue into T,
// and the cost model picks among them as for any other alternative.
import { QueryPlanner } from '@apollo/query-planner';
import type { Supergraph } from '@apollo/federation-internals';
// The CommonJS module the planner calls through (it reads the export at each call): imported
// statically so that the compiled router bundles the one instance the planner uses.
import graphPathExports from '@apollo/query-graphs/dist/graphPath.js';
import { requiresWithArguments, withRequiredArguments } from './requires-arguments.ts';

const graphPath = graphPathExports as unknown as GraphPathModule;

interface SimultaneousPaths {
  paths: unknown[];
  context: unknown;
  conditionResolver: unknown;
  excludedNonCollectingEdges: unknown;
  excludedConditionsOnNonCollectingEdges: unknown;
  overrideConditions: unknown;
}
type Advance = (schema: unknown, option: SimultaneousPaths, operation: { kind: string }, overrideConditions: unknown) => SimultaneousPaths[] | undefined;
interface GraphPathModule {
  advanceSimultaneousPathsWithOperation: Advance;
  terminateWithNonRequestedTypenameField: (path: unknown, overrideConditions: unknown) => unknown;
  SimultaneousPathsWithLazyIndirectPaths: new (...args: unknown[]) => SimultaneousPaths;
}

/** > 0 while this router's planner plans: the correction applies to no other planner in the process. */
let planning = 0;
/** Options ended because their type condition cannot occur: nothing below them is fetched. */
const ended = new WeakSet<SimultaneousPaths>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  const original = graphPath.advanceSimultaneousPathsWithOperation;
  graphPath.advanceSimultaneousPathsWithOperation = (schema, option, operation, overrideConditions) => {
    if (planning === 0) return original(schema, option, operation, overrideConditions);
    // Below an ended option every selection is empty: the option stays as it is.
    if (ended.has(option)) return [option];
    const result = original(schema, option, operation, overrideConditions);
    if (!result || result.length > 0 || operation.kind !== 'FragmentElement') return result;
    const end = new graphPath.SimultaneousPathsWithLazyIndirectPaths(
      option.paths.map((path) => graphPath.terminateWithNonRequestedTypenameField(path, overrideConditions)),
      option.context,
      option.conditionResolver,
      option.excludedNonCollectingEdges,
      option.excludedConditionsOnNonCollectingEdges,
      option.overrideConditions,
    );
    ended.add(end);
    return [end];
  };
}

/**
 * A QueryPlanner for the supergraph whose plans keep type conditions some paths cannot match (see
 * above) and send each `@requires` input with its own arguments (./requires-arguments.ts).
 */
export function createQueryPlanner(supergraph: Supergraph): QueryPlanner {
  install();
  const planner = new QueryPlanner(supergraph);
  const build = planner.buildQueryPlan.bind(planner);
  const requiresIndex = requiresWithArguments(supergraph);
  planner.buildQueryPlan = (...args) => {
    planning++;
    try {
      return withRequiredArguments(build(...args), requiresIndex);
    } finally {
      planning--;
    }
  };
  return planner;
}
