import { requirePaymentVisible } from '../access.ts';
import type { PaymentResolvers } from '../resolvers-types.generated.ts';

export const Payment: PaymentResolvers = {
  // Batched: N payment representations in one `_entities` call are one SQL query. Same access
  // rule as `payment(id)`: the payer or an admin.
  async __resolveReference(reference, { identity, loaders }) {
    const payment = await loaders.paymentById.load(reference.id);
    return payment && requirePaymentVisible(identity, payment);
  },
  // Key stub: the router fetches the rest from orders.
  order: (payment) => ({ id: payment.orderId }),
  amount: (payment) => ({ amount: payment.amount, currency: payment.currency }),
  card: (payment) => ({ brand: payment.cardBrand, last4: payment.cardLast4 }),
  createdAt: (payment) => payment.createdAt.toISOString(),
};
