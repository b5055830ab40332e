import type { QueryResolvers } from '../resolvers-types.generated.ts';

export const Query: QueryResolvers = {
  review: (_parent, { id }, { loaders }) => loaders.reviewById.load(id),
};
