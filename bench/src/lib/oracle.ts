import { createHash } from 'node:crypto';

/** JSON with object keys sorted: equal data gives equal text, whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function hashData(data: unknown): string {
  return createHash('sha256').update(canonicalJson(data)).digest('hex');
}

export type Verdict = { ok: true } | { ok: false; why: string };

/** A response is right when it is HTTP 200 JSON without errors whose `data` hashes to the expected hash. */
export function judge(status: number, body: string, expectedHash: string): Verdict {
  if (status !== 200) return { ok: false, why: `HTTP ${status}: ${body.slice(0, 200)}` };
  let parsed: { data?: unknown; errors?: unknown };
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, why: `not JSON: ${body.slice(0, 200)}` };
  }
  if (parsed.errors) return { ok: false, why: `errors: ${JSON.stringify(parsed.errors).slice(0, 300)}` };
  const hash = hashData(parsed.data);
  return hash === expectedHash ? { ok: true } : { ok: false, why: `data hash ${hash.slice(0, 12)}… ≠ expected ${expectedHash.slice(0, 12)}…` };
}

/**
 * Checks every response of a request variant. A body already judged right is recognised by
 * string equality (cheap); any other body is parsed and hashed.
 */
export class ResponseChecker {
  readonly #accepted = new Set<string>();
  readonly #expectedHash: string;
  wrong = 0;
  checked = 0;
  firstWrong: string | undefined;
  constructor(expectedHash: string) {
    this.#expectedHash = expectedHash;
  }
  check(status: number, body: string): boolean {
    this.checked++;
    if (status === 200 && this.#accepted.has(body)) return true;
    const verdict = judge(status, body, this.#expectedHash);
    if (verdict.ok) {
      if (this.#accepted.size < 16) this.#accepted.add(body);
      return true;
    }
    this.wrong++;
    this.firstWrong ??= verdict.why;
    return false;
  }
}
