import type { RequestInfo } from '@store/subgraph-kit';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Inventory } from './inventory.ts';
import type { Loaders } from './loaders.ts';
import type { PriceList } from './price-list.ts';

export interface SubgraphContext extends RequestInfo {
  db: PrismaClient;
  loaders: Loaders;
  /** Current catalog prices (orders cannot read catalog's database). */
  priceList: PriceList;
  /** Inventory's reservations (orders cannot write inventory's database). */
  inventory: Inventory;
}
