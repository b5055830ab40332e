/** What `withDeadline` gives back: the work's result, or that the deadline passed first. */
export type DeadlineOutcome<T> = { ok: true; value: T } | { ok: false };

/**
 * Runs `work` with a signal that aborts when `timeoutMs` passes (the router hands it to its
 * subgraph calls) and stops waiting for it then, even if something in it ignores the signal.
 */
export async function withDeadline<T>(timeoutMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<DeadlineOutcome<T>> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<DeadlineOutcome<T>>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error(`deadline of ${timeoutMs} ms passed`));
      resolve({ ok: false });
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(controller.signal).then((value): DeadlineOutcome<T> => ({ ok: true, value })), expired]);
  } finally {
    clearTimeout(timer);
  }
}
