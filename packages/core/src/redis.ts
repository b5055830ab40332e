// One way to open a Redis connection for the platform's shared state (router: persisted queries,
// rate limits; subgraphs: replay nonces). `@store/core/redis` is its own entry so that nothing else
// loads the client: ioredis itself is required on first use.
import { createRequire } from 'node:module';
import type { Redis as RedisConnection } from 'ioredis';
import type { Logger } from './logger.ts';

const loadRedis = (): typeof RedisConnection => (createRequire(import.meta.url)('ioredis') as typeof import('ioredis')).Redis;

export type { RedisConnection };

export interface RedisConnectionOptions {
  /** `redis://` or `rediss://` URL. */
  url: string;
  logger: Logger;
  /** How long a command may wait (connecting included) before it fails. Default 1 s. */
  commandTimeoutMs?: number;
  /** The warning logged when Redis stops answering (once per distinct failure). */
  unavailableMessage?: string;
}

export interface OpenRedis {
  redis: RedisConnection;
  /** Closes the connection (pending commands finish first). Safe to call twice. */
  close(): Promise<void>;
}

/** A `redis://` / `rediss://` URL with a host, as REDIS_URL must be. */
export function isRedisUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * Connects lazily and fails fast: a command issued while Redis is unreachable is rejected after
 * `commandTimeoutMs` at most, never queued indefinitely, so callers decide (fall back, or refuse)
 * and requests never hang on Redis.
 */
export function openRedis(options: RedisConnectionOptions): OpenRedis {
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
    options.logger.warn(options.unavailableMessage ?? 'redis unavailable', { error: error.message });
  });
  redis.on('ready', () => {
    lastError = '';
  });
  let closing: Promise<void> | null = null;
  return {
    redis,
    close() {
      closing ??= redis.quit().then(
        () => undefined,
        () => redis.disconnect(),
      );
      return closing;
    },
  };
}
