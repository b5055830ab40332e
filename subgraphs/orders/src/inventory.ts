import { z } from 'zod';
import { createRouterClient, RouterUnavailableError, type RouterClientOptions } from '@store/subgraph-kit';
import { CONSUME_MUTATION } from './router-operations.ts';

/**
 * What orders needs from the inventory team once an order is paid: its reserved units are sold.
 * Orders cannot write inventory's database (one database per team), so the default implementation
 * asks the router, like any other client, as the `service:orders` SERVICE identity (the router
 * signs the request it sends on to inventory).
 */
export interface Inventory {
  /**
   * Inventory's idempotent `consumeStock`: `CONSUMED` (now or by an earlier call), `NOTHING_RESERVED`
   * (the order never held stock), or `RELEASED` (its reservation was given back, so nothing is held
   * to consume). Rejects with `InventoryUnavailableError` when it cannot tell.
   */
  consumeReservation(orderId: string): Promise<ConsumeOutcome>;
}

export type ConsumeOutcome = 'CONSUMED' | 'NOTHING_RESERVED' | 'RELEASED';

/** Inventory could not answer (router down, slow, or refusing us): nothing is known to have changed. */
export class InventoryUnavailableError extends Error {
  override readonly name = 'InventoryUnavailableError';
}

/** Router URL, service token and timeout (default 3000 ms). */
export type RouterInventoryOptions = RouterClientOptions;

const consumeDataSchema = z.object({ consumeStock: z.object({ status: z.literal('CONSUMED') }).nullable() });

export function createRouterInventory(options: RouterInventoryOptions): Inventory {
  const router = createRouterClient(options);
  return {
    async consumeReservation(orderId) {
      try {
        const { consumeStock } = await router.request(CONSUME_MUTATION, { orderId }, consumeDataSchema);
        return consumeStock ? 'CONSUMED' : 'NOTHING_RESERVED';
      } catch (error) {
        if (!(error instanceof RouterUnavailableError)) throw error;
        // consumeStock's only CONFLICT: the reservation was released. A final answer, not an outage.
        if (error.reason === 'graphql-errors' && error.errors.length > 0 && error.errors.every((e) => e.code === 'CONFLICT')) return 'RELEASED';
        throw new InventoryUnavailableError(error.message, { cause: error });
      }
    },
  };
}
