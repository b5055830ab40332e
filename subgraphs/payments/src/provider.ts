import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/** What a provider needs to charge a card. The card fields never leave memory. */
export interface ChargeRequest {
  /** Our payment id. A real provider dedupes on it, so a retried call charges at most once. */
  paymentId: string;
  /** Minor units. */
  amount: number;
  currency: string;
  card: { number: string; expMonth: number; expYear: number; cvc: string };
}

/** The provider's answer. A decline is an answer, not an error. */
export type ChargeResult =
  | { outcome: 'APPROVED'; reference: string }
  | { outcome: 'DECLINED'; reference: string; reason: string };

/** A card payment provider. */
export interface PaymentProvider {
  /**
   * Charges the card. Rejects when the provider fails; should stop when `signal` aborts (the
   * caller's timeout), but the caller does not rely on it.
   */
  charge(request: ChargeRequest, signal: AbortSignal): Promise<ChargeResult>;
}

/** How an attempt ended, as recorded on the payment. */
export type ChargeOutcome = ChargeResult | { outcome: 'FAILED'; reason: 'provider_timeout' | 'provider_error' };

/** The simulator's documented test cards (README). Any other Luhn-valid number is approved. */
export const TEST_CARDS = {
  approved: '4242424242424242',
  declined: '4000000000000002',
  /** The provider does not answer before the timeout: the payment ends FAILED, provider_timeout. */
  timeout: '4000000000009995',
} as const;

export const DECLINE_REASON = { cardDeclined: 'card_declined', providerTimeout: 'provider_timeout', providerError: 'provider_error' } as const;

export interface SimulatedProviderOptions {
  /** How long the timeout card hangs. Default 10 minutes: longer than any sensible timeout. */
  hangMs?: number;
}

/**
 * A deterministic in-process provider for development and tests: the answer depends only on the
 * card number, and the reference only on the payment id.
 */
export function createSimulatedProvider(options: SimulatedProviderOptions = {}): PaymentProvider {
  const hangMs = options.hangMs ?? 10 * 60_000;
  return {
    async charge(request, signal) {
      const reference = `sim_${createHash('sha256').update(request.paymentId).digest('hex').slice(0, 24)}`;
      switch (request.card.number) {
        case TEST_CARDS.declined:
          return { outcome: 'DECLINED', reference, reason: DECLINE_REASON.cardDeclined };
        case TEST_CARDS.timeout:
          // Rejects with an AbortError as soon as the caller gives up.
          await sleep(hangMs, undefined, { signal });
          throw new Error('simulated provider: no answer');
        default:
          return { outcome: 'APPROVED', reference };
      }
    },
  };
}

/**
 * Calls the provider, giving up after `timeoutMs` even if it ignores the abort signal. Every way
 * it can end is a value: the provider's answer, or FAILED with `provider_timeout` (no answer in
 * time) or `provider_error` (it failed). The error itself is returned for the log; card data is
 * never part of it.
 */
export async function chargeWithTimeout(provider: PaymentProvider, request: ChargeRequest, timeoutMs: number): Promise<{ outcome: ChargeOutcome; error?: unknown }> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error(`provider did not answer within ${timeoutMs} ms`));
      resolve('timeout');
    }, timeoutMs);
  });
  try {
    const result = await Promise.race([provider.charge(request, controller.signal), timedOut]);
    if (result === 'timeout') return { outcome: { outcome: 'FAILED', reason: DECLINE_REASON.providerTimeout } };
    return { outcome: result };
  } catch (error) {
    const reason = controller.signal.aborted ? DECLINE_REASON.providerTimeout : DECLINE_REASON.providerError;
    return { outcome: { outcome: 'FAILED', reason }, error };
  } finally {
    clearTimeout(timer);
  }
}
