import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '@store/core';

export const rateLimitedMessage = (retryAfterSeconds: number) =>
  `Too many requests: the rate limit is used up. Try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}.`;
export const RATE_LIMIT_UNAVAILABLE_MESSAGE = 'Too many requests cannot be told from normal ones right now (the rate-limit store is unavailable). Try again shortly.';

/** The limiter's own refusals, told apart from other context failures (a 401) by identity, not by code. */
const refusals = new WeakSet<GraphQLError>();
const refusal = (error: GraphQLError) => (refusals.add(error), error);
export const isRateLimitRefusal = (error: unknown): error is GraphQLError => error instanceof GraphQLError && refusals.has(error);

/** HTTP 429 with `Retry-After` and the `RateLimit-*` headers, raised while building the context. */
export function rateLimited(retryAfterSeconds: number, headers: Readonly<Record<string, string>>): GraphQLError {
  return refusal(
    new GraphQLError(rateLimitedMessage(retryAfterSeconds), {
      extensions: { code: ErrorCode.RATE_LIMITED, http: { status: 429, headers: new HeaderMap(Object.entries(headers)) } },
    }),
  );
}

/** HTTP 503, when the store failed and the limiter is configured to fail closed. */
export function rateLimitUnavailable(retryAfterSeconds: number): GraphQLError {
  return refusal(
    new GraphQLError(RATE_LIMIT_UNAVAILABLE_MESSAGE, {
      extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, http: { status: 503, headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]) } },
    }),
  );
}
