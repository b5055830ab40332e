import { requireOrderReader } from '../access.ts';
import type { OrderResolvers } from '../resolvers-types.generated.ts';

export const Order: OrderResolvers = {
  // Batched: N order representations in one `_entities` call are one SQL query. The same read
  // rule as `Query.order`: the owner, an admin or a service.
  async __resolveReference(reference, { identity, loaders }) {
    const order = await loaders.orderById.load(reference.id);
    if (order) requireOrderReader(identity, order);
    return order;
  },
  // A key stub: the router fetches the rest from accounts; the raw user id is not a field.
  user: (order) => ({ id: order.userId }),
  items: (order, _args, { loaders }) => loaders.itemsByOrder.load(order.id),
  total: (order) => ({ amount: order.totalAmount, currency: order.currency }),
  createdAt: (order) => order.createdAt.toISOString(),
};
