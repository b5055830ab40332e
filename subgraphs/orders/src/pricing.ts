import type { GraphQLError } from 'graphql';
import { isUuid } from '@store/subgraph-kit';
import { duplicateProduct, invalidItemCount, invalidProductId, invalidQuantity, MAX_AMOUNT, MAX_ITEMS, MAX_QUANTITY, mixedCurrencies, totalTooLarge, unknownProduct } from './errors.ts';
import type { CatalogPrice } from './price-list.ts';

/** One line of `placeOrder` input. */
export interface OrderLine {
  productId: string;
  quantity: number;
}

/** A line with the catalog's unit price at order time. */
export interface PricedLine extends OrderLine {
  unitAmount: number;
  currency: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; error: GraphQLError };

/**
 * Checks the lines before anything is asked or written: 1–50 lines, valid and distinct product
 * ids, integer quantities 1–1000. The first problem wins, naming its field.
 */
export function checkOrderLines(lines: readonly OrderLine[]): Checked<OrderLine[]> {
  if (lines.length < 1 || lines.length > MAX_ITEMS) return { ok: false, error: invalidItemCount(lines.length) };
  const seen = new Set<string>();
  for (const [index, line] of lines.entries()) {
    if (!isUuid(line.productId)) return { ok: false, error: invalidProductId(index, line.productId) };
    // UUIDs are case-insensitive: `ABC…` and `abc…` are the same product.
    const id = line.productId.toLowerCase();
    if (seen.has(id)) return { ok: false, error: duplicateProduct(index, line.productId) };
    seen.add(id);
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_QUANTITY) return { ok: false, error: invalidQuantity(index) };
  }
  return { ok: true, value: lines.map((line) => ({ productId: line.productId.toLowerCase(), quantity: line.quantity })) };
}

/**
 * Prices checked lines with the catalog's answer: every product must exist, all in one currency,
 * and the total must fit an `Int`.
 */
export function priceOrder(lines: readonly OrderLine[], prices: ReadonlyMap<string, CatalogPrice | null>): Checked<{ items: PricedLine[]; totalAmount: number; currency: string }> {
  const items: PricedLine[] = [];
  for (const [index, line] of lines.entries()) {
    const price = prices.get(line.productId);
    if (!price) return { ok: false, error: unknownProduct(index, line.productId) };
    items.push({ ...line, unitAmount: price.amount, currency: price.currency });
  }
  const currencies = [...new Set(items.map((item) => item.currency))].sort();
  if (currencies.length !== 1) return { ok: false, error: mixedCurrencies(currencies) };
  const totalAmount = items.reduce((sum, item) => sum + item.quantity * item.unitAmount, 0);
  if (totalAmount > MAX_AMOUNT) return { ok: false, error: totalTooLarge() };
  return { ok: true, value: { items, totalAmount, currency: currencies[0]! } };
}
