import { createTokenVerifier, type Identity, type VerifyingKey } from '@store/core';
import { MALFORMED_AUTHORIZATION_MESSAGE, unauthenticatedRequest } from './errors.ts';

/** Resolves an `Authorization` header to the verified caller; `null` for anonymous requests. */
export type Authenticate = (authorization: string | undefined) => Promise<Identity | null>;

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/**
 * Verifies `Authorization: Bearer <jwt>`. No header means anonymous (public fields still work);
 * a malformed header or a bad, expired or forged token is refused with HTTP 401, so a client
 * never silently runs as anonymous by mistake.
 */
export function createAuthenticator(key: VerifyingKey): Authenticate {
  const verify = createTokenVerifier(key);
  return async (authorization) => {
    if (authorization === undefined || authorization.trim() === '') return null;
    const token = BEARER.exec(authorization)?.[1];
    if (token === undefined) throw unauthenticatedRequest(MALFORMED_AUTHORIZATION_MESSAGE);
    const check = await verify(token);
    if (!check.ok) throw unauthenticatedRequest(check.message);
    return check.identity;
  };
}
