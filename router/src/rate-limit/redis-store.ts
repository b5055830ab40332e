import type { RedisClient } from '../redis.ts';
import type { RateLimitStore, WindowCount } from './store.ts';

/**
 * A fixed window per key, counted atomically in one script: INCR, PEXPIRE on the window's first
 * request, PTTL for the reset time. Chosen over a sliding window or GCRA because it costs one key
 * and one round trip per request, gives the exact remaining count and reset time the `RateLimit-*`
 * headers report, and behaves the same as the in-memory store. Its known cost — a caller can
 * spend up to twice the budget across a window boundary — is acceptable for abuse protection
 * (this is not billing). The PTTL check also repairs a key left without an expiry.
 */
const FIXED_WINDOW_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { count, ttl }
`;

/** Counts in Redis under `keyPrefix`, so every router replica with the same Redis shares budgets. */
export function createRedisStore(options: { redis: RedisClient; keyPrefix: string }): RateLimitStore {
  const { redis, keyPrefix } = options;
  return {
    async hit(key, windowMs): Promise<WindowCount> {
      const reply = await redis.eval(FIXED_WINDOW_SCRIPT, [`${keyPrefix}${key}`], [windowMs]);
      if (!Array.isArray(reply) || typeof reply[0] !== 'number' || typeof reply[1] !== 'number') {
        throw new Error(`unexpected reply from the rate-limit script: ${JSON.stringify(reply)}`);
      }
      return { count: reply[0], resetMs: reply[1] };
    },
    // The Redis connection is shared with other features: its owner (the router) closes it.
    async close() {},
  };
}
