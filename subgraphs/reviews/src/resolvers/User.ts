import type { UserResolvers } from '../resolvers-types.generated.ts';
import { reviewListRequest } from './list-request.ts';

export const User: UserResolvers = {
  // Accounts owns users: the key is all we need, so resolving a reference reads nothing.
  __resolveReference: (reference) => ({ id: reference.id }),
  reviews: (user, { first, after }) => reviewListRequest('author', user.id, first, after, 10),
};
