import { createRequire } from 'node:module';
import { BENCH_DIR } from './root.ts';
import { judge, ResponseChecker } from './oracle.ts';
import type { RequestVariant } from './workload.ts';

export interface CorrectnessResult {
  requests: number;
  wrong: { label: string; why: string }[];
}

/**
 * Sends every variant `times` times (a few at once) and judges each answer. No load: this is
 * what the smoke mode runs, and what every full run does before measuring.
 */
export async function correctnessPass(url: string, variants: readonly RequestVariant[], times = 1, concurrency = 4): Promise<CorrectnessResult> {
  const queue: RequestVariant[] = [];
  for (let i = 0; i < times; i++) queue.push(...variants);
  const wrong: { label: string; why: string }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < queue.length) {
      const variant = queue[next++]!;
      let status = 0;
      let body = '';
      try {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: variant.body });
        status = response.status;
        body = await response.text();
      } catch (error) {
        body = String(error);
      }
      const verdict = judge(status, body, variant.expectedHash!);
      if (!verdict.ok) wrong.push({ label: variant.label, why: verdict.why });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { requests: queue.length, wrong };
}

export interface LoadOptions {
  connections: number;
  durationSeconds: number;
  /**
   * Requests per second from all connections together (autocannon's `overallRate`): an open-loop
   * load, paced by the clock rather than by answers, so connections do not fall into step with
   * each other. Unset: each connection sends its next request when the last is answered.
   */
  rate?: number;
}

export interface LoadResult {
  requests: number;
  durationSeconds: number;
  rps: number;
  p50: number;
  p99: number;
  /** Connection errors, timeouts and non-2xx answers. */
  errors: number;
  /** Answers whose data was not the expected data. */
  wrong: number;
  firstWrong?: string;
}

type Autocannon = (options: Record<string, unknown>, callback: (error: Error | null, result: AutocannonResult) => void) => { stop(): void };
interface AutocannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

let autocannon: Autocannon | undefined;
function loadAutocannon(): Autocannon {
  autocannon ??= createRequire(`${BENCH_DIR}package.json`)('autocannon') as Autocannon;
  return autocannon;
}

/**
 * `autocannon` at constant concurrency; every answer is checked. With several variants, each
 * connection walks them from its own offset, so concurrent requests are rarely identical.
 */
export async function runLoad(url: string, variants: readonly RequestVariant[], options: LoadOptions): Promise<LoadResult> {
  const checkers = variants.map((v) => new ResponseChecker(v.expectedHash!));
  const requests = variants.map((variant, i) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: variant.body,
    onResponse: (status: number, body: string) => void checkers[i]!.check(status, body),
  }));
  let client = 0;
  const result = await new Promise<AutocannonResult>((resolve, reject) =>
    loadAutocannon()(
      {
        url,
        connections: options.connections,
        duration: options.durationSeconds,
        ...(options.rate !== undefined && { overallRate: options.rate }),
        requests,
        setupClient: (c: { setRequests(r: unknown[]): void }) => {
          // Starting points spread evenly over the variants: connections that start on the same
          // variant walk the list in lockstep and send identical requests at the same moments,
          // which flatters any gateway that shares them (a stride that divides the list's length,
          // as 7 does 49, made 7 such groups of 7).
          const offset = Math.floor((client++ * requests.length) / options.connections) % requests.length;
          c.setRequests([...requests.slice(offset), ...requests.slice(0, offset)]);
        },
      },
      (error, r) => (error ? reject(error) : resolve(r)),
    ),
  );
  const wrong = checkers.reduce((n, c) => n + c.wrong, 0);
  const firstWrong = checkers.find((c) => c.firstWrong)?.firstWrong;
  return {
    requests: result.requests.total,
    durationSeconds: result.duration,
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    wrong,
    ...(firstWrong ? { firstWrong } : {}),
  };
}
