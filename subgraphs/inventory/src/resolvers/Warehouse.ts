import type { WarehouseResolvers } from '../resolvers-types.generated.ts';

export const Warehouse: WarehouseResolvers = {
  // Batched: N warehouse representations in one `_entities` call are one SQL query.
  __resolveReference: (reference, { loaders }) => loaders.warehouseById.load(reference.id),
};
