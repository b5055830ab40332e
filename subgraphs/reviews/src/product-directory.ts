import { z } from 'zod';
import { createRouterClient, RouterUnavailableError, type RouterClientOptions } from '@store/subgraph-kit';
import { PRODUCT_QUERY } from './router-operations.ts';

/**
 * Answers "does this catalog product exist?". Reviews cannot read catalog's database (one
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

/** Router URL, service token and timeout (default 3000 ms: a review write should not hang on the catalog). */
export type RouterProductDirectoryOptions = RouterClientOptions;

const productDataSchema = z.object({ product: z.object({ id: z.string() }).nullable() });

export function createRouterProductDirectory(options: RouterProductDirectoryOptions): ProductDirectory {
  const router = createRouterClient(options);
  return {
    async exists(id) {
      try {
        const { product } = await router.request(PRODUCT_QUERY, { id }, productDataSchema);
        return product !== null;
      } catch (error) {
        // Partial data with errors (e.g. catalog down behind the router) is not a "no".
        throw error instanceof RouterUnavailableError ? new ProductDirectoryUnavailableError(error.message, { cause: error }) : error;
      }
    },
  };
}
