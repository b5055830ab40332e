import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { PlanNode, QueryPlan, QueryPlanSelectionNode, SubscriptionNode } from '@apollo/query-planner';
import type { DocumentNode } from 'graphql';
import type { Logger } from '@store/core';

/** A client asks for the plan of its operation with this request header (any non-empty value). */
export const QUERY_PLAN_HEADER = 'x-store-query-plan';

/**
 * `extensions.queryPlan` of a response: the plan the router's query planner makes for the
 * operation, as the gateway prints it (`text`) and as a tree (`plan`), plus the subgraphs it
 * fetches from in first-fetch order.
 */
export interface QueryPlanExtension {
  text: string;
  plan: PlanStep | null;
  subgraphs: string[];
}

/**
 * One step of a plan. `Sequence` runs its steps in order (a later step needs data from an earlier
 * one); `Parallel` runs them at the same time; `Fetch` is one request to one subgraph (`entities`:
 * it resolves entities found by an earlier step through `_entities`); `Flatten` applies its step
 * at every object under `path` (`@` = each list element).
 */
export type PlanStep =
  | { kind: 'Sequence' | 'Parallel'; nodes: PlanStep[] }
  | { kind: 'Fetch'; serviceName: string; operationKind: string; operation: string; entities: string | null }
  | { kind: 'Flatten'; path: string; node: PlanStep }
  | { kind: 'Defer'; primary: PlanStep | null; deferred: { label: string | null; path: string; node: PlanStep | null }[] }
  | { kind: 'Condition'; condition: string; ifClause: PlanStep | null; elseClause: PlanStep | null }
  | { kind: 'Subscription'; primary: PlanStep; rest: PlanStep | null };

export interface QueryPlanOptions {
  /** The supergraph the router serves; plans are made against it with the default planner settings. */
  supergraphSdl: string;
  logger: Logger;
}

/**
 * Development only (the router's `exposeQueryPlans`, never on in production): when a request has
 * the `x-store-query-plan` header, its response carries `extensions.queryPlan`. The plan is made
 * by a planner of its own on the same supergraph, so it is exactly what the gateway plans, and
 * asking for it does not depend on how the router executes plans. The planner is built on the
 * first request that asks.
 */
export function useQueryPlans<C extends BaseContext>(options: QueryPlanOptions): ApolloServerPlugin<C> {
  let planner: Promise<(document: DocumentNode, operationName: string | undefined) => QueryPlanExtension> | null = null;
  const load = () =>
    (planner ??= (async () => {
      const { operationFromDocument } = await import('@apollo/federation-internals');
      const { buildSupergraph } = await import('./supergraph.ts');
      const { prettyFormatQueryPlan } = await import('@apollo/query-planner');
      const { createQueryPlanner } = await import('./executor/query-planner.ts');
      const { addComposedExecutableDirectives, withDirectiveDefaults } = await import('./executor/composed-directives.ts');
      const supergraph = buildSupergraph(options.supergraphSdl);
      const apiSchema = supergraph.apiSchema();
      // As the executor plans (executor/plan-executor.ts).
      const composed = addComposedExecutableDirectives(supergraph.schema, apiSchema);
      const graphqlSchema = composed.size > 0 ? apiSchema.toGraphQLJSSchema() : null;
      const queryPlanner = createQueryPlanner(supergraph);
      return (document, operationName) => {
        const planned = graphqlSchema ? withDirectiveDefaults(document, graphqlSchema, composed) : document;
        const plan = queryPlanner.buildQueryPlan(operationFromDocument(apiSchema, planned, operationName ? { operationName } : {}));
        return describeQueryPlan(plan, prettyFormatQueryPlan(plan));
      };
    })());
  return {
    async requestDidStart({ request }) {
      if (!request.http?.headers.get(QUERY_PLAN_HEADER)) return;
      return {
        async willSendResponse({ document, operationName, response }) {
          // No plan for a request that did not parse or validate.
          if (!document || response.body.kind !== 'single') return;
          try {
            const queryPlan = (await load())(document, operationName ?? undefined);
            const result = response.body.singleResult;
            result.extensions = { ...result.extensions, queryPlan };
          } catch (error) {
            options.logger.warn('query plan could not be built', { error: (error as Error).message });
          }
        },
      };
    },
  };
}

export function describeQueryPlan(plan: QueryPlan, text: string): QueryPlanExtension {
  const step = plan.node ? stepOf(plan.node) : null;
  const subgraphs: string[] = [];
  const collect = (s: PlanStep | null): void => {
    if (!s) return;
    switch (s.kind) {
      case 'Fetch':
        if (!subgraphs.includes(s.serviceName)) subgraphs.push(s.serviceName);
        return;
      case 'Sequence':
      case 'Parallel':
        return s.nodes.forEach(collect);
      case 'Flatten':
        return collect(s.node);
      case 'Defer':
        collect(s.primary);
        return s.deferred.forEach((d) => collect(d.node));
      case 'Condition':
        collect(s.ifClause);
        return collect(s.elseClause);
      case 'Subscription':
        collect(s.primary);
        return collect(s.rest);
      default:
        throw new Error(`unreachable plan step ${(s as { kind: string }).kind}`);
    }
  };
  collect(step);
  return { text, plan: step, subgraphs };
}

function stepOf(node: PlanNode | SubscriptionNode): PlanStep {
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel':
      return { kind: node.kind, nodes: node.nodes.map(stepOf) };
    case 'Fetch':
      return {
        kind: 'Fetch',
        serviceName: node.serviceName,
        operationKind: String(node.operationKind),
        operation: node.operation,
        entities: node.requires?.length ? printSelections(node.requires) : null,
      };
    case 'Flatten':
      return { kind: 'Flatten', path: node.path.join('.'), node: stepOf(node.node) };
    case 'Defer':
      return {
        kind: 'Defer',
        primary: node.primary.node ? stepOf(node.primary.node) : null,
        deferred: node.deferred.map((d) => ({ label: d.label ?? null, path: d.queryPath.join('/'), node: d.node ? stepOf(d.node) : null })),
      };
    case 'Condition':
      return { kind: 'Condition', condition: node.condition, ifClause: node.ifClause ? stepOf(node.ifClause) : null, elseClause: node.elseClause ? stepOf(node.elseClause) : null };
    case 'Subscription':
      return { kind: 'Subscription', primary: stepOf(node.primary), rest: node.rest ? stepOf(node.rest) : null };
    default:
      throw new Error(`unreachable plan node ${(node as { kind: string }).kind}`);
  }
}

/** `... on Product { __typename id }` for a fetch's `requires`: what it needs from earlier steps. */
function printSelections(selections: readonly QueryPlanSelectionNode[]): string {
  return selections
    .map((s) => {
      const inner = s.selections?.length ? ` { ${printSelections(s.selections)} }` : '';
      return s.kind === 'Field' ? `${s.alias ? `${s.alias}: ` : ''}${s.name}${inner}` : `... on ${s.typeCondition ?? '?'}${inner}`;
    })
    .join(' ');
}
