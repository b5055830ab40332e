import { z } from 'zod';
import { createRouterClient, RouterUnavailableError, type RouterClientOptions } from '@store/subgraph-kit';

/** A catalog price in minor units. */
export interface CatalogPrice {
  amount: number;
  currency: string;
}

/**
 * Answers "what does each of these catalog products cost right now?". Orders cannot read the
 * catalog's database (one database per team), so the default implementation asks the router,
 * like any other client.
 */
export interface PriceList {
  /**
   * The current price of every id, in one request: `null` for a product the catalog does not
   * know. Rejects with `PriceListUnavailableError` when it cannot tell.
   */
  pricesOf(productIds: readonly string[]): Promise<Map<string, CatalogPrice | null>>;
}

/** The price list could not answer (router down, slow, or refusing us): neither a price nor a "no". */
export class PriceListUnavailableError extends Error {
  override readonly name = 'PriceListUnavailableError';
}

/** Router URL, service token and timeout (default 3000 ms: placing an order should not hang on the catalog). */
export type RouterPriceListOptions = RouterClientOptions;

/**
 * One operation for all products: the catalog's `Query.product(id:)` takes one id, and
 * `_entities` is not exposed by the router, so each product gets an alias (`p0`, `p1`, …).
 */
export function pricesQuery(count: number): string {
  const variables = Array.from({ length: count }, (_, i) => `$id${i}: ID!`).join(', ');
  const fields = Array.from({ length: count }, (_, i) => `p${i}: product(id: $id${i}) { id price { amount currency } }`).join(' ');
  return `query OrdersPrices(${variables}) { ${fields} }`;
}

const pricedProductSchema = z
  .object({ id: z.string(), price: z.object({ amount: z.number().int().min(0), currency: z.string().length(3) }) })
  .nullable();

const pricesDataSchema = z.record(z.string(), pricedProductSchema);

export function createRouterPriceList(options: RouterPriceListOptions): PriceList {
  const router = createRouterClient(options);
  return {
    async pricesOf(productIds) {
      if (productIds.length === 0) return new Map();
      const variables = Object.fromEntries(productIds.map((id, i) => [`id${i}`, id]));
      let data: z.infer<typeof pricesDataSchema>;
      try {
        data = await router.request(pricesQuery(productIds.length), variables, pricesDataSchema);
      } catch (error) {
        // Partial data with errors (e.g. catalog down behind the router) is not a "no such product".
        throw error instanceof RouterUnavailableError ? new PriceListUnavailableError(error.message, { cause: error }) : error;
      }
      const prices = new Map<string, CatalogPrice | null>();
      for (const [i, id] of productIds.entries()) {
        const product = data[`p${i}`];
        // A missing alias or another product's id is a broken answer, not an unknown product.
        if (product === undefined || (product !== null && product.id !== id)) {
          throw new PriceListUnavailableError(`router answered without a price for ${id}`);
        }
        prices.set(id, product && { amount: product.price.amount, currency: product.price.currency });
      }
      return prices;
    },
  };
}
