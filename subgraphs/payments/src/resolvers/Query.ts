import { requireIdentity } from '@store/subgraph-kit';
import { requirePaymentVisible } from '../access.ts';
import type { QueryResolvers } from '../resolvers-types.generated.ts';

export const Query: QueryResolvers = {
  async payment(_parent, { id }, { identity, loaders }) {
    // Anonymous callers learn nothing, not even whether the id exists.
    requireIdentity(identity);
    const payment = await loaders.paymentById.load(id);
    return payment && requirePaymentVisible(identity, payment);
  },
};
