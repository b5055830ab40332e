import type { GraphQLError } from 'graphql';
import { cardExpired, invalidCardNumber, invalidCvc, invalidExpiryMonth, invalidExpiryYear } from './errors.ts';

/** A card as the client sent it (`CardInput`). */
export interface CardInput {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

/**
 * A card that passed every local check. `number` and `cvc` exist only in memory, on their way to
 * the provider: they are never stored, logged or returned.
 */
export interface ValidCard {
  /** Digits only. */
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
  brand: CardBrand;
  last4: string;
}

export type CardBrand = 'Visa' | 'Mastercard' | 'American Express' | 'Discover' | 'Unknown';

export type CardCheck = { ok: true; card: ValidCard } | { ok: false; error: GraphQLError };

// Spaces and dashes are how people (and our README) write card numbers.
const SEPARATORS = /[\s-]/g;
// The furthest in the future an expiry date can plausibly be.
const MAX_YEARS_AHEAD = 50;

/** The Luhn (mod 10) checksum every card number carries in its last digit. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** The card network, from the number's prefix (IIN ranges). */
export function cardBrand(digits: string): CardBrand {
  if (/^4/.test(digits)) return 'Visa';
  const first4 = Number(digits.slice(0, 4));
  if (/^5[1-5]/.test(digits) || (first4 >= 2221 && first4 <= 2720)) return 'Mastercard';
  if (/^3[47]/.test(digits)) return 'American Express';
  if (/^(6011|65|64[4-9])/.test(digits)) return 'Discover';
  return 'Unknown';
}

/**
 * Checks a card before anything is written or anyone is called: a 12–19 digit Luhn-valid number,
 * an expiry month 1–12 that is this month or later (a card is valid through the end of its expiry
 * month, in UTC), and a 3–4 digit CVC. Failures name the input field.
 */
export function checkCard(input: CardInput, now: Date): CardCheck {
  const number = input.number.replace(SEPARATORS, '');
  if (!/^\d{12,19}$/.test(number) || !passesLuhn(number)) return { ok: false, error: invalidCardNumber() };
  if (!Number.isInteger(input.expMonth) || input.expMonth < 1 || input.expMonth > 12) return { ok: false, error: invalidExpiryMonth() };
  const year = now.getUTCFullYear();
  if (!Number.isInteger(input.expYear) || input.expYear < 1000 || input.expYear > 9999) return { ok: false, error: invalidExpiryYear() };
  if (input.expYear < year) return { ok: false, error: cardExpired('input.card.expYear') };
  if (input.expYear > year + MAX_YEARS_AHEAD) return { ok: false, error: invalidExpiryYear() };
  if (input.expYear === year && input.expMonth < now.getUTCMonth() + 1) return { ok: false, error: cardExpired('input.card.expMonth') };
  if (!/^\d{3,4}$/.test(input.cvc)) return { ok: false, error: invalidCvc() };
  return {
    ok: true,
    card: { number, expMonth: input.expMonth, expYear: input.expYear, cvc: input.cvc, brand: cardBrand(number), last4: number.slice(-4) },
  };
}
