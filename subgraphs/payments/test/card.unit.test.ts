import { describe, expect, it } from 'vitest';
import { cardBrand, checkCard, passesLuhn, type CardInput } from '../src/card.ts';
import { cardExpired, invalidCardNumber, invalidCvc, invalidExpiryMonth, invalidExpiryYear } from '../src/errors.ts';
import { TEST_CARDS } from '../src/provider.ts';

const NOW = new Date('2026-11-26T12:00:00Z');
const card = (change: Partial<CardInput> = {}): CardInput => ({ number: '4242 4242 4242 4242', expMonth: 12, expYear: 2030, cvc: '123', ...change });

describe('card checks', () => {
  it('passes the documented test cards, ignoring spaces and dashes, and keeps only brand and last 4 beside the number', () => {
    for (const number of Object.values(TEST_CARDS)) expect(passesLuhn(number)).toBe(true);
    const checked = checkCard(card({ number: '4000-0000-0000-0002' }), NOW);
    expect(checked).toEqual({ ok: true, card: { number: '4000000000000002', expMonth: 12, expYear: 2030, cvc: '123', brand: 'Visa', last4: '0002' } });
  });

  it.each([
    ['4242424242424242', 'Visa'],
    ['5555555555554444', 'Mastercard'],
    ['2223003122003222', 'Mastercard'],
    ['378282246310005', 'American Express'],
    ['6011111111111117', 'Discover'],
    ['3566002020360505', 'Unknown'],
  ])('knows %s as %s', (number, brand) => {
    expect(passesLuhn(number)).toBe(true);
    expect(cardBrand(number)).toBe(brand);
  });

  const rejected: [string, Partial<CardInput>, { message: string; extensions: Record<string, unknown> }][] = [
    ['a number failing the Luhn check', { number: '4242 4242 4242 4241' }, invalidCardNumber()],
    ['a number with letters', { number: '4242 4242 4242 424x' }, invalidCardNumber()],
    ['a number too short', { number: '42424242424' }, invalidCardNumber()],
    ['a number too long', { number: '4'.repeat(20) }, invalidCardNumber()],
    ['month 0', { expMonth: 0 }, invalidExpiryMonth()],
    ['month 13', { expMonth: 13 }, invalidExpiryMonth()],
    ['a two-digit year', { expYear: 30 }, invalidExpiryYear()],
    ['a year far in the future', { expYear: 2100 }, invalidExpiryYear()],
    ['last year', { expYear: 2025 }, cardExpired('input.card.expYear')],
    ['last month', { expYear: 2026, expMonth: 10 }, cardExpired('input.card.expMonth')],
    ['a 2-digit CVC', { cvc: '12' }, invalidCvc()],
    ['a 5-digit CVC', { cvc: '12345' }, invalidCvc()],
    ['a CVC with letters', { cvc: '12a' }, invalidCvc()],
  ];
  it.each(rejected)('rejects %s, naming the field', (_label, change, expected) => {
    const checked = checkCard(card(change), NOW);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.error.message).toBe(expected.message);
    expect(checked.error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: expected.extensions.field });
    // Error messages never repeat what was typed.
    expect(checked.error.message).not.toMatch(/\d{4}/);
  });

  it('accepts a card expiring this month (valid through its last day)', () => {
    expect(checkCard(card({ expYear: 2026, expMonth: 11 }), NOW).ok).toBe(true);
  });
});
