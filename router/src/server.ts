import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { createGraphQLHandler, createHttpServer, listen, type Logger, type RunningServer, type VerifyingKey } from '@store/core';
import { createAuthenticator } from './auth.ts';
import { createCorsRoute, type CorsOrigins } from './cors.ts';
import { createExplorerRoute, type ExplorerOptions } from './explorer.ts';
import { createRouterErrorFormatter } from './errors.ts';
import { disableApolloTelemetry } from './no-telemetry.ts';
import { createFastPath } from './executor/fast-path.ts';
import { createRouterGateway } from './executor/plan-executor.ts';
import { forwardedHeadersOf, REQUEST_ID_HEADER, requestIdOf, singleHeader, type RouterContext } from './request-context.ts';
import { QUERY_PLAN_HEADER, useQueryPlans } from './query-plan.ts';
import { parseSupergraph, resolveSubgraphUrls, type SubgraphEndpoint } from './supergraph.ts';

export interface RouterOptions {
  /** The composed supergraph SDL, served as is (the router never composes or polls). */
  supergraphSdl: string;
  logger: Logger;
  /** How bearer tokens are verified. */
  verifyingKey: VerifyingKey;
  /** `SUBGRAPH_<NAME>_URL` → URL. A variable naming no subgraph makes `createRouter` fail. */
  subgraphUrlOverrides?: Readonly<Record<string, string>>;
  /** Per subgraph request (connect, headers and body). Default 10 s. */
  subgraphTimeoutMs?: number;
  /** Largest accepted request body. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Default false. */
  introspection?: boolean;
  /** How long `stop()` waits for in-flight requests before closing connections. Default 10 s. */
  stopGracePeriodMs?: number;
  /** Browser origins allowed to call the router. Default none (same origin only). */
  corsOrigins?: CorsOrigins;
  /** Serve the self-hosted explorer at /explorer. Default off. */
  explorer?: ExplorerOptions | false;
  /** Answer `x-store-query-plan` with `extensions.queryPlan` (development only). Default false. */
  exposeQueryPlans?: boolean;
}

export interface Router {
  /** The subgraphs this router sends requests to, with override-resolved URLs. */
  readonly subgraphs: readonly SubgraphEndpoint[];
  /** Loads the supergraph into the gateway, then binds the port (0 = ephemeral) on `host`. */
  listen(port: number, host?: string): Promise<RunningServer>;
  /** Stops accepting requests, lets in-flight ones finish, then closes. Safe to call twice. */
  stop(): Promise<void>;
}

