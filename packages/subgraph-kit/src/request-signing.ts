import type { IncomingMessage } from 'node:http';
import { createRequestVerifier, ErrorCode, HttpError, IDENTITY_HEADER, SIGNATURE_HEADER, type Logger, type RequestVerifierOptions, type SignatureFailureCode } from '@store/core';

/**
 * How a subgraph treats requests: only those the router signed with one of `secrets` (the
 * default everywhere), or — an explicit development choice — any request, as before signing.
 */
export type RequestSigningOptions = ({ secrets: readonly string[] } & Omit<RequestVerifierOptions, 'secrets'>) | { allowUnsigned: true };

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
 * `null` when unsigned requests are allowed.
 */
export function createSignatureCheck(options: RequestSigningOptions | undefined, logger: Logger): ((req: IncomingMessage, rawBody: string) => void) | null {
  if (!options) throw new Error(MISSING_SIGNING_OPTION_MESSAGE);
  if ('allowUnsigned' in options) return null;
  const verify = createRequestVerifier(options);
  return (req, rawBody) => {
    const check = verify(
      { method: req.method ?? 'GET', path: req.url ?? '/', body: rawBody, identity: headerValue(req, IDENTITY_HEADER) },
      headerValue(req, SIGNATURE_HEADER),
    );
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
