import { z } from 'zod';
import { createRouterClient, RouterUnavailableError, type RouterClientOptions } from '@store/subgraph-kit';
import { MARK_PAID_MUTATION, ORDER_QUERY } from './router-operations.ts';

/**
 * What payments needs from the orders team: an order's owner, status and total, and telling it
 * that an order is paid. Payments cannot read orders' database (one database per team), so the
 * default implementation asks the router, like any other client, as the `service:payments`
 * SERVICE identity.
 */
export interface OrdersClient {
  /** `null` when there is no such order. Rejects with `OrdersUnavailableError` when it cannot tell. */
  findOrder(id: string): Promise<OrderForPayment | null>;
  /** Marks the order PAID by this payment (idempotent at orders). Rejects with `OrdersUnavailableError`. */
  markOrderPaid(orderId: string, paymentId: string): Promise<void>;
}

export type OrderStatus = 'PENDING' | 'PAID' | 'CANCELLED';

export interface OrderForPayment {
  id: string;
  status: OrderStatus;
  total: { amount: number; currency: string };
  /** The order's owner: the only one who may pay it. */
  userId: string;
}

/** Orders could not answer (router down, slow, or refusing us): neither yes nor no. */
export class OrdersUnavailableError extends Error {
  override readonly name = 'OrdersUnavailableError';
}

/** Router URL, service token and timeout (default 3000 ms: a payment should not hang on the order service). */
export type RouterOrdersClientOptions = RouterClientOptions;

const orderDataSchema = z.object({
  order: z
    .object({
      id: z.string(),
      status: z.enum(['PENDING', 'PAID', 'CANCELLED']),
      total: z.object({ amount: z.number().int().min(0), currency: z.string().regex(/^[A-Z]{3}$/) }),
      user: z.object({ id: z.string() }),
    })
    .nullable(),
});

const markPaidDataSchema = z.object({ markOrderPaid: z.object({ id: z.string(), status: z.string() }) });

/** Orders' own error for a router that gave no usable answer; GraphQL errors are listed with their codes. */
function ordersUnavailable(error: RouterUnavailableError, subject: string): OrdersUnavailableError {
  const message =
    error.reason === 'graphql-errors' ? `${subject} answered with errors: ${error.errors.map((e) => `${e.code ?? 'ERROR'}: ${e.message}`).join('; ')}` : error.message;
  return new OrdersUnavailableError(message, { cause: error });
}

export function createRouterOrdersClient(options: RouterOrdersClientOptions): OrdersClient {
  const router = createRouterClient(options);
  return {
    async findOrder(id) {
      try {
        const { order } = await router.request(ORDER_QUERY, { id }, orderDataSchema);
        return order && { id: order.id, status: order.status, total: order.total, userId: order.user.id };
      } catch (error) {
        if (!(error instanceof RouterUnavailableError)) throw error;
        // orders answers null for an unknown order; a NOT_FOUND error means the same thing.
        if (error.reason === 'graphql-errors' && error.errors.every((e) => e.code === 'NOT_FOUND')) return null;
        // Partial data with errors (e.g. orders down behind the router) is not a "no".
        throw ordersUnavailable(error, 'router');
      }
    },

    async markOrderPaid(orderId, paymentId) {
      let status: string | undefined;
      try {
        const { markOrderPaid } = await router.request(MARK_PAID_MUTATION, { orderId, paymentId }, markPaidDataSchema);
        status = markOrderPaid.status;
      } catch (error) {
        if (!(error instanceof RouterUnavailableError)) throw error;
        // An answer without data is reported below, as an order left unanswered.
        if (error.reason !== 'no-data') throw ordersUnavailable(error, 'markOrderPaid');
      }
      if (status !== 'PAID') throw new OrdersUnavailableError(`markOrderPaid left order ${orderId} ${status ?? 'unanswered'}`);
    },
  };
}
