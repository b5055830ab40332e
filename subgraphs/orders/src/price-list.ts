import { z } from 'zod';

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

export interface RouterPriceListOptions {
  /** The router's GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  routerUrl: string;
  /** The bearer token that identifies this service to the router. */
  token: () => Promise<string>;
  /** Give up after this long. Default 3000 ms: placing an order should not hang on the catalog. */
  timeoutMs?: number;
}

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

const responseSchema = z.object({
  data: z.record(z.string(), pricedProductSchema).nullable().optional(),
  errors: z.array(z.object({ message: z.string() }).loose()).optional(),
});

export function createRouterPriceList(options: RouterPriceListOptions): PriceList {
  const timeoutMs = options.timeoutMs ?? 3000;
  return {
    async pricesOf(productIds) {
      if (productIds.length === 0) return new Map();
      const variables = Object.fromEntries(productIds.map((id, i) => [`id${i}`, id]));
      let response: Response;
      let body: unknown;
      try {
        response = await fetch(options.routerUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await options.token()}` },
          body: JSON.stringify({ query: pricesQuery(productIds.length), variables }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        body = await response.json();
      } catch (error) {
        throw new PriceListUnavailableError(`router ${options.routerUrl} did not answer: ${(error as Error).message}`, { cause: error });
      }
      const parsed = responseSchema.safeParse(body);
      if (!response.ok || !parsed.success) {
        throw new PriceListUnavailableError(`router answered HTTP ${response.status} with an unexpected body`);
      }
      // Partial data with errors (e.g. catalog down behind the router) is not a "no such product".
      if (parsed.data.errors?.length) {
        throw new PriceListUnavailableError(`router answered with errors: ${parsed.data.errors.map((e) => e.message).join('; ')}`);
      }
      const data = parsed.data.data;
      if (data == null) throw new PriceListUnavailableError('router answered without data');
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
