import type { Warehouse } from '../../generated/prisma/client.ts';
import type { Loaders } from '../loaders.ts';

/** The warehouse a stock row or reservation points at (a foreign key guarantees it exists). */
export async function warehouseOf(loaders: Loaders, warehouseId: string): Promise<Warehouse> {
  const warehouse = await loaders.warehouseById.load(warehouseId);
  if (!warehouse) throw new Error(`warehouse ${warehouseId} is missing`);
  return warehouse;
}
