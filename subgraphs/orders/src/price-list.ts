import { z } from 'zod';
import { createRouterClient, RouterUnavailableError, type RouterClientOptions } from '@store/subgraph-kit';
import { PRICES_MAX_IDS, PRICES_QUERY } from './router-operations.ts';

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
   * The current price of every id (at most `PRICES_MAX_IDS`), in one request: `null` for a
   * product the catalog does not know. Rejects with `PriceListUnavailableError` when it cannot tell.
   */
  pricesOf(productIds: readonly string[]): Promise<Map<string, CatalogPrice | null>>;
}

/** The price list could not answer (router down, slow, or refusing us): neither a price nor a "no". */
export class PriceListUnavailableError extends Error {
  override readonly name = 'PriceListUnavailableError';
}

/** Router URL, service token and timeout (default 3000 ms: placing an order should not hang on the catalog). */
export type RouterPriceListOptions = RouterClientOptions;

const pricesDataSchema = z.object({
  products: z.object({
    edges: z.array(z.object({ node: z.object({ id: z.string(), price: z.object({ amount: z.number().int().min(0), currency: z.string().length(3) }) }) })),
  }),
});

export function createRouterPriceList(options: RouterPriceListOptions): PriceList {
  const router = createRouterClient(options);
  return {
    async pricesOf(productIds) {
      if (productIds.length === 0) return new Map();
      // One fixed document (PRICES_QUERY), so the router's safelist can list it: no per-count aliases.
      if (productIds.length > PRICES_MAX_IDS) throw new RangeError(`pricesOf takes at most ${PRICES_MAX_IDS} product ids (one OrdersPrices page); got ${productIds.length}`);
      let data: z.infer<typeof pricesDataSchema>;
      try {
        data = await router.request(PRICES_QUERY, { ids: productIds }, pricesDataSchema);
      } catch (error) {
        // Partial data with errors (e.g. catalog down behind the router) is not a "no such product".
        throw error instanceof RouterUnavailableError ? new PriceListUnavailableError(error.message, { cause: error }) : error;
      }
      // uuids: the catalog answers them in lowercase, whatever case they were asked in.
      const found = new Map(data.products.edges.map(({ node }) => [node.id.toLowerCase(), { amount: node.price.amount, currency: node.price.currency }]));
      const asked = new Set(productIds.map((id) => id.toLowerCase()));
      // A product that was not asked for is a broken answer, not a price.
      const unasked = [...found.keys()].filter((id) => !asked.has(id));
      if (unasked.length > 0) throw new PriceListUnavailableError(`router answered with products that were not asked for: ${unasked.join(', ')}`);
      // Left out of the answer: a product the catalog does not know.
      const prices = new Map<string, CatalogPrice | null>();
      for (const id of productIds) prices.set(id, found.get(id.toLowerCase()) ?? null);
      return prices;
    },
  };
}
