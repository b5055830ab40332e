import { forbidden } from '@store/core';
import type { UserResolvers } from '../resolvers-types.generated.ts';
import { canSeePrivateFields } from '../viewer.ts';

// Only the fields in the SDL are resolved; the row's `passwordHash` has no field and never leaves.
export const User: UserResolvers = {
  // Batched: N representations in one `_entities` call are one SQL query.
  __resolveReference: (reference, { loaders }) => loaders.userById.load(reference.id),
  email: (user, _args, { identity }) => {
    if (!canSeePrivateFields(user, identity)) throw forbidden('Only the user themself or an admin can see this email.');
    return user.email;
  },
  createdAt: (user) => user.createdAt.toISOString(),
};
