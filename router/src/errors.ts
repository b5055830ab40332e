import { GraphQLError, Kind, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import { HeaderMap } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { createErrorMasker, ErrorCode, INTERNAL_ERROR_MESSAGE, type Logger } from '@store/core';

/** Router-only codes, from the platform's one registry. */
export const RouterErrorCode = {
  SUBGRAPH_UNAVAILABLE: ErrorCode.SUBGRAPH_UNAVAILABLE,
  SUBGRAPH_BAD_RESPONSE: ErrorCode.SUBGRAPH_BAD_RESPONSE,
} as const;

export type SubgraphFailure = 'unreachable' | 'timeout' | 'bad-response';

export function subgraphFailureMessage(serviceName: string, failure: SubgraphFailure): string {
  switch (failure) {
    case 'unreachable':
      return `The ${serviceName} service is unavailable.`;
    case 'timeout':
      return `The ${serviceName} service did not answer in time.`;
    case 'bad-response':
      return `The ${serviceName} service sent an invalid response.`;
    default:
      throw new Error(`unknown subgraph failure ${failure satisfies never}`);
  }
}

/** A subgraph request that failed below GraphQL. Carries no URL: that stays in the log. */
export class SubgraphRequestError extends GraphQLError {
  constructor(
    readonly serviceName: string,
    readonly failure: SubgraphFailure,
  ) {
    super(subgraphFailureMessage(serviceName, failure), {
      extensions: {
        code: failure === 'bad-response' ? RouterErrorCode.SUBGRAPH_BAD_RESPONSE : RouterErrorCode.SUBGRAPH_UNAVAILABLE,
        serviceName,
      },
    });
  }
}

/**
 * HTTP 400 for a document Apollo Server could not pick an operation from, with graphql-js's
 * messages (Apollo Server answers these itself without a gateway).
 */
export function operationResolutionFailure(document: DocumentNode, operationName: string | null | undefined): GraphQLError {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const message = operationName
    ? `Unknown operation named "${operationName}".`
    : operations.length === 0
      ? 'Must provide an operation.'
      : 'Must provide operation name if query contains multiple operations.';
  return new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } });
}

export const SUBSCRIPTIONS_NOT_SUPPORTED_MESSAGE = 'Subscriptions are not supported by this router.';

/** HTTP 400: the router executes queries and mutations only. */
export function subscriptionsNotSupported(): GraphQLError {
  return new GraphQLError(SUBSCRIPTIONS_NOT_SUPPORTED_MESSAGE, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
}

export const MALFORMED_AUTHORIZATION_MESSAGE = 'The Authorization header must be "Bearer <token>".';

/** HTTP 401 with `WWW-Authenticate` (RFC 6750), raised while building the request context. */
export function unauthenticatedRequest(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: ErrorCode.UNAUTHENTICATED,
      http: { status: 401, headers: new HeaderMap([['www-authenticate', 'Bearer error="invalid_token"']]) },
    },
  });
}

/**
 * The gateway relays a subgraph's error as a GraphQLError whose `originalError` is the subgraph's
 * JSON error object (not an Error). The platform masker would treat it as unexpected; it is judged
 * by its code instead.
 */
function isRelayedSubgraphError(error: unknown): error is GraphQLError {
  return error instanceof GraphQLError && error.originalError != null && !(error.originalError instanceof Error);
}

/**
 * The router's `formatError`: router failures are shown as they are; a subgraph's
 * INTERNAL_SERVER_ERROR is masked here too, because a subgraph that does not mask its own errors
 * would otherwise leak SQL or stack text through the router; everything else goes through the
 * platform's masker (deliberate codes pass, anything unexpected is masked and logged).
 */
export function createRouterErrorFormatter(logger: Logger) {
  const mask = createErrorMasker(logger);
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof SubgraphRequestError) {
      return { message: original.message, ...(formatted.path ? { path: formatted.path } : {}), extensions: { ...original.extensions } };
    }
    const relayed = isRelayedSubgraphError(error);
    if ((relayed || original instanceof GraphQLError) && formatted.extensions?.code === ErrorCode.INTERNAL_SERVER_ERROR) {
      logger.error('subgraph internal error', { message: formatted.message, path: formatted.path, serviceName: formatted.extensions?.serviceName });
      return {
        message: INTERNAL_ERROR_MESSAGE,
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
      };
    }
    return mask(formatted, relayed ? new GraphQLError(formatted.message, { extensions: formatted.extensions ?? {} }) : error);
  };
}
