/** One caller's window after counting a request. */
export interface WindowCount {
  /** Requests counted in the current window, this one included. */
  count: number;
  /** Milliseconds until the window ends and the count starts again from zero. */
  resetMs: number;
}

/**
 * Where request counts live: in this process (`memory-store.ts`) or in Redis, shared by every
 * router replica (`redis-store.ts`). Both count a fixed window per key (see redis-store.ts for why).
 */
export interface RateLimitStore {
  /** Counts one request for `key` in its current window; rejects when the store cannot answer. */
  hit(key: string, windowMs: number): Promise<WindowCount>;
  close(): Promise<void>;
}
