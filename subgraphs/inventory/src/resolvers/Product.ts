import { requireRole } from '@store/subgraph-kit';
import type { ProductMapper } from '../mappers.ts';
import type { ProductResolvers } from '../resolvers-types.generated.ts';
import { estimateShipping, type Money } from '../shipping.ts';

/** The catalog fields `shippingEstimate` requires, when the representation carries them intact. */
function requiredFieldsOf(reference: Record<string, unknown>): Pick<ProductMapper, 'weight' | 'price'> {
  const { weight, price } = reference as { weight?: unknown; price?: Partial<Record<keyof Money, unknown>> | null };
  const validPrice = price != null && typeof price.amount === 'number' && typeof price.currency === 'string';
  return {
    weight: typeof weight === 'number' ? weight : null,
    price: validPrice ? { amount: price.amount as number, currency: price.currency as string } : null,
  };
}

export const Product: ProductResolvers = {
  // Catalog owns products: resolving a reference reads nothing. The stock fields below load, for
  // every product of the request together, through one batched query.
  __resolveReference: (reference) => ({ id: reference.id, ...requiredFieldsOf(reference) }),
  inStock: async (product, _args, { loaders }) => (await loaders.availability.load(product.id)).available > 0,
  quantityAvailable: async (product, _args, { loaders }) => (await loaders.availability.load(product.id)).available,
  reservedQuantity: async (product, _args, { loaders }) => (await loaders.availability.load(product.id)).reserved,
  // Computed from what the router sent (@requires); null only if asked without those fields.
  shippingEstimate: (product) => (product.weight != null && product.price != null ? estimateShipping(product.weight, product.price) : null),
  stock(product, _args, { identity, loaders }) {
    requireRole(identity, 'ADMIN');
    return loaders.stockByProduct.load(product.id);
  },
};
