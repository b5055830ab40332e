import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Route } from '@store/core';

/**
 * Which browser origins may call the router from another origin (the storefront runs on its own
 * port). `'loopback'` — the development default — allows `http://127.0.0.1:<any port>`,
 * `http://localhost:<any port>` and `http://[::1]:<any port>`; a list allows exactly those
 * origins; an empty list (the production default) allows none, so only same-origin pages (the
 * router's own explorer) can read responses.
 */
export type CorsOrigins = 'loopback' | readonly string[];

/** Request headers a cross-origin page may send: what the storefront and the explorer use. */
export const CORS_ALLOWED_HEADERS = [
  'content-type',
  'authorization',
  'apollo-require-preflight',
  'x-request-id',
  'x-store-query-plan',
  'accept-language',
  // The calling app's name and version, for the usage log (operations/usage-log.ts).
  'apollographql-client-name',
  'apollographql-client-version',
  'graphql-client-name',
  'graphql-client-version',
] as const;
/** Response headers a cross-origin page may read: the request id, and when to retry after a 429. */
export const CORS_EXPOSED_HEADERS = ['x-request-id', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'ratelimit-policy'] as const;
const CORS_ALLOWED_METHODS = 'GET, POST, OPTIONS';
const PREFLIGHT_MAX_AGE_SECONDS = 600;
const LOOPBACK_ORIGIN = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d{1,5}$/;

/** `http://Example.com:80/` → `http://example.com`: the form browsers send in `Origin`. */
export function normalizeOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) return null;
    return url.origin;
  } catch {
    return null;
  }
}

export function isOriginAllowed(origin: string, allowed: CorsOrigins): boolean {
  if (allowed === 'loopback') return LOOPBACK_ORIGIN.test(origin);
  return allowed.includes(origin);
}

/**
 * A route that answers CORS preflights (`OPTIONS` with `Access-Control-Request-Method`) and adds
 * `Access-Control-Allow-Origin` to every other response for an allowed origin. A refused origin
 * gets no CORS headers (the browser then blocks the page from reading the answer); requests
 * without `Origin` (curl, subgraphs, same-origin GETs) are untouched.
 */
export function createCorsRoute(allowed: CorsOrigins): Route {
  const allowedHeaders = new Set<string>(CORS_ALLOWED_HEADERS);
  return (req: IncomingMessage, res: ServerResponse) => {
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    const ok = origin !== undefined && isOriginAllowed(origin, allowed);
    if (origin !== undefined) res.setHeader('vary', 'origin');
    if (ok) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-expose-headers', CORS_EXPOSED_HEADERS.join(', '));
    }
    if (!preflight) return false;
    if (ok) {
      const requested = String(req.headers['access-control-request-headers'] ?? '')
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter((h) => h !== '');
      res.setHeader('access-control-allow-methods', CORS_ALLOWED_METHODS);
      res.setHeader('access-control-allow-headers', requested.filter((h) => allowedHeaders.has(h)).join(', ') || CORS_ALLOWED_HEADERS.join(', '));
      res.setHeader('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS));
    }
    res.writeHead(204).end();
    return true;
  };
}
