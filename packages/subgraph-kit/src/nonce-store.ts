// Replay protection shared by a subgraph's replicas: the nonces of accepted router requests are
// kept in Redis (`REDIS_URL`), so a captured request that one replica served is a replay for every
// other replica too, within the signature's time window. Without REDIS_URL each process keeps its
// own (see @store/core signing.ts).
import type { Logger, NonceStore } from '@store/core';
import { isRedisUrl, openRedis } from '@store/core/redis';

export interface RedisNonceStoreOptions {
  /** `redis://` or `rediss://` URL. */
  url: string;
  /** Prefix of the keys, one per subgraph (e.g. `store:signature-nonce:orders:`). */
  keyPrefix: string;
  logger: Logger;
  /** How long a command may wait (connecting included) before it fails. Default 1 s. */
  commandTimeoutMs?: number;
}

export interface RedisNonceStore extends NonceStore {
  /** Closes the connection (pending commands finish first). Safe to call twice. */
  close(): Promise<void>;
}

/**
 * One `SET <prefix><nonce> 1 NX PX <ttl>` per accepted request: atomic, so two replicas receiving
 * the same request at the same moment cannot both accept it. Connects lazily and fails fast: a
 * command issued while Redis is unreachable is rejected after `commandTimeoutMs` at most, never
 * queued indefinitely, and the verifier then refuses the request (fail closed).
 */
export function createRedisNonceStore(options: RedisNonceStoreOptions): RedisNonceStore {
  if (!isRedisUrl(options.url)) throw new Error('REDIS_URL: expected a redis:// or rediss:// URL, e.g. redis://redis:6379');
  const { redis, close } = openRedis({ ...options, unavailableMessage: 'redis unavailable: signed requests are refused until it is back' });
  return {
    async claim(nonce, ttlMs) {
      const reply = await redis.set(`${options.keyPrefix}${nonce}`, '1', 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX');
      return reply === 'OK';
    },
    close,
  };
}
