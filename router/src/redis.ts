// The router's one Redis connection (`REDIS_URL`), shared by the features that keep state across
// router replicas (persisted queries, rate limits). Small on purpose: a feature needs only what is
// below, so a different client library could stand behind it.
import type { Logger } from '@store/core';
import { openRedis } from '@store/core/redis';

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

/** The router's client over `openRedis` (@store/core/redis: lazy, fails fast, ioredis loaded on first use). */
export function createRedisClient(options: RedisClientOptions): RedisClient {
  const { redis, close } = openRedis(options);
  return {
    get: (key) => redis.get(key),
    async setWithTtl(key, value, ttlSeconds) {
      await redis.set(key, value, 'EX', Math.max(1, Math.ceil(ttlSeconds)));
    },
    eval: (script, keys, args) => redis.eval(script, keys.length, ...keys, ...args),
    close,
  };
}
