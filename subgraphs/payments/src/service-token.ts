import { mintServiceToken } from '@store/core';

/** How this service proves who it is to the router. */
export type ServiceCredentials =
  /** A token minted elsewhere (e.g. by the platform), sent as is. */
  | { serviceToken: string }
  /** The platform's HS256 secret, to mint our own short-lived token. */
  | { jwtSecret: string };

const TTL_SECONDS = 3600;
// Renew well before expiry so a token never dies between minting and the router checking it.
const RENEW_BEFORE_MS = 5 * 60_000;

/** Returns the current bearer token (`sub: service:payments`), minting and caching one when needed. */
export function createServiceTokenSource(credentials: ServiceCredentials, now: () => number = Date.now): () => Promise<string> {
  if ('serviceToken' in credentials) {
    const token = credentials.serviceToken;
    return async () => token;
  }
  let current: Promise<{ token: string; expiresAt: Date }> | null = null;
  return async () => {
    const cached = current && (await current.catch(() => null));
    if (cached && cached.expiresAt.getTime() - now() > RENEW_BEFORE_MS) return cached.token;
    current = mintServiceToken('payments', { alg: 'HS256', secret: credentials.jwtSecret }, TTL_SECONDS);
    return (await current).token;
  };
}
