import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from './logger.ts';

/**
 * The closed set of error codes that clients can see. Every error a resolver throws on purpose is
 * made by one of the factories below; anything else is a bug and is masked.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  /** A service this one depends on (e.g. another subgraph, via the router) could not answer. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** The router could not reach a subgraph, or it did not answer in time. */
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  /** A subgraph answered the router with something that is not a GraphQL response. */
  SUBGRAPH_BAD_RESPONSE: 'SUBGRAPH_BAD_RESPONSE',
  /** The router removed (or refused) a selection the caller may not make (`@authenticated`, `@requiresScopes`, `@policy`). */
  UNAUTHORIZED_FIELD_OR_TYPE: 'UNAUTHORIZED_FIELD_OR_TYPE',
  /** The operation's estimated cost (demand control, `@cost`/`@listSize`) is over the router's maximum. */
  COST_ESTIMATED_TOO_EXPENSIVE: 'COST_ESTIMATED_TOO_EXPENSIVE',
  /** The router's per-request deadline passed before the answer was ready (HTTP 504). */
  GATEWAY_TIMEOUT: 'GATEWAY_TIMEOUT',
  /** A subgraph refused a request without the router's signature (`x-store-signature`). */
  REQUEST_SIGNATURE_MISSING: 'REQUEST_SIGNATURE_MISSING',
  /** The signature header is not `t=<seconds>,n=<nonce>,v1=<signature>`. */
  REQUEST_SIGNATURE_MALFORMED: 'REQUEST_SIGNATURE_MALFORMED',
  /** The signature's timestamp is outside the accepted clock window (too old or in the future). */
  REQUEST_SIGNATURE_EXPIRED: 'REQUEST_SIGNATURE_EXPIRED',
  /** The signature does not match: wrong secret, or method, path, body or identity changed. */
  REQUEST_SIGNATURE_INVALID: 'REQUEST_SIGNATURE_INVALID',
  /** The signature was valid but already used (a replayed request). */
  REQUEST_SIGNATURE_REPLAYED: 'REQUEST_SIGNATURE_REPLAYED',
  /** The router refused a request over the caller's rate limit (HTTP 429 with `Retry-After`). */
  RATE_LIMITED: 'RATE_LIMITED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** The router runs a safelist and the operation is not one of its persisted operations. */
  PERSISTED_QUERY_NOT_IN_LIST: 'PERSISTED_QUERY_NOT_IN_LIST',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes that Apollo Server and graphql-js produce for protocol-level problems; safe to show. */
const PROTOCOL_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);
const PUBLIC_CODES = new Set<string>([...Object.values(ErrorCode), ...PROTOCOL_CODES]);

export interface ErrorDetails {
  /** Input field (e.g. `input.email`) the error is about. */
  field?: string;
  [key: string]: unknown;
}

function make(code: ErrorCode, message: string, details?: ErrorDetails, status?: number): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code, ...details, ...(status ? { http: { status } } : {}) },
  });
}

export const badUserInput = (message: string, details?: ErrorDetails) => make(ErrorCode.BAD_USER_INPUT, message, details);
export const unauthenticated = (message = 'You must be signed in to do this.', status?: number) =>
  make(ErrorCode.UNAUTHENTICATED, message, undefined, status);
export const forbidden = (message = 'You are not allowed to do this.') => make(ErrorCode.FORBIDDEN, message);
export const notFound = (what: string, id: string) => make(ErrorCode.NOT_FOUND, `${what} ${JSON.stringify(id)} does not exist.`, { id });
export const conflict = (message: string, details?: ErrorDetails) => make(ErrorCode.CONFLICT, message, details);
export const serviceUnavailable = (message: string) => make(ErrorCode.SERVICE_UNAVAILABLE, message);

export const INTERNAL_ERROR_MESSAGE = 'Internal server error';

/**
 * Apollo `formatError` that lets deliberate errors through and masks everything else: no stack,
 * SQL or Prisma text reaches a client; the original goes to the log.
 */
export function createErrorMasker(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code;
    // Deliberate errors only: the router judges errors relayed from subgraphs by their code
    // before they reach this function (router/src/errors.ts).
    if (original instanceof GraphQLError && typeof code === 'string' && PUBLIC_CODES.has(code)) {
      const { stacktrace: _stack, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
      return { ...formatted, extensions };
    }
    logger.error('unexpected error', { error: original, path: formatted.path });
    return {
      message: INTERNAL_ERROR_MESSAGE,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
