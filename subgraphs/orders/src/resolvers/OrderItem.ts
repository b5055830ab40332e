import type { OrderItemResolvers } from '../resolvers-types.generated.ts';

export const OrderItem: OrderItemResolvers = {
  // A key stub: the router fetches name, current price, stock… from the owning subgraphs.
  product: (item) => ({ id: item.productId }),
  // The price snapshot taken when the order was placed, not the catalog's current price.
  unitPrice: (item) => ({ amount: item.unitAmount, currency: item.currency }),
  subtotal: (item) => ({ amount: item.quantity * item.unitAmount, currency: item.currency }),
};
