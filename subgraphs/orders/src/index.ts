import { createLogger, loadEnvOrExit, onShutdownSignal } from '@store/core';
import { requestSigningOf } from '@store/subgraph-kit';
import { ordersEnvSchema } from './config.ts';
import { createOrdersSubgraph } from './server.ts';

const env = loadEnvOrExit(ordersEnvSchema);
const logger = createLogger({ level: env.LOG_LEVEL, bindings: { subgraph: 'orders' } });
const subgraph = createOrdersSubgraph({
  databaseUrl: env.DATABASE_URL,
  logger,
  requestSigning: requestSigningOf(env),
  routerUrl: env.ROUTER_URL,
  jwtSecret: env.JWT_SECRET,
  ...(env.SERVICE_TOKEN && { serviceToken: env.SERVICE_TOKEN }),
});
await subgraph.listen(env.PORT, env.HOST);
onShutdownSignal(() => subgraph.stop(), logger);
