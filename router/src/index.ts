// First import, before anything can load @apollo/gateway: the router never calls home.
import './no-telemetry.ts';
import { createLogger, loadEnvOrExit, onShutdownSignal } from '@store/core';
import { parseRouterArgs, USAGE } from './cli.ts';
import { routerEnvSchema } from './config.ts';
import { EXPLORER_NOT_BUILT_MESSAGE, explorerIsBuilt } from './explorer.ts';
import { createRouter, RouterSetupError } from './server.ts';
import { readSupergraphFile } from './supergraph.ts';
import { limitHeapGrowth } from './heap.ts';

// Before the first request: less old-generation slack under load (see heap.ts).
limitHeapGrowth();

/** Operator mistakes end the process with one clear line on stderr, never a stack. */
function exitWith(message: string, code = 1): never {
  process.stderr.write(`router: ${message}\n`);
  process.exit(code);
}

const args = parseRouterArgs(process.argv.slice(2));
if (!args.ok) exitWith(`${args.message}\n${USAGE}`, 2);
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const config = loadEnvOrExit(routerEnvSchema);
const logger = createLogger({ level: config.logLevel, bindings: { service: 'router' } });

// Production turns the explorer on only on purpose (EXPLORER=on): then it must really be there.
if (config.explorer && !explorerIsBuilt()) {
  if (config.appEnv === 'production') exitWith(`EXPLORER=on: ${EXPLORER_NOT_BUILT_MESSAGE}`);
  logger.warn(EXPLORER_NOT_BUILT_MESSAGE);
}

const file = await readSupergraphFile(args.supergraphPath);
if (!file.ok) exitWith(`cannot read supergraph ${args.supergraphPath}: ${file.message}`);

let router;
try {
  router = await createRouter({
    supergraphSdl: file.sdl,
    logger,
    verifyingKey: config.verifyingKey,
    subgraphUrlOverrides: config.subgraphUrlOverrides,
    subgraphSigningSecrets: config.subgraphSigningSecrets,
    subgraphTimeoutMs: config.subgraphTimeoutMs,
    subgraphDeduplication: config.subgraphDeduplication,
    subgraphBatching: config.subgraphBatching,
    maxBodyBytes: config.maxBodyBytes,
    operationLimits: config.limits.operationLimits,
    maxCost: config.limits.maxCost,
    defaultListSize: config.limits.defaultListSize,
    requestTimeoutMs: config.limits.requestTimeoutMs,
    introspection: config.introspection,
    corsOrigins: config.corsOrigins,
    explorer: config.explorer && { onGraphqlGet: config.appEnv === 'development', queryPlans: config.exposeQueryPlans },
    exposeQueryPlans: config.exposeQueryPlans,
    authorizationMode: config.authorizationMode,
    ...(config.redisUrl !== null ? { redisUrl: config.redisUrl } : {}),
    rateLimit: config.rateLimit !== null && {
      max: config.rateLimit.max,
      windowMs: config.rateLimit.windowMs,
      key: config.rateLimit.key,
      onStoreFailure: config.rateLimit.onRedisFailure,
    },
    trustedProxyHops: config.trustedProxyHops,
    persistedOperations: config.persistedOperations,
    usageLog: config.usageLog ?? false,
  });
} catch (error) {
  if (!(error instanceof RouterSetupError)) throw error;
  exitWith(error.reason === 'invalid-supergraph' ? `cannot use supergraph ${args.supergraphPath}: ${error.message}` : error.message);
}
onShutdownSignal(() => router.stop(), logger);

const port = args.port ?? config.port;
const host = args.host ?? config.host;
let running;
try {
  running = await router.listen(port, host);
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== 'EADDRINUSE' && code !== 'EADDRNOTAVAIL' && code !== 'EACCES') throw error;
  exitWith(`cannot listen on ${host}:${port}: ${(error as Error).message}`);
}
// Outside tools wait for this line (with the real port when --port 0).
process.stdout.write(`router ready at ${running.url}/graphql\n`);
