/** An amount in minor units (cents) of `currency`, as catalog's `Money`. */
export interface Money {
  amount: number;
  currency: string;
}

/** From this price (in minor units of the product's own currency) shipping is free. */
export const FREE_SHIPPING_FROM = 10_000;
/** What shipping costs before weight is counted. */
export const BASE_SHIPPING = 499;
/** Added for every started weight step. */
export const SHIPPING_PER_STEP = 50;
/** Grams per weight step. */
export const SHIPPING_STEP_GRAMS = 500;

/**
 * Standard shipping for one unit (documented on `Product.shippingEstimate`): free when the price
 * is at least FREE_SHIPPING_FROM, else BASE_SHIPPING plus SHIPPING_PER_STEP per started
 * SHIPPING_STEP_GRAMS of weight; in the price's currency. Pure: it needs catalog's `weight` and
 * `price` (which the router sends with the representation), never the database.
 */
export function estimateShipping(weightGrams: number, price: Money): Money {
  if (price.amount >= FREE_SHIPPING_FROM) return { amount: 0, currency: price.currency };
  const steps = Math.ceil(Math.max(0, weightGrams) / SHIPPING_STEP_GRAMS);
  return { amount: BASE_SHIPPING + SHIPPING_PER_STEP * steps, currency: price.currency };
}
