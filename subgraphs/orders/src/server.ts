import { createLogger, DEV_JWT_SECRET, type Logger } from '@store/core';
import { createPrismaClientOptions, observeQueries, type SqlQueryEvent } from '@store/db';
import { createServiceTokenSource, createSubgraphServer, loadSubgraphSdl, type RequestSigningOptions, type RouterClientOptions } from '@store/subgraph-kit';
import { PrismaClient } from '../generated/prisma/client.ts';
import type { SubgraphContext } from './context.ts';
import { createRouterInventory, type Inventory } from './inventory.ts';
import { createLoaders } from './loaders.ts';
import { createRouterPriceList, type PriceList } from './price-list.ts';
import { resolvers } from './resolvers/index.ts';

export const SUBGRAPH_DIR = new URL('..', import.meta.url).pathname;
export const DEFAULT_ROUTER_URL = 'http://127.0.0.1:4000/graphql';

export interface OrdersOptions {
  databaseUrl: string;
  logger?: Logger;
  /** Serve only the router's signed requests (`{ secrets }`), or any (`{ allowUnsigned: true }`, development). */
  requestSigning: RequestSigningOptions;
  /** How `placeOrder` learns current catalog prices. Default: asks the router over HTTP. */
  priceList?: PriceList;
  /** How `markOrderPaid` marks the order's reserved stock sold. Default: asks the router over HTTP. */
  inventory?: Inventory;
  /** The router's GraphQL endpoint, for the default price list and inventory. */
  routerUrl?: string;
  /** How long the default price list and inventory wait for the router. Default 3000 ms. */
  routerTimeoutMs?: number;
  /** A pre-minted service token for the router; takes precedence over `jwtSecret`. */
  serviceToken?: string;
  /** HS256 secret to mint the service token with. Default: the development secret (the env
   * schema refuses it in production). */
  jwtSecret?: string;
  /** Called for every SQL statement the subgraph runs (tests count them). */
  onQuery?: (event: SqlQueryEvent) => void;
}

/** How the default price list and inventory reach the router: one service token source for both. */
function routerClientOptions(options: OrdersOptions): RouterClientOptions {
  const credentials = options.serviceToken ? { serviceToken: options.serviceToken } : { service: 'orders', jwtSecret: options.jwtSecret ?? DEV_JWT_SECRET };
  return {
    routerUrl: options.routerUrl ?? DEFAULT_ROUTER_URL,
    token: createServiceTokenSource(credentials),
    ...(options.routerTimeoutMs !== undefined && { timeoutMs: options.routerTimeoutMs }),
  };
}

/** Builds the orders subgraph (no port bound, no environment read). */
export function createOrdersSubgraph(options: OrdersOptions) {
  const logger = options.logger ?? createLogger({ bindings: { subgraph: 'orders' } });
  const db = observeQueries(new PrismaClient(createPrismaClientOptions(options.databaseUrl, options)), options);
  const router = options.priceList && options.inventory ? null : routerClientOptions(options);
  const priceList = options.priceList ?? createRouterPriceList(router!);
  const inventory = options.inventory ?? createRouterInventory(router!);
  return createSubgraphServer<SubgraphContext>({
    name: 'orders',
    requestSigning: options.requestSigning,
    typeDefs: loadSubgraphSdl(SUBGRAPH_DIR).document,
    resolvers,
    logger,
    context: (info) => ({ ...info, db, loaders: createLoaders(db), priceList, inventory }),
    onStop: () => db.$disconnect(),
  });
}
