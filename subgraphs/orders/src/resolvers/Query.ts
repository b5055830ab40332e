import { requireIdentity } from '@store/subgraph-kit';
import { requireOrderReader } from '../access.ts';
import type { QueryResolvers } from '../resolvers-types.generated.ts';
import { orderListRequest } from './list-request.ts';

export const Query: QueryResolvers = {
  // A service or admin has no orders of its own unless its sub is a user id: then this is empty.
  myOrders: (_parent, { first, after }, { identity }) => orderListRequest(requireIdentity(identity).sub, first, after),

  async order(_parent, { id }, { identity, loaders }) {
    requireIdentity(identity);
    const order = await loaders.orderById.load(id);
    if (!order) return null;
    // Someone else's order is FORBIDDEN rather than null: ids are random UUIDs, so the error
    // reveals nothing guessable, and it tells a confused client why it sees nothing.
    requireOrderReader(identity, order);
    return order;
  },
};
