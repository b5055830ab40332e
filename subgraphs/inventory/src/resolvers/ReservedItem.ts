import type { ReservedItemResolvers } from '../resolvers-types.generated.ts';
import { warehouseOf } from './warehouse-of.ts';

export const ReservedItem: ReservedItemResolvers = {
  // Catalog owns products: a key stub; the router fetches the rest (and this subgraph's own
  // Product fields resolve on the stub, batched).
  product: (row) => ({ id: row.productId }),
  warehouse: (row, _args, { loaders }) => warehouseOf(loaders, row.warehouseId),
};
