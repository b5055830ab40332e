// GraphQL types backed by Prisma rows or small values (codegen `mappers`): resolvers return these,
// field resolvers shape them.
import type { Payment } from '../generated/prisma/client.ts';

export type PaymentMapper = Payment;

// Orders belong to the orders subgraph: here an order is only its key. The router fetches every
// other field from orders.
export type OrderMapper = { id: string };
