import { z } from 'zod';

/**
 * Answers "does this catalog product exist?". Inventory cannot read catalog's database (one
 * database per team), so the default implementation asks the router, like any other client.
 */
export interface ProductDirectory {
  /** Rejects with `ProductDirectoryUnavailableError` when it cannot tell. */
  exists(id: string): Promise<boolean>;
}

/** The directory could not answer (router down, slow, or refusing us): neither yes nor no. */
export class ProductDirectoryUnavailableError extends Error {
  override readonly name = 'ProductDirectoryUnavailableError';
}

export interface RouterProductDirectoryOptions {
  /** The router's GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  routerUrl: string;
  /** The bearer token that identifies this service to the router. */
  token: () => Promise<string>;
  /** Give up after this long. Default 3000 ms: a restock should not hang on the catalog. */
  timeoutMs?: number;
}

const PRODUCT_QUERY = 'query InventoryProductExists($id: ID!) { product(id: $id) { id } }';

const responseSchema = z.object({
  data: z.object({ product: z.object({ id: z.string() }).nullable() }).nullable().optional(),
  errors: z.array(z.object({ message: z.string() }).loose()).optional(),
});

export function createRouterProductDirectory(options: RouterProductDirectoryOptions): ProductDirectory {
  const timeoutMs = options.timeoutMs ?? 3000;
  return {
    async exists(id) {
      let response: Response;
      let body: unknown;
      try {
        response = await fetch(options.routerUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await options.token()}` },
          body: JSON.stringify({ query: PRODUCT_QUERY, variables: { id } }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        body = await response.json();
      } catch (error) {
        throw new ProductDirectoryUnavailableError(`router ${options.routerUrl} did not answer: ${(error as Error).message}`, { cause: error });
      }
      const parsed = responseSchema.safeParse(body);
      if (!response.ok || !parsed.success) {
        throw new ProductDirectoryUnavailableError(`router answered HTTP ${response.status} with an unexpected body`);
      }
      // Partial data with errors (e.g. catalog down behind the router) is not a "no".
      if (parsed.data.errors?.length) {
        throw new ProductDirectoryUnavailableError(`router answered with errors: ${parsed.data.errors.map((e) => e.message).join('; ')}`);
      }
      if (parsed.data.data == null) throw new ProductDirectoryUnavailableError('router answered without data');
      return parsed.data.data.product !== null;
    },
  };
}
