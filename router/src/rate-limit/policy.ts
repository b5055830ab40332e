/** A request budget: at most `max` requests per caller in each window of `windowMs`. */
export interface RateLimitPolicy {
  max: number;
  windowMs: number;
}

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
const SPEC = /^(\d+)\s*\/\s*(\d*)\s*(ms|s|m|h)$/;
/** Windows above a day are almost surely a typo (and would keep counters for days). */
const MAX_WINDOW_MS = 86_400_000;

export const RATE_LIMIT_SPEC_HINT = 'expected off or <requests>/<window>, e.g. 600/1m, 20/s, 5000/1h (window units: ms, s, m, h)';

/** `600/1m` → `{ max: 600, windowMs: 60000 }`; `off` → null. */
export function parseRateLimitSpec(text: string): { ok: true; policy: RateLimitPolicy | null } | { ok: false; message: string } {
  const value = text.trim().toLowerCase();
  if (value === 'off') return { ok: true, policy: null };
  const match = SPEC.exec(value);
  if (!match) return { ok: false, message: RATE_LIMIT_SPEC_HINT };
  const max = Number(match[1]);
  const windowMs = Number(match[2] === '' ? 1 : match[2]) * UNIT_MS[match[3] as keyof typeof UNIT_MS];
  if (!Number.isSafeInteger(max) || max < 1) return { ok: false, message: `the request count must be at least 1 (${RATE_LIMIT_SPEC_HINT})` };
  if (windowMs < 1 || windowMs > MAX_WINDOW_MS) return { ok: false, message: `the window must be between 1ms and 24h (${RATE_LIMIT_SPEC_HINT})` };
  return { ok: true, policy: { max, windowMs } };
}
