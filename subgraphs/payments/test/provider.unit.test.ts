import { describe, expect, it } from 'vitest';
import { chargeWithTimeout, createSimulatedProvider, TEST_CARDS, type ChargeRequest, type PaymentProvider } from '../src/provider.ts';

const request = (number: string): ChargeRequest => ({ paymentId: '00000000-0000-4000-8000-0000000000aa', amount: 1999, currency: 'USD', card: { number, expMonth: 12, expYear: 2030, cvc: '123' } });

describe('simulated provider', () => {
  const provider = createSimulatedProvider();

  it('approves 4242 4242 4242 4242 and any other valid card, with a reference that depends only on the payment', async () => {
    const a = await chargeWithTimeout(provider, request(TEST_CARDS.approved), 1000);
    const b = await chargeWithTimeout(provider, request('5555555555554444'), 1000);
    expect(a.outcome).toEqual({ outcome: 'APPROVED', reference: expect.stringMatching(/^sim_[0-9a-f]{24}$/) });
    expect(b.outcome).toEqual(a.outcome);
  });

  it('declines 4000 0000 0000 0002 with card_declined', async () => {
    expect((await chargeWithTimeout(provider, request(TEST_CARDS.declined), 1000)).outcome).toMatchObject({ outcome: 'DECLINED', reason: 'card_declined' });
  });

  it('does not answer for 4000 0000 0000 9995: the attempt FAILS with provider_timeout and the simulator stops', async () => {
    const result = await chargeWithTimeout(provider, request(TEST_CARDS.timeout), 50);
    expect(result.outcome).toEqual({ outcome: 'FAILED', reason: 'provider_timeout' });
  });
});

describe('chargeWithTimeout', () => {
  it('gives up on a provider that ignores the abort signal', async () => {
    const deaf: PaymentProvider = { charge: () => new Promise(() => {}) };
    expect((await chargeWithTimeout(deaf, request(TEST_CARDS.approved), 30)).outcome).toEqual({ outcome: 'FAILED', reason: 'provider_timeout' });
  });

  it('turns a failing provider into FAILED provider_error and hands the error over for the log', async () => {
    const broken: PaymentProvider = { charge: async () => Promise.reject(new Error('502 from provider')) };
    const result = await chargeWithTimeout(broken, request(TEST_CARDS.approved), 1000);
    expect(result.outcome).toEqual({ outcome: 'FAILED', reason: 'provider_error' });
    expect((result.error as Error).message).toBe('502 from provider');
  });
});
