import type { RequestInfo } from '@store/subgraph-kit';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Loaders } from './loaders.ts';
import type { ProductDirectory } from './product-directory.ts';

export interface SubgraphContext extends RequestInfo {
  db: PrismaClient;
  loaders: Loaders;
  /** Whether a catalog product exists (inventory cannot read catalog's database). */
  productDirectory: ProductDirectory;
}
