import type { ProductResolvers } from '../resolvers-types.generated.ts';
import { reviewListRequest } from './list-request.ts';

export const Product: ProductResolvers = {
  // Catalog owns products: the key is all we need, so resolving a reference reads nothing.
  __resolveReference: (reference) => ({ id: reference.id }),
  reviews: (product, { first, after }) => reviewListRequest('product', product.id, first, after, 5),
  // Both read the same batched aggregate: one statement for every product in the request.
  averageRating: async (product, _args, { loaders }) => (await loaders.productStats.load(product.id)).average,
  reviewCount: async (product, _args, { loaders }) => (await loaders.productStats.load(product.id)).count,
};
