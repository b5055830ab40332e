import type { RateLimitStore, WindowCount } from './store.ts';

interface Window {
  count: number;
  endsAt: number;
}

/**
 * Counts in this process only: each router replica has its own budget. Ended windows are swept
 * once per window length, so memory stays bounded by the callers seen in one window.
 */
export function createMemoryStore(options: { windowMs: number; now?: () => number }): RateLimitStore {
  const now = options.now ?? Date.now;
  const windows = new Map<string, Window>();
  const sweep = setInterval(() => {
    const at = now();
    for (const [key, window] of windows) if (window.endsAt <= at) windows.delete(key);
  }, Math.max(options.windowMs, 1_000));
  sweep.unref();
  return {
    async hit(key, windowMs): Promise<WindowCount> {
      const at = now();
      let window = windows.get(key);
      if (window === undefined || window.endsAt <= at) {
        window = { count: 0, endsAt: at + windowMs };
        windows.set(key, window);
      }
      window.count += 1;
      return { count: window.count, resetMs: window.endsAt - at };
    },
    async close() {
      clearInterval(sweep);
      windows.clear();
    },
  };
}
