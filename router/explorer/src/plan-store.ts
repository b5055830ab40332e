import type { Fetcher } from '@graphiql/toolkit';

/** The router's answer to `x-store-query-plan` (router/src/query-plan.ts, `QueryPlanExtension`). */
export interface QueryPlanExtension {
  text: string;
  plan: PlanStep | null;
  subgraphs: string[];
}

export type PlanStep =
  | { kind: 'Sequence' | 'Parallel'; nodes: PlanStep[] }
  | { kind: 'Fetch'; serviceName: string; operationKind: string; operation: string; entities: string | null }
  | { kind: 'Flatten'; path: string; node: PlanStep }
  | { kind: 'Defer'; primary: PlanStep | null; deferred: { label: string | null; path: string; node: PlanStep | null }[] }
  | { kind: 'Condition'; condition: string; ifClause: PlanStep | null; elseClause: PlanStep | null }
  | { kind: 'Subscription'; primary: PlanStep; rest: PlanStep | null };

/** What the page got from the router (`<script id="explorer-settings">`, see router/src/explorer.ts). */
export interface ExplorerSettings {
  endpoint: string;
  queryPlans: boolean;
}

export function readSettings(): ExplorerSettings {
  const text = document.getElementById('explorer-settings')?.textContent;
  const parsed = text ? (JSON.parse(text) as Partial<ExplorerSettings>) : {};
  return { endpoint: parsed.endpoint ?? '/graphql', queryPlans: parsed.queryPlans ?? false };
}

export interface LastPlan {
  operationName: string | null;
  plan: QueryPlanExtension | null;
}

/** The plan of the last operation run, for the query-plan plugin (a tiny external store). */
export function createPlanStore() {
  let last: LastPlan | null = null;
  const listeners = new Set<() => void>();
  return {
    get: () => last,
    set(next: LastPlan) {
      last = next;
      for (const listener of listeners) listener();
    },
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
export type PlanStore = ReturnType<typeof createPlanStore>;

const INTROSPECTION_OPERATION = 'IntrospectionQuery';

/**
 * POSTs to the router (same origin). When the router offers query plans, every operation the
 * user runs asks for its plan (`x-store-query-plan: 1`) and the plan goes to the store; the
 * headers from the headers editor (e.g. `authorization: Bearer <token>`) are sent as they are.
 */
export function createFetcher(settings: ExplorerSettings, plans: PlanStore): Fetcher {
  return async (params, opts) => {
    const introspection = params.operationName === INTROSPECTION_OPERATION;
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
    for (const [name, value] of Object.entries(opts?.headers ?? {})) headers[name.toLowerCase()] = String(value);
    if (settings.queryPlans && !introspection) headers['x-store-query-plan'] = '1';
    const response = await fetch(settings.endpoint, { method: 'POST', headers, body: JSON.stringify(params) });
    const text = await response.text();
    let body: { data?: unknown; errors?: unknown[]; extensions?: Record<string, unknown> };
    try {
      body = JSON.parse(text);
    } catch {
      body = { errors: [{ message: `The router answered HTTP ${response.status} with something that is not JSON: ${text.slice(0, 200)}` }] };
    }
    if (!introspection) {
      const plan = (body.extensions?.queryPlan as QueryPlanExtension | undefined) ?? null;
      plans.set({ operationName: params.operationName ?? null, plan });
      // Shown in the Query plan panel, not in the response editor (it would bury the data).
      if (plan && body.extensions) {
        const { queryPlan: _shown, ...rest } = body.extensions;
        if (Object.keys(rest).length) body.extensions = rest;
        else delete body.extensions;
      }
    }
    return body as never;
  };
}
