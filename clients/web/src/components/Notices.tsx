import type { GraphQLErrorShape, OperationResult } from '../lib/graphql-client.ts';

export function Loading({ what }: { what: string }) {
  return (
    <p className="notice loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}

/** One line per distinct problem; the router's messages are written for people already. */
function messagesOf(errors: GraphQLErrorShape[]): string[] {
  return [...new Set(errors.map((e) => e.message))];
}

/** Nothing to show: the router could not be reached, or answered with errors only. */
export function ErrorNotice({ what, result, onRetry }: { what: string; result: OperationResult<unknown>; onRetry?: () => void }) {
  const details = result.networkError ? [result.networkError] : messagesOf(result.errors);
  return (
    <div className="notice error" role="alert">
      <strong>We could not load {what}.</strong>
      <ul>
        {details.map((d) => (
          <li key={d}>{d}</li>
        ))}
      </ul>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** Some data, some errors (e.g. one subgraph down): show what we have and say what is missing. */
export function PartialNotice({ errors }: { errors: GraphQLErrorShape[] }) {
  if (errors.length === 0) return null;
  return (
    <div className="notice warning" role="alert" data-testid="partial-notice">
      <strong>Some information is not available right now.</strong>
      <ul>
        {messagesOf(errors).map((m) => (
          <li key={m}>{m}</li>
        ))}
      </ul>
    </div>
  );
}
