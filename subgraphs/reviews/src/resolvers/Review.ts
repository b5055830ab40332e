import type { ReviewResolvers } from '../resolvers-types.generated.ts';

export const Review: ReviewResolvers = {
  // Batched: N review representations in one `_entities` call are one SQL query.
  __resolveReference: (reference, { loaders }) => loaders.reviewById.load(reference.id),
  // Key stubs: the router fetches the rest from accounts and catalog.
  author: (review) => ({ id: review.authorId }),
  product: (review) => ({ id: review.productId }),
  createdAt: (review) => review.createdAt.toISOString(),
};
