import type { IncomingMessage } from 'node:http';
import { createRequestVerifier, ErrorCode, HttpError, IDENTITY_HEADER, SIGNATURE_HEADER, type Logger, type RequestVerifierOptions, type SignatureFailureCode } from '@store/core';
import { createRedisNonceStore, type RedisNonceStore } from './nonce-store.ts';

/**
 * How a subgraph treats requests: only those the router signed with one of `secrets` (the
 * default everywhere), or — an explicit development choice — any request, as before signing.
 * With `redisUrl` (`REDIS_URL`), the nonces that refuse replays are shared in Redis by every
 * replica (and a Redis failure refuses requests: 503); without it each process keeps its own.
 */
export type RequestSigningOptions =
  | ({ secrets: readonly string[]; redisUrl?: string | undefined; nonceKeyPrefix?: string } & Omit<RequestVerifierOptions, 'secrets'>)
  | { allowUnsigned: true };

/** Default prefix of the nonce keys in Redis: one key space per subgraph. */
export const nonceKeyPrefixOf = (subgraph: string) => `store:signature-nonce:${subgraph}:`;

export const REPLAY_CHECK_UNAVAILABLE_MESSAGE = 'Replayed requests cannot be told from new ones right now (the nonce store is unavailable). Try again shortly.';

/** Checks each request's signature before it is parsed; `close` releases the nonce store. */
export interface SignatureGuard {
  verify(req: IncomingMessage, rawBody: string): Promise<void>;
  /** Where accepted nonces are remembered: shared in Redis, or in this process only. */
  readonly nonces: 'redis' | 'process';
  close(): Promise<void>;
}

/** The one value of a header (Node joins repeated custom headers into one string). */
export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export const MISSING_SIGNING_OPTION_MESSAGE =
  'requestSigning is required: { secrets } (ROUTER_SIGNING_SECRET) so that only the router is served, or { allowUnsigned: true } (ALLOW_UNSIGNED_REQUESTS=on, development only)';

/**
 * `createGraphQLHandler`'s `verifyRequest` for a subgraph: refuses (HTTP 401, a
 * `REQUEST_SIGNATURE_*` code) any request the router did not sign, and logs why — never a secret.
 * When the shared nonce store (Redis) cannot answer, a validly signed request is refused with 503
 * `SERVICE_UNAVAILABLE` (fail closed: served, it might be a replay; and it is not the signature's
 * fault, so not a 401). `null` when unsigned requests are allowed.
 */
export function createSignatureCheck(options: RequestSigningOptions | undefined, logger: Logger, subgraphName = 'subgraph'): SignatureGuard | null {
  if (!options) throw new Error(MISSING_SIGNING_OPTION_MESSAGE);
  if ('allowUnsigned' in options) return null;
  const { redisUrl, nonceKeyPrefix, ...verifierOptions } = options;
  const store: RedisNonceStore | null = redisUrl ? createRedisNonceStore({ url: redisUrl, keyPrefix: nonceKeyPrefix ?? nonceKeyPrefixOf(subgraphName), logger }) : null;
  const verifyRequest = createRequestVerifier({ ...verifierOptions, ...(store && { nonceStore: store }) });
  let lastStoreFailureLog = -Infinity;
  const verify = async (req: IncomingMessage, rawBody: string): Promise<void> => {
    let check: Awaited<ReturnType<typeof verifyRequest>>;
    try {
      check = await verifyRequest(
        { method: req.method ?? 'GET', path: req.url ?? '/', body: rawBody, identity: headerValue(req, IDENTITY_HEADER) },
        headerValue(req, SIGNATURE_HEADER),
      );
    } catch (error) {
      // Once per interval, not once per request, during an outage.
      if (Date.now() - lastStoreFailureLog >= 30_000) {
        lastStoreFailureLog = Date.now();
        logger.error('request refused: the nonce store (REDIS_URL) cannot tell a replay', { error: error instanceof Error ? error.message : String(error) });
      }
      throw new HttpError(503, ErrorCode.SERVICE_UNAVAILABLE, REPLAY_CHECK_UNAVAILABLE_MESSAGE);
    }
    if (check.ok) return;
    logger.warn('request refused: not signed by the router', {
      code: check.code,
      reason: check.reason,
      method: req.method,
      path: req.url,
      ...(req.headers['x-request-id'] !== undefined && { requestId: headerValue(req, 'x-request-id') }),
      remoteAddress: req.socket.remoteAddress,
    });
    throw new HttpError(401, check.code, signatureFailureMessage(check.code));
  };
  return { verify, nonces: store ? 'redis' : 'process', close: async () => store?.close() };
}

/** What the caller is told (the details stay in the log). */
export function signatureFailureMessage(code: SignatureFailureCode): string {
  switch (code) {
    case ErrorCode.REQUEST_SIGNATURE_MISSING:
      return 'This service only accepts requests signed by the router.';
    case ErrorCode.REQUEST_SIGNATURE_MALFORMED:
      return `The ${SIGNATURE_HEADER} header is malformed.`;
    case ErrorCode.REQUEST_SIGNATURE_EXPIRED:
      return 'The request signature has expired or is not yet valid.';
    case ErrorCode.REQUEST_SIGNATURE_INVALID:
      return 'The request signature is invalid.';
    case ErrorCode.REQUEST_SIGNATURE_REPLAYED:
      return 'The request signature was already used.';
    default:
      throw new Error(`unknown signature failure ${code satisfies never}`);
  }
}
