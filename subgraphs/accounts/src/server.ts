import { createLogger, DEV_JWT_SECRET, type Logger, type SigningKey } from '@store/core';
import { createPrismaClientOptions, observeQueries, type SqlQueryEvent } from '@store/db';
import { createSubgraphServer, loadSubgraphSdl, type RequestSigningOptions } from '@store/subgraph-kit';
import { PrismaClient } from '../generated/prisma/client.ts';
import { createLoaders, type SubgraphContext } from './context.ts';
import { resolvers } from './resolvers/index.ts';
import { createTokenIssuer } from './tokens.ts';

export const SUBGRAPH_DIR = new URL('..', import.meta.url).pathname;

export interface AccountsOptions {
  databaseUrl: string;
  logger?: Logger;
  /** Serve only the router's signed requests (`{ secrets }`), or any (`{ allowUnsigned: true }`, development). */
  requestSigning: RequestSigningOptions;
  /** Called for every SQL statement the subgraph runs (tests count them). */
  onQuery?: (event: SqlQueryEvent) => void;
  /** Signs the access tokens of signUp/logIn. Default: HS256 with DEV_JWT_SECRET (development, tests). */
  signingKey?: SigningKey;
  /** Lifetime of issued access tokens, in seconds. Default 3600. */
  tokenTtlSeconds?: number;
}

/** Builds the accounts subgraph (no port bound, no environment read). */
export function createAccountsSubgraph(options: AccountsOptions) {
  const logger = options.logger ?? createLogger({ bindings: { subgraph: 'accounts' } });
  const db = observeQueries(new PrismaClient(createPrismaClientOptions(options.databaseUrl, options)), options);
  const issueAccessToken = createTokenIssuer(options.signingKey ?? { alg: 'HS256', secret: DEV_JWT_SECRET }, options.tokenTtlSeconds ?? 3600);
  return createSubgraphServer<SubgraphContext>({
    name: 'accounts',
    requestSigning: options.requestSigning,
    typeDefs: loadSubgraphSdl(SUBGRAPH_DIR).document,
    resolvers,
    logger,
    context: (info) => ({ ...info, db, loaders: createLoaders(db), issueAccessToken }),
    onStop: () => db.$disconnect(),
  });
}
