import { payOrder } from '../pay-order.ts';
import type { MutationResolvers } from '../resolvers-types.generated.ts';

export const Mutation: MutationResolvers = {
  // The whole flow (checks, idempotency, router, provider) lives in pay-order.ts.
  payOrder: (_parent, { input }, ctx) => payOrder(ctx, input),
};
