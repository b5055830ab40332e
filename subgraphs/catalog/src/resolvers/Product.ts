import type { ProductResolvers } from '../resolvers-types.generated.ts';


export const Product: ProductResolvers = {
  // Batched: N representations in one `_entities` call are one SQL query per key kind.
  async __resolveReference(reference, { loaders }) {
    if ('id' in reference && reference.id != null) return loaders.productById.load(reference.id);
    if ('sku' in reference && reference.sku != null) return loaders.productBySku.load(reference.sku);
    return null;
  },
  price: (product) => ({ amount: product.priceAmount, currency: product.priceCurrency }),
  async category(product, _args, { loaders }) {
    const category = await loaders.categoryById.load(product.categoryId);
    if (!category) throw new Error(`product ${product.id} has no category ${product.categoryId}`);
    return category;
  },
  createdAt: (product) => product.createdAt.toISOString(),
};
