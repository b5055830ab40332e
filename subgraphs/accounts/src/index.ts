import { createLogger, DEV_JWT_SECRET, loadEnvOrExit, onShutdownSignal } from '@store/core';
import { requestSigningOf } from '@store/subgraph-kit';
import { accountsEnvSchema } from './config.ts';
import { createAccountsSubgraph } from './server.ts';

const env = loadEnvOrExit(accountsEnvSchema);
const logger = createLogger({ level: env.LOG_LEVEL, bindings: { subgraph: 'accounts' } });
if (env.signingKey.alg === 'HS256' && env.signingKey.secret === DEV_JWT_SECRET) {
  logger.warn('signing tokens with the development JWT secret; set JWT_SECRET or JWT_PRIVATE_KEY outside development');
}
const subgraph = createAccountsSubgraph({
  databaseUrl: env.DATABASE_URL,
  logger,
  requestSigning: requestSigningOf(env),
  signingKey: env.signingKey,
  tokenTtlSeconds: env.tokenTtlSeconds,
});
await subgraph.listen(env.PORT, env.HOST);
onShutdownSignal(() => subgraph.stop(), logger);
