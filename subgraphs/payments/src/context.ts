import type { RequestInfo } from '@store/subgraph-kit';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Loaders } from './loaders.ts';
import type { OrdersClient } from './orders-client.ts';
import type { PaymentProvider } from './provider.ts';

export interface SubgraphContext extends RequestInfo {
  db: PrismaClient;
  loaders: Loaders;
  /** Orders' data and `markOrderPaid` (payments cannot read orders' database). */
  orders: OrdersClient;
  provider: PaymentProvider;
  /** A charge that takes longer ends FAILED with `provider_timeout`. */
  providerTimeoutMs: number;
  /** The current time (card expiry checks). */
  now: () => Date;
}
