import { describe, expect, it } from 'vitest';
import { BASE_SHIPPING, estimateShipping, FREE_SHIPPING_FROM, SHIPPING_PER_STEP, SHIPPING_STEP_GRAMS } from '../src/shipping.ts';

const usd = (amount: number) => ({ amount, currency: 'USD' });

describe('estimateShipping', () => {
  it('is free from USD 100.00, whatever the weight', () => {
    expect(FREE_SHIPPING_FROM).toBe(10_000);
    expect(estimateShipping(50_000, usd(10_000))).toEqual(usd(0));
    expect(estimateShipping(1, usd(123_456))).toEqual(usd(0));
  });

  it('charges 499 plus 50 per started 500 g below it', () => {
    expect([BASE_SHIPPING, SHIPPING_PER_STEP, SHIPPING_STEP_GRAMS]).toEqual([499, 50, 500]);
    expect(estimateShipping(0, usd(9_999))).toEqual(usd(499));
    expect(estimateShipping(1, usd(9_999))).toEqual(usd(549));
    expect(estimateShipping(500, usd(9_999))).toEqual(usd(549));
    expect(estimateShipping(501, usd(9_999))).toEqual(usd(599));
    expect(estimateShipping(5_049, usd(499))).toEqual(usd(499 + 11 * 50));
  });

  it('answers in the price’s currency and treats a negative weight as none', () => {
    expect(estimateShipping(750, { amount: 2_000, currency: 'EUR' })).toEqual({ amount: 599, currency: 'EUR' });
    expect(estimateShipping(-10, usd(100))).toEqual(usd(499));
  });

  it('grows with weight and never costs more for a pricier product', () => {
    for (let weight = 0; weight < 6_000; weight += 37) {
      expect(estimateShipping(weight + 37, usd(500)).amount).toBeGreaterThanOrEqual(estimateShipping(weight, usd(500)).amount);
      expect(estimateShipping(weight, usd(20_000)).amount).toBeLessThanOrEqual(estimateShipping(weight, usd(500)).amount);
    }
  });
});
