// Per-caller request budgets at the router. The check runs once per HTTP request, in the router's
// context function (server.ts), which is memoised per request and first called on arrival, before
// the body is read (route.ts): refused requests count too, and a request the fast path hands back
// to Apollo Server is not counted twice.
import type { IncomingMessage } from 'node:http';
import type { GraphQLError } from 'graphql';
import type { Identity, Logger } from '@store/core';
import type { RedisClient } from '../redis.ts';
import { addressBucketOf, clientIpOf } from './client-ip.ts';
import { rateLimited, rateLimitUnavailable } from './errors.ts';
import { createMemoryStore } from './memory-store.ts';
import type { RateLimitPolicy } from './policy.ts';
import { createRedisStore } from './redis-store.ts';
import type { RateLimitStore } from './store.ts';

/** Whose budget a request spends: the verified token's `sub` (else the IP), or always the IP. */
export type RateLimitKey = 'user-or-ip' | 'ip';
/** What happens while Redis cannot count: `open` lets requests through, `closed` refuses them. */
export type RateLimitFailureMode = 'open' | 'closed';

export interface RateLimitOptions extends RateLimitPolicy {
  /** Default `user-or-ip`. */
  key?: RateLimitKey;
  /** Count in this Redis, shared by every router replica using it. Default: in this process. */
  redis?: RedisClient | null;
  /** Prefix of the Redis keys. Default `store:rate-limit:`. */
  keyPrefix?: string;
  /** Default `open`: a Redis outage must not take the API down with it. */
  onStoreFailure?: RateLimitFailureMode;
}

/** The `RateLimit-*` response headers (IETF httpapi draft), plus `Retry-After` on refusals. */
export type RateLimitHeaders = Readonly<Record<string, string>>;

export type RateLimitOutcome = { allowed: true; headers: RateLimitHeaders } | { allowed: false; error: GraphQLError; headers: RateLimitHeaders };

export interface RateLimiter {
  /** Counts the request against its caller's budget. Never rejects. */
  check(req: IncomingMessage, identity: Identity | null): Promise<RateLimitOutcome>;
  close(): Promise<void>;
}

/** The budget a request spends: `user:<sub>` for a verified token (with `user-or-ip`), else `ip:<address bucket>` (IPv6 by /64). */
export function callerKeyOf(key: RateLimitKey, identity: Identity | null, address: string): string {
  return key === 'user-or-ip' && identity !== null ? `user:${identity.sub}` : `ip:${addressBucketOf(address)}`;
}

/** How often a failing store is reported: once per interval, not once per request. */
const STORE_FAILURE_LOG_INTERVAL_MS = 30_000;
const FAIL_CLOSED_RETRY_AFTER_SECONDS = 1;
/**
 * After the store fails, requests skip it for this long (one request then tries again), so an
 * outage costs one command timeout per interval instead of one per request.
 */
const STORE_RETRY_INTERVAL_MS = 2_000;

export function createRateLimiter(options: RateLimitOptions & { logger: Logger; trustedProxyHops?: number }): RateLimiter {
  const { max, windowMs, logger } = options;
  const key = options.key ?? 'user-or-ip';
  const failureMode = options.onStoreFailure ?? 'open';
  const hops = options.trustedProxyHops ?? 0;
  const store: RateLimitStore = options.redis
    ? createRedisStore({ redis: options.redis, keyPrefix: options.keyPrefix ?? 'store:rate-limit:' })
    : createMemoryStore({ windowMs });

  let storeDownUntil = -Infinity;
  let lastFailureLog = -Infinity;
  let failuresSinceLog = 0;
  const reportFailure = (error: unknown) => {
    failuresSinceLog += 1;
    const now = Date.now();
    if (now - lastFailureLog < STORE_FAILURE_LOG_INTERVAL_MS) return;
    lastFailureLog = now;
    logger.warn(failureMode === 'open' ? 'rate limiting unavailable: letting requests through' : 'rate limiting unavailable: refusing requests', {
      error: error instanceof Error ? error.message : String(error),
      failedChecks: failuresSinceLog,
    });
    failuresSinceLog = 0;
  };

  return {
    async check(req, identity) {
      // Service tokens are minted only by the platform's own subgraphs (shared secret): their
      // calls through the router are internal traffic, not a client to throttle.
      if (identity?.role === 'SERVICE') return { allowed: true, headers: {} };
      const caller = callerKeyOf(key, identity, clientIpOf(req, hops));
      let count: number;
      let resetMs: number;
      try {
        if (Date.now() < storeDownUntil) throw new Error('the rate-limit store failed recently');
        ({ count, resetMs } = await store.hit(caller, windowMs));
      } catch (error) {
        if (Date.now() >= storeDownUntil) storeDownUntil = Date.now() + STORE_RETRY_INTERVAL_MS;
        reportFailure(error);
        if (failureMode === 'open') return { allowed: true, headers: {} };
        const error503 = rateLimitUnavailable(FAIL_CLOSED_RETRY_AFTER_SECONDS);
        return { allowed: false, error: error503, headers: { 'retry-after': String(FAIL_CLOSED_RETRY_AFTER_SECONDS) } };
      }
      const resetSeconds = Math.max(1, Math.ceil(resetMs / 1000));
      const headers: Record<string, string> = {
        'ratelimit-limit': String(max),
        'ratelimit-remaining': String(Math.max(0, max - count)),
        'ratelimit-reset': String(resetSeconds),
        'ratelimit-policy': `${max};w=${Math.max(1, Math.ceil(windowMs / 1000))}`,
      };
      if (count <= max) return { allowed: true, headers };
      headers['retry-after'] = String(resetSeconds);
      return { allowed: false, error: rateLimited(resetSeconds, headers), headers };
    },
    close: () => store.close(),
  };
}
