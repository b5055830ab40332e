import { requireRole } from '@store/subgraph-kit';
import { requirePaymentVisible } from '../access.ts';
import type { OrderResolvers } from '../resolvers-types.generated.ts';

export const Order: OrderResolvers = {
  // Orders owns orders: the key is all we need, so resolving a reference reads nothing.
  __resolveReference: (reference) => ({ id: reference.id }),
  // One statement for every order in the request (loaders.ts). Visible to the payer (the
  // order's owner) and admins; services and other customers get FORBIDDEN. An order without a
  // payment is null for any signed-in customer: payments does not know its owner, and an order
  // id alone reveals nothing more.
  async payment(order, _args, { identity, loaders }) {
    requireRole(identity, 'CUSTOMER', 'ADMIN');
    const payment = await loaders.paymentForOrder.load(order.id);
    return payment && requirePaymentVisible(identity, payment);
  },
};
