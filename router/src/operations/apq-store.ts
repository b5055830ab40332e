// Where Automatic Persisted Queries live: a bounded in-memory LRU, and Redis behind it when the
// router runs as several replicas (a client may register on one and hit another).
import type { Logger } from '@store/core';
import type { RedisClient } from '../redis.ts';
import { sha256Hex } from './manifest.ts';

export interface PersistedQueryStore {
  /** The registered document of a hash; `undefined` when unknown (or the store is unreachable). */
  get(hash: string): Promise<string | undefined>;
  /** Registers a document (its hash already checked). Never throws: a lost write is a later miss. */
  set(hash: string, document: string): Promise<void>;
}

export interface MemoryStoreOptions {
  /** Default 1000 documents. */
  maxEntries?: number;
  /** Total document text kept, in UTF-16 code units. Default 16 Mi. */
  maxChars?: number;
}

/** Least recently used documents are dropped first, within both bounds. */
export function createMemoryStore(options: MemoryStoreOptions = {}): PersistedQueryStore & { readonly size: number } {
  const maxEntries = options.maxEntries ?? 1000;
  const maxChars = options.maxChars ?? 16 * 1024 * 1024;
  const entries = new Map<string, string>();
  let chars = 0;
  const evict = () => {
    while (entries.size > maxEntries || chars > maxChars) {
      const [oldest, document] = entries.entries().next().value!;
      entries.delete(oldest);
      chars -= document.length;
    }
  };
  return {
    get size() {
      return entries.size;
    },
    async get(hash) {
      const document = entries.get(hash);
      if (document !== undefined) {
        entries.delete(hash);
        entries.set(hash, document);
      }
      return document;
    },
    async set(hash, document) {
      if (document.length > maxChars) return;
      const previous = entries.get(hash);
      if (previous !== undefined) {
        entries.delete(hash);
        chars -= previous.length;
      }
      entries.set(hash, document);
      chars += document.length;
      evict();
    },
  };
}

export interface RedisStoreOptions {
  redis: RedisClient;
  logger: Logger;
  /** Prepended to every key. Default `store:apq:`. */
  keyPrefix?: string;
  /** Time to live of a registered document, renewed by nothing. Default 24 h. */
  ttlSeconds?: number;
  /** The replica-local LRU in front of Redis. */
  memory?: PersistedQueryStore;
}

export const DEFAULT_APQ_KEY_PREFIX = 'store:apq:';
export const DEFAULT_APQ_TTL_SECONDS = 24 * 60 * 60;

/**
 * Redis shared by the replicas, with a local LRU in front. Redis being down degrades to the local
 * LRU: a miss makes the client send its document again, it never fails the request.
 */
export function createRedisStore(options: RedisStoreOptions): PersistedQueryStore {
  const prefix = options.keyPrefix ?? DEFAULT_APQ_KEY_PREFIX;
  const ttl = options.ttlSeconds ?? DEFAULT_APQ_TTL_SECONDS;
  const memory = options.memory ?? createMemoryStore();
  const { logger } = options;
  return {
    async get(hash) {
      const local = await memory.get(hash);
      if (local !== undefined) return local;
      let shared: string | null;
      try {
        shared = await options.redis.get(prefix + hash);
      } catch (error) {
        logger.warn('persisted query lookup in redis failed', { error: (error as Error).message });
        return undefined;
      }
      // Whatever another replica (or anyone with access to Redis) wrote must still be the hash's document.
      if (shared === null || sha256Hex(shared) !== hash) return undefined;
      await memory.set(hash, shared);
      return shared;
    },
    async set(hash, document) {
      await memory.set(hash, document);
      try {
        await options.redis.setWithTtl(prefix + hash, document, ttl);
      } catch (error) {
        logger.warn('persisted query registration in redis failed', { error: (error as Error).message });
      }
    },
  };
}
