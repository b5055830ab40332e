import { parse, print } from 'graphql';
import { useSyncExternalStore, type ReactNode } from 'react';
import type { GraphiQLPlugin } from '@graphiql/react';
import type { PlanStep, PlanStore } from './plan-store.ts';

/**
 * A GraphiQL sidebar plugin that shows how the router plans the last operation run: which
 * subgraphs it asks, in which order (`Sequence`: one after another, because a later fetch needs
 * keys from an earlier one) and what runs at the same time (`Parallel`).
 */
export function queryPlanPlugin(plans: PlanStore, available: boolean): GraphiQLPlugin {
  return {
    title: 'Query plan',
    icon: PlanIcon,
    content: () => <QueryPlanPanel plans={plans} available={available} />,
  };
}

function QueryPlanPanel({ plans, available }: { plans: PlanStore; available: boolean }) {
  const last = useSyncExternalStore(plans.subscribe, plans.get);
  return (
    <div className="plan-panel" data-testid="query-plan">
      <div className="graphiql-doc-explorer-title">Query plan</div>
      {!available ? (
        <p>The router shows query plans in development only (APP_ENV=development).</p>
      ) : last === null ? (
        <p>Run an operation: its plan appears here — which subgraphs the router asks, in which order, and what it fetches in parallel.</p>
      ) : last.plan === null ? (
        <p>No plan for the last request (it did not validate, or the router sent none).</p>
      ) : (
        <>
          <p className="plan-summary">
            <strong>{last.operationName ?? 'Anonymous operation'}</strong>:{' '}
            {last.plan.plan === null ? 'answered by the router alone (no subgraph fetch)' : `${countFetches(last.plan.plan)} fetch(es) from ${last.plan.subgraphs.join(', ')}`}
          </p>
          {last.plan.plan && <Step step={last.plan.plan} />}
          <details className="plan-text">
            <summary>As the gateway prints it</summary>
            <pre>{last.plan.text}</pre>
          </details>
        </>
      )}
    </div>
  );
}

function Step({ step }: { step: PlanStep }): ReactNode {
  switch (step.kind) {
    case 'Sequence':
      return (
        <ol className="plan-sequence" aria-label="in order">
          {step.nodes.map((node, i) => (
            <li key={i}>
              <span className="plan-label">step {i + 1}</span>
              <Step step={node} />
            </li>
          ))}
        </ol>
      );
    case 'Parallel':
      return (
        <div className="plan-parallel">
          <span className="plan-label">in parallel</span>
          <div className="plan-parallel-nodes">
            {step.nodes.map((node, i) => (
              <Step key={i} step={node} />
            ))}
          </div>
        </div>
      );
    case 'Fetch':
      return (
        <details className="plan-fetch" data-subgraph={step.serviceName}>
          <summary>
            <span className="plan-subgraph">{step.serviceName}</span>
            {step.entities && <span className="plan-entities"> entities {step.entities}</span>}
          </summary>
          <pre>{formatOperation(step.operation)}</pre>
        </details>
      );
    case 'Flatten':
      return (
        <div className="plan-flatten">
          <span className="plan-label">
            at <code>{step.path}</code>
          </span>
          <Step step={step.node} />
        </div>
      );
    case 'Defer':
      return (
        <div className="plan-group">
          <span className="plan-label">deferred</span>
          {step.primary && <Step step={step.primary} />}
          {step.deferred.map((d, i) => d.node && <Step key={i} step={d.node} />)}
        </div>
      );
    case 'Condition':
      return (
        <div className="plan-group">
          <span className="plan-label">if {step.condition}</span>
          {step.ifClause && <Step step={step.ifClause} />}
          {step.elseClause && (
            <>
              <span className="plan-label">else</span>
              <Step step={step.elseClause} />
            </>
          )}
        </div>
      );
    case 'Subscription':
      return (
        <div className="plan-group">
          <Step step={step.primary} />
          {step.rest && <Step step={step.rest} />}
        </div>
      );
    default:
      throw new Error(`unreachable plan step ${(step as { kind: string }).kind}`);
  }
}

/** The planner's operations are minified; show them as people write them. */
function formatOperation(operation: string): string {
  try {
    return print(parse(operation));
  } catch {
    return operation;
  }
}

function countFetches(step: PlanStep): number {
  switch (step.kind) {
    case 'Fetch':
      return 1;
    case 'Sequence':
    case 'Parallel':
      return step.nodes.reduce((n, s) => n + countFetches(s), 0);
    case 'Flatten':
      return countFetches(step.node);
    case 'Defer':
      return (step.primary ? countFetches(step.primary) : 0) + step.deferred.reduce((n, d) => n + (d.node ? countFetches(d.node) : 0), 0);
    case 'Condition':
      return (step.ifClause ? countFetches(step.ifClause) : 0) + (step.elseClause ? countFetches(step.elseClause) : 0);
    case 'Subscription':
      return countFetches(step.primary) + (step.rest ? countFetches(step.rest) : 0);
    default:
      throw new Error(`unreachable plan step ${(step as { kind: string }).kind}`);
  }
}

function PlanIcon() {
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <rect x="3" y="3" width="7" height="5" rx="1" />
      <rect x="14" y="10" width="7" height="5" rx="1" />
      <rect x="14" y="17" width="7" height="5" rx="1" />
      <path d="M6.5 8v4.5h7.5M10 12.5v7h4" />
    </svg>
  );
}
