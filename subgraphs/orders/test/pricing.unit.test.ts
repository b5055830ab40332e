import { describe, expect, it } from 'vitest';
import { duplicateProduct, invalidItemCount, invalidProductId, invalidQuantity, mixedCurrencies, totalTooLarge, unknownProduct } from '../src/errors.ts';
import { checkOrderLines, priceOrder, type OrderLine } from '../src/pricing.ts';

const id = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const line = (n: number, quantity = 1): OrderLine => ({ productId: id(n), quantity });
const usd = (amount: number) => ({ amount, currency: 'USD' });

describe('checkOrderLines', () => {
  it('accepts 1–50 distinct products with quantities 1–1000, keeping their order', () => {
    expect(checkOrderLines([line(3, 1000), line(1), line(2, 5)])).toEqual({ ok: true, value: [line(3, 1000), line(1), line(2, 5)] });
    expect(checkOrderLines(Array.from({ length: 50 }, (_, i) => line(i + 1))).ok).toBe(true);
  });

  it('lowercases product ids, so the same product in capitals is a duplicate', () => {
    const upper = { productId: id(0xab).toUpperCase(), quantity: 1 };
    expect(checkOrderLines([upper])).toEqual({ ok: true, value: [line(0xab)] });
    expect(checkOrderLines([line(0xab), upper])).toEqual({ ok: false, error: duplicateProduct(1, upper.productId) });
  });

  it.each([
    ['no lines', [], invalidItemCount(0)],
    ['51 lines', Array.from({ length: 51 }, (_, i) => line(i + 1)), invalidItemCount(51)],
    ['a malformed id', [line(1), { productId: 'SKU-1', quantity: 1 }], invalidProductId(1, 'SKU-1')],
    ['a duplicate', [line(1), line(2), line(1, 3)], duplicateProduct(2, id(1))],
    ['a zero quantity', [line(1, 0)], invalidQuantity(0)],
    ['a negative quantity', [line(1), line(2, -4)], invalidQuantity(1)],
    ['a quantity over 1000', [line(1, 1001)], invalidQuantity(0)],
    ['a fractional quantity', [line(1, 1.5)], invalidQuantity(0)],
  ])('refuses %s, naming the field', (_label, lines, error) => {
    const result = checkOrderLines(lines);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toBe(error.message);
    expect(result.error.extensions).toEqual(error.extensions);
  });
});

describe('priceOrder', () => {
  it('totals quantity × unit price in the products’ one currency', () => {
    const prices = new Map([[id(1), usd(250)], [id(2), usd(0)], [id(3), usd(1999)]]);
    expect(priceOrder([line(1, 2), line(2, 7), line(3)], prices)).toEqual({
      ok: true,
      value: {
        items: [
          { ...line(1, 2), unitAmount: 250, currency: 'USD' },
          { ...line(2, 7), unitAmount: 0, currency: 'USD' },
          { ...line(3), unitAmount: 1999, currency: 'USD' },
        ],
        totalAmount: 2 * 250 + 1999,
        currency: 'USD',
      },
    });
  });

  it('refuses an unknown product, mixed currencies and a total beyond Int', () => {
    const failure = (lines: OrderLine[], prices: Map<string, { amount: number; currency: string } | null>) => {
      const result = priceOrder(lines, prices);
      return result.ok ? null : result.error;
    };
    expect(failure([line(1), line(2)], new Map([[id(1), usd(1)], [id(2), null]]))?.extensions).toMatchObject(unknownProduct(1, id(2)).extensions);
    expect(failure([line(1)], new Map())?.message).toBe(unknownProduct(0, id(1)).message);
    expect(failure([line(1), line(2)], new Map([[id(1), usd(1)], [id(2), { amount: 1, currency: 'EUR' }]]))?.message).toBe(mixedCurrencies(['EUR', 'USD']).message);
    expect(failure([line(1, 1000)], new Map([[id(1), usd(2_147_484)]]))?.message).toBe(totalTooLarge().message);
    expect(priceOrder([line(1, 1000)], new Map([[id(1), usd(2_147_483)]])).ok).toBe(true);
  });
});
