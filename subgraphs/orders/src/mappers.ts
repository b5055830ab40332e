// GraphQL types backed by Prisma rows or small values (codegen `mappers`): resolvers return these,
// field resolvers shape them.
import type { Order, OrderItem } from '../generated/prisma/client.ts';
import type { OrderListRequest } from './loaders.ts';

export type OrderMapper = Order;
export type OrderItemMapper = OrderItem;

// Products and users belong to other subgraphs: here they are only their key. The router fetches
// every other field from catalog or accounts.
export type ProductMapper = { id: string };
export type UserMapper = { id: string };

// A connection is a request, not a result: `edges`, `pageInfo` and `totalCount` each load only
// what they need, batched across every connection in the request.
export type OrderConnectionMapper = OrderListRequest;
