import { createLogger, DEV_JWT_SECRET, type Logger } from '@store/core';
import { createPrismaClientOptions, observeQueries, type SqlQueryEvent } from '@store/db';
import { createServiceTokenSource, createSubgraphServer, loadSubgraphSdl, type RequestSigningOptions } from '@store/subgraph-kit';
import { PrismaClient } from '../generated/prisma/client.ts';
import type { SubgraphContext } from './context.ts';
import { createLoaders } from './loaders.ts';
import { createRouterProductDirectory, type ProductDirectory } from './product-directory.ts';
import { resolvers } from './resolvers/index.ts';

export const SUBGRAPH_DIR = new URL('..', import.meta.url).pathname;
export const DEFAULT_ROUTER_URL = 'http://127.0.0.1:4000/graphql';

export interface ReviewsOptions {
  databaseUrl: string;
  logger?: Logger;
  /** Serve only the router's signed requests (`{ secrets }`), or any (`{ allowUnsigned: true }`, development). */
  requestSigning: RequestSigningOptions;
  /** How `addReview` checks that a product exists. Default: asks the router over HTTP. */
  productDirectory?: ProductDirectory;
  /** The router's GraphQL endpoint, for the default product directory. */
  routerUrl?: string;
  /** A pre-minted service token for the router; takes precedence over `jwtSecret`. */
  serviceToken?: string;
  /** HS256 secret to mint the service token with. Default: the development secret (the env
   * schema refuses it in production). */
  jwtSecret?: string;
  /** Called for every SQL statement the subgraph runs (tests count them). */
  onQuery?: (event: SqlQueryEvent) => void;
}

function defaultProductDirectory(options: ReviewsOptions): ProductDirectory {
  const credentials = options.serviceToken ? { serviceToken: options.serviceToken } : { service: 'reviews', jwtSecret: options.jwtSecret ?? DEV_JWT_SECRET };
  return createRouterProductDirectory({ routerUrl: options.routerUrl ?? DEFAULT_ROUTER_URL, token: createServiceTokenSource(credentials) });
}

/** Builds the reviews subgraph (no port bound, no environment read). */
export function createReviewsSubgraph(options: ReviewsOptions) {
  const logger = options.logger ?? createLogger({ bindings: { subgraph: 'reviews' } });
  const db = observeQueries(new PrismaClient(createPrismaClientOptions(options.databaseUrl, options)), options);
  const productDirectory = options.productDirectory ?? defaultProductDirectory(options);
  return createSubgraphServer<SubgraphContext>({
    name: 'reviews',
    requestSigning: options.requestSigning,
    typeDefs: loadSubgraphSdl(SUBGRAPH_DIR).document,
    resolvers,
    logger,
    context: (info) => ({ ...info, db, loaders: createLoaders(db), productDirectory }),
    onStop: () => db.$disconnect(),
  });
}
