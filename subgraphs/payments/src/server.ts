import { createLogger, DEV_JWT_SECRET, type Logger } from '@store/core';
import { createPrismaClientOptions, observeQueries, type SqlQueryEvent } from '@store/db';
import { createServiceTokenSource, createSubgraphServer, loadSubgraphSdl, type RequestSigningOptions } from '@store/subgraph-kit';
import { PrismaClient } from '../generated/prisma/client.ts';
import type { SubgraphContext } from './context.ts';
import { createLoaders } from './loaders.ts';
import { createRouterOrdersClient, type OrdersClient } from './orders-client.ts';
import { createSimulatedProvider, type PaymentProvider } from './provider.ts';
import { resolvers } from './resolvers/index.ts';

export const SUBGRAPH_DIR = new URL('..', import.meta.url).pathname;
export const DEFAULT_ROUTER_URL = 'http://127.0.0.1:4000/graphql';
export const DEFAULT_PROVIDER_TIMEOUT_MS = 2000;

export interface PaymentsOptions {
  databaseUrl: string;
  logger?: Logger;
  /** Serve only the router's signed requests (`{ secrets }`), or any (`{ allowUnsigned: true }`, development). */
  requestSigning: RequestSigningOptions;
  /** How `payOrder` reads orders and marks them paid. Default: asks the router over HTTP. */
  orders?: OrdersClient;
  /** The router's GraphQL endpoint, for the default orders client. */
  routerUrl?: string;
  /** A pre-minted service token for the router; takes precedence over `jwtSecret`. */
  serviceToken?: string;
  /** HS256 secret to mint the service token with. Default: the development secret (the env
   * schema refuses it in production). */
  jwtSecret?: string;
  /** Who charges cards. Default: the deterministic simulator (provider.ts). */
  provider?: PaymentProvider;
  /** A charge that takes longer ends FAILED with `provider_timeout`. Default 2000 ms. */
  providerTimeoutMs?: number;
  /** The clock for card expiry checks. Default: the system clock. */
  now?: () => Date;
  /** Called for every SQL statement the subgraph runs (tests count them). */
  onQuery?: (event: SqlQueryEvent) => void;
}

function defaultOrdersClient(options: PaymentsOptions): OrdersClient {
  const credentials = options.serviceToken ? { serviceToken: options.serviceToken } : { service: 'payments', jwtSecret: options.jwtSecret ?? DEV_JWT_SECRET };
  return createRouterOrdersClient({ routerUrl: options.routerUrl ?? DEFAULT_ROUTER_URL, token: createServiceTokenSource(credentials) });
}

/** Builds the payments subgraph (no port bound, no environment read). */
export function createPaymentsSubgraph(options: PaymentsOptions) {
  const logger = options.logger ?? createLogger({ bindings: { subgraph: 'payments' } });
  const db = observeQueries(new PrismaClient(createPrismaClientOptions(options.databaseUrl, options)), options);
  const orders = options.orders ?? defaultOrdersClient(options);
  const provider = options.provider ?? createSimulatedProvider();
  const providerTimeoutMs = options.providerTimeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS;
  const now = options.now ?? (() => new Date());
  return createSubgraphServer<SubgraphContext>({
    name: 'payments',
    requestSigning: options.requestSigning,
    typeDefs: loadSubgraphSdl(SUBGRAPH_DIR).document,
    resolvers,
    logger,
    context: (info) => ({ ...info, db, loaders: createLoaders(db), orders, provider, providerTimeoutMs, now }),
    onStop: () => db.$disconnect(),
  });
}
