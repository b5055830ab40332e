import { createLogger, loadEnvOrExit, onShutdownSignal, portSchema } from '@store/core';
import { subgraphEnvSchema } from '@store/subgraph-kit';
import { createCatalogSubgraph } from './server.ts';

const env = loadEnvOrExit(subgraphEnvSchema.extend({ PORT: portSchema.default(4002) }));
const logger = createLogger({ level: env.LOG_LEVEL, bindings: { subgraph: 'catalog' } });
const subgraph = createCatalogSubgraph({ databaseUrl: env.DATABASE_URL, logger });
await subgraph.listen(env.PORT, env.HOST);
onShutdownSignal(() => subgraph.stop(), logger);