/** Why `createRouter` refused its options: an operator's mistake, reported without a stack. */
export class RouterSetupError extends Error {
  override readonly name = 'RouterSetupError';
  constructor(
    readonly reason: 'invalid-supergraph' | 'unknown-subgraph-override',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Builds (without binding a port or reading the environment) the one GraphQL endpoint: an
 * `@apollo/gateway` on Apollo Server over `node:http`, serving a static supergraph. Telemetry is
 * disabled before the gateway module is loaded, so the router never calls home.
 */
export async function createRouter(options: RouterOptions): Promise<Router> {
  disableApolloTelemetry();
  const parsed = parseSupergraph(options.supergraphSdl);
  if (!parsed.ok) throw new RouterSetupError('invalid-supergraph', parsed.message);
  const resolved = resolveSubgraphUrls(parsed.subgraphs, options.subgraphUrlOverrides ?? {});
  if (!resolved.ok) throw new RouterSetupError('unknown-subgraph-override', resolved.message);
  const urls = resolved.urls;

  const logger = options.logger;
  const timeoutMs = options.subgraphTimeoutMs ?? 10_000;
  // Loads and plans the supergraph as @apollo/gateway does (federation-internals, query-planner)
  // and executes the plans with this router's executor (src/executor/), not the gateway's.
  const gateway = createRouterGateway({ supergraphSdl: options.supergraphSdl, urls, timeoutMs, logger });
  const formatError = createRouterErrorFormatter(logger);

  let ready = false;
  const requestIds = new WeakMap<IncomingMessage, string>();
  const httpServer = createHttpServer((req, res) => handle(req, res));
  const apollo = new ApolloServer<RouterContext>({
    gateway,
    introspection: options.introspection ?? false,
    includeStacktraceInErrorResponses: false,
    formatError,
    logger: apolloLoggerOf(logger),
    // Shutdown belongs to the entry point (onShutdownSignal): Apollo's own signal handlers would
    // re-raise the signal after stopping and turn a clean exit into a signal exit.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: options.stopGracePeriodMs ?? 10_000 }),
      // The explorer is our own route (self-hosted GraphiQL, see explorer.ts), never Apollo's.
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      useErrorLog(logger),
      ...(options.exposeQueryPlans ? [useQueryPlans<RouterContext>({ supergraphSdl: options.supergraphSdl, logger })] : []),
    ],
  });

  const authenticate = createAuthenticator(options.verifyingKey);
  const context = async (req: IncomingMessage): Promise<RouterContext> => {
    const identity = await authenticate(singleHeader(req.headers.authorization));
    const requestId = requestIds.get(req) ?? requestIdOf(req.headers);
    return { identity, requestId, forwardedHeaders: forwardedHeadersOf(req, requestId) };
  };
  const graphqlHandler = createGraphQLHandler<RouterContext>({
    apollo,
    context,
    logger,
    isReady: () => ready,
    routes: [createCorsRoute(options.corsOrigins ?? []), ...(options.explorer ? [createExplorerRoute(options.explorer)] : [])],
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
    // Operations Apollo Server has accepted once skip its pipeline (same answers, see
    // executor/fast-path.ts), except requests for a query plan, which a plugin answers.
    shortcut: createFastPath({
      executor: () => gateway.executor,
      context,
      formatError,
      logger,
      ...(options.exposeQueryPlans ? { bypass: (req: IncomingMessage) => req.headers[QUERY_PLAN_HEADER] !== undefined } : {}),
    }),
  });
  // Every answer (401 and 400 included) carries the request id the subgraphs and logs saw.
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const requestId = requestIdOf(req.headers);
    requestIds.set(req, requestId);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    graphqlHandler(req, res);
  };

  let starting: Promise<void> | null = null;
  let running: RunningServer | null = null;
  let stopping: Promise<void> | null = null;
  return {
    subgraphs: parsed.subgraphs.map(({ name, url }) => ({ name, url: urls.get(name) ?? url })),
    async listen(port, host = '127.0.0.1') {
      // Loads the supergraph into the gateway; /ready turns 200 only after this and the bind.
      starting ??= apollo.start();
      await starting;
      running = await listen(httpServer, port, host);
      ready = true;
      logger.info('router listening', { url: `${running.url}/graphql`, subgraphs: Object.fromEntries(urls) });
      return running;
    },
    stop() {
      stopping ??= (async () => {
        ready = false;
        const started = starting ? await starting.then(() => true, () => false) : false;
        // The drain plugin closes the listener and waits for in-flight requests.
        if (started) await apollo.stop();
        if (running) await running.close();
      })();
      return stopping;
    },
  };
}

/**
 * Logs every error of a request, unmasked, with the request id that the client and the
 * subgraphs saw, so a masked `Internal server error` can be traced.
 */
function useErrorLog(logger: Logger): ApolloServerPlugin<RouterContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors, operationName }) {
          logger.warn('request failed', {
            requestId: contextValue.requestId,
            operationName,
            errors: errors.map((e) => ({ message: e.message, code: e.extensions?.code, path: e.path, serviceName: e.extensions?.serviceName })),
          });
        },
      };
    },
  };
}

/** Apollo's logger interface (one message argument) on top of ours. */
function apolloLoggerOf(logger: Logger) {
  const text = (message: unknown) => (message instanceof Error ? message.message : String(message));
  return {
    debug: (message?: unknown) => logger.debug(text(message)),
    info: (message?: unknown) => logger.info(text(message)),
    warn: (message?: unknown) => logger.warn(text(message)),
    error: (message?: unknown) => logger.error(text(message)),
  };
}
