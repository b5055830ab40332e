import { createLogger, loadEnvOrExit, onShutdownSignal } from '@store/core';
import { requestSigningOf } from '@store/subgraph-kit';
import { envSchema } from './config.ts';
import { createCatalogSubgraph } from './server.ts';

const env = loadEnvOrExit(envSchema);
const logger = createLogger({ level: env.LOG_LEVEL, bindings: { subgraph: 'catalog' } });
const subgraph = createCatalogSubgraph({ databaseUrl: env.DATABASE_URL, logger, requestSigning: requestSigningOf(env) });
await subgraph.listen(env.PORT, env.HOST);
onShutdownSignal(() => subgraph.stop(), logger);
