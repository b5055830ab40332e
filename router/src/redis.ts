// The router's one Redis connection (`REDIS_URL`), shared by the features that keep state across
// router replicas (persisted queries, rate limits). Small on purpose: a feature needs only what is
// below, so a different client library could stand behind it.
import { createRequire } from 'node:module';
import type { Redis as RedisConnection } from 'ioredis';
import type { Logger } from '@store/core';

// Loaded on first use: a router without REDIS_URL does not carry the client in memory (issue #6).
const loadRedis = (): typeof RedisConnection => (createRequire(import.meta.url)('ioredis') as typeof import('ioredis')).Redis;

export interface RedisClient {
  get(key: string): Promise<string | null>;
  /** Sets `key` with a time to live (seconds, > 0). */
  setWithTtl(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Runs a Lua script (EVAL) with its keys and arguments. */
  eval(script: string, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown>;
  /** Closes the connection (pending commands finish first). Safe to call twice. */
  close(): Promise<void>;
}

export interface RedisClientOptions {
  url: string;
  logger: Logger;
  /** How long a command may wait (connecting included) before it fails. Default 1 s. */
  commandTimeoutMs?: number;
}

/**
 * Connects lazily and fails fast: a command issued while Redis is unreachable is rejected (after
 * `commandTimeoutMs` at most) instead of queued, so callers can fall back and requests never hang
 * on Redis.
 */
export function createRedisClient(options: RedisClientOptions): RedisClient {
  const timeout = options.commandTimeoutMs ?? 1_000;
  const Redis = loadRedis();
  const redis = new Redis(options.url, {
    lazyConnect: true,
    enableOfflineQueue: true,
    maxRetriesPerRequest: 1,
    connectTimeout: timeout,
    commandTimeout: timeout,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let lastError = '';
  redis.on('error', (error: Error) => {
    // Logged once per distinct failure, not on every reconnection attempt.
    if (error.message === lastError) return;
    lastError = error.message;
    options.logger.warn('redis unavailable', { error: error.message });
  });
  redis.on('ready', () => {
    lastError = '';
  });
  let closing: Promise<void> | null = null;
  return {
    get: (key) => redis.get(key),
    async setWithTtl(key, value, ttlSeconds) {
      await redis.set(key, value, 'EX', Math.max(1, Math.ceil(ttlSeconds)));
    },
    eval: (script, keys, args) => redis.eval(script, keys.length, ...keys, ...args),
    close() {
      closing ??= redis.quit().then(
        () => undefined,
        () => redis.disconnect(),
      );
      return closing;
    },
  };
}
