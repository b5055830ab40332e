import { createLogger, loadEnvOrExit, onShutdownSignal } from '@store/core';
import { requestSigningOf } from '@store/subgraph-kit';
import { paymentsEnvSchema } from './config.ts';
import { createPaymentsSubgraph } from './server.ts';

const env = loadEnvOrExit(paymentsEnvSchema);
const logger = createLogger({ level: env.LOG_LEVEL, bindings: { subgraph: 'payments' } });
const subgraph = createPaymentsSubgraph({
  databaseUrl: env.DATABASE_URL,
  logger,
  requestSigning: requestSigningOf(env),
  routerUrl: env.ROUTER_URL,
  jwtSecret: env.JWT_SECRET,
  ...(env.SERVICE_TOKEN && { serviceToken: env.SERVICE_TOKEN }),
  providerTimeoutMs: env.PAYMENT_PROVIDER_TIMEOUT_MS,
});
await subgraph.listen(env.PORT, env.HOST);
onShutdownSignal(() => subgraph.stop(), logger);
