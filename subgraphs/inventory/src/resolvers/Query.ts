import type { QueryResolvers } from '../resolvers-types.generated.ts';

export const Query: QueryResolvers = {
  async warehouses(_parent, _args, { db, loaders }) {
    const rows = await db.warehouse.findMany({ orderBy: { code: 'asc' } });
    for (const row of rows) loaders.warehouseById.prime(row.id, row);
    return rows;
  },
};
