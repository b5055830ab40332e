import { createLogger, type Logger } from '@store/core';
import { createPrismaClientOptions, observeQueries, type SqlQueryEvent } from '@store/db';
import { createSubgraphServer, loadSubgraphSdl, type RequestSigningOptions } from '@store/subgraph-kit';
import { PrismaClient } from '../generated/prisma/client.ts';
import { createLoaders, type SubgraphContext } from './context.ts';
import { resolvers } from './resolvers/index.ts';

export const SUBGRAPH_DIR = new URL('..', import.meta.url).pathname;

export interface CatalogOptions {
  databaseUrl: string;
  logger?: Logger;
  /** Serve only the router's signed requests (`{ secrets }`), or any (`{ allowUnsigned: true }`, development). */
  requestSigning: RequestSigningOptions;
  /** Called for every SQL statement the subgraph runs (tests count them). */
  onQuery?: (event: SqlQueryEvent) => void;
}

/** Builds the catalog subgraph (no port bound, no environment read). */
export function createCatalogSubgraph(options: CatalogOptions) {
  const logger = options.logger ?? createLogger({ bindings: { subgraph: 'catalog' } });
  const db = observeQueries(new PrismaClient(createPrismaClientOptions(options.databaseUrl, options)), options);
  return createSubgraphServer<SubgraphContext>({
    name: 'catalog',
    requestSigning: options.requestSigning,
    typeDefs: loadSubgraphSdl(SUBGRAPH_DIR).document,
    resolvers,
    logger,
    context: (info) => ({ ...info, db, loaders: createLoaders(db) }),
    onStop: () => db.$disconnect(),
  });
}
