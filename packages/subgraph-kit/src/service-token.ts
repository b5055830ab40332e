import { mintServiceToken } from '@store/core';

/** How a service proves who it is to the router. */
export type ServiceCredentials =
  /** A token minted elsewhere (e.g. by the platform), sent as is. */
  | { serviceToken: string }
  /** The platform's HS256 secret, to mint our own short-lived token for `service:<service>`. */
  | { service: string; jwtSecret: string };

const TTL_SECONDS = 3600;
// Renew well before expiry so a token never dies between minting and the router checking it.
const RENEW_BEFORE_MS = 5 * 60_000;

/** Returns the current bearer token, minting (and caching) one when needed. */
export function createServiceTokenSource(credentials: ServiceCredentials, now: () => number = Date.now): () => Promise<string> {
  if ('serviceToken' in credentials) {
    const token = credentials.serviceToken;
    return async () => token;
  }
  const key = { alg: 'HS256' as const, secret: credentials.jwtSecret };
  let current: Promise<{ token: string; expiresAt: Date }> | null = null;
  return async () => {
    const cached = current && (await current.catch(() => null));
    if (cached && cached.expiresAt.getTime() - now() > RENEW_BEFORE_MS) return cached.token;
    current = mintServiceToken(credentials.service, key, TTL_SECONDS);
    return (await current).token;
  };
}
