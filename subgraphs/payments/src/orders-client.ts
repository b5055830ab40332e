import { z } from 'zod';

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

export interface RouterOrdersClientOptions {
  /** The router's GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  routerUrl: string;
  /** The bearer token that identifies this service to the router. */
  token: () => Promise<string>;
  /** Give up after this long. Default 3000 ms: a payment should not hang on the order service. */
  timeoutMs?: number;
}

const ORDER_QUERY = 'query PaymentsOrderForPayment($id: ID!) { order(id: $id) { id status total { amount currency } user { id } } }';
const MARK_PAID_MUTATION =
  'mutation PaymentsMarkOrderPaid($orderId: ID!, $paymentId: ID!) { markOrderPaid(orderId: $orderId, paymentId: $paymentId) { id status } }';

const errorsSchema = z.array(z.object({ message: z.string(), extensions: z.object({ code: z.string().optional() }).loose().optional() }).loose()).optional();

const orderResponseSchema = z.object({
  data: z
    .object({
      order: z
        .object({
          id: z.string(),
          status: z.enum(['PENDING', 'PAID', 'CANCELLED']),
          total: z.object({ amount: z.number().int().min(0), currency: z.string().regex(/^[A-Z]{3}$/) }),
          user: z.object({ id: z.string() }),
        })
        .nullable(),
    })
    .nullable()
    .optional(),
  errors: errorsSchema,
});

const markPaidResponseSchema = z.object({
  data: z.object({ markOrderPaid: z.object({ id: z.string(), status: z.string() }) }).nullable().optional(),
  errors: errorsSchema,
});

type GraphQLErrors = z.infer<typeof errorsSchema>;
const describeErrors = (errors: NonNullable<GraphQLErrors>) => errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; ');

export function createRouterOrdersClient(options: RouterOrdersClientOptions): OrdersClient {
  const timeoutMs = options.timeoutMs ?? 3000;

  async function post<S extends z.ZodType>(query: string, variables: Record<string, string>, schema: S): Promise<z.infer<S>> {
    let response: Response;
    let body: unknown;
    try {
      response = await fetch(options.routerUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await options.token()}` },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      body = await response.json();
    } catch (error) {
      throw new OrdersUnavailableError(`router ${options.routerUrl} did not answer: ${(error as Error).message}`, { cause: error });
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new OrdersUnavailableError(`router answered HTTP ${response.status} with an unexpected body`);
    return parsed.data;
  }

  return {
    async findOrder(id) {
      const { data, errors } = await post(ORDER_QUERY, { id }, orderResponseSchema);
      if (errors?.length) {
        // orders answers null for an unknown order; a NOT_FOUND error means the same thing.
        if (errors.every((e) => e.extensions?.code === 'NOT_FOUND')) return null;
        // Partial data with errors (e.g. orders down behind the router) is not a "no".
        throw new OrdersUnavailableError(`router answered with errors: ${describeErrors(errors)}`);
      }
      if (data == null) throw new OrdersUnavailableError('router answered without data');
      const order = data.order;
      return order && { id: order.id, status: order.status, total: order.total, userId: order.user.id };
    },

    async markOrderPaid(orderId, paymentId) {
      const { data, errors } = await post(MARK_PAID_MUTATION, { orderId, paymentId }, markPaidResponseSchema);
      if (errors?.length) throw new OrdersUnavailableError(`markOrderPaid answered with errors: ${describeErrors(errors)}`);
      if (data?.markOrderPaid.status !== 'PAID') throw new OrdersUnavailableError(`markOrderPaid left order ${orderId} ${data?.markOrderPaid.status ?? 'unanswered'}`);
    },
  };
}
