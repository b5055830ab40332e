import { requireOrdersOf } from '../access.ts';
import type { UserResolvers } from '../resolvers-types.generated.ts';
import { orderListRequest } from './list-request.ts';

export const User: UserResolvers = {
  // Accounts owns users: the key is all we need, so resolving a reference reads nothing.
  __resolveReference: (reference) => ({ id: reference.id }),
  orders(user, { first, after }, { identity }) {
    requireOrdersOf(identity, user.id);
    return orderListRequest(user.id, first, after);
  },
};
