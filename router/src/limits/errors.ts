import { GraphQLError } from 'graphql';
import { ErrorCode } from '@store/core';

/** The estimate and the maximum, as the client sees them (`extensions.cost` and refusals). */
export interface CostReport {
  estimated: number;
  /** `null` when the router enforces no maximum (`MAX_COST=off`). */
  max: number | null;
}

/** HTTP 400, before any subgraph is called: the operation is priced over `MAX_COST`. */
export function costEstimatedTooExpensive(estimated: number, max: number): GraphQLError {
  return new GraphQLError(`The operation's estimated cost ${estimated} exceeds the maximum of ${max}.`, {
    extensions: { code: ErrorCode.COST_ESTIMATED_TOO_EXPENSIVE, estimatedCost: estimated, maxCost: max, http: { status: 400 } },
  });
}

/** HTTP 504: the router's per-request deadline (`REQUEST_TIMEOUT_MS`) passed. */
export function gatewayTimeout(timeoutMs: number): GraphQLError {
  return new GraphQLError(`The request did not complete within ${timeoutMs} ms.`, {
    extensions: { code: ErrorCode.GATEWAY_TIMEOUT, timeoutMs, http: { status: 504 } },
  });
}

/** Request header asking for `extensions.cost` in the response (`x-store-cost: true`), on both paths. */
export const COST_HEADER = 'x-store-cost';

export function wantsCostReport(value: string | string[] | null | undefined): boolean {
  return value === 'true' || value === '1';
}
