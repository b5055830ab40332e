import type { StockLevelResolvers } from '../resolvers-types.generated.ts';
import { warehouseOf } from './warehouse-of.ts';

export const StockLevel: StockLevelResolvers = {
  warehouse: (level, _args, { loaders }) => warehouseOf(loaders, level.warehouseId),
};
