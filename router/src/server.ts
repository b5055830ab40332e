import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { createGraphQLHandler, createHttpServer, DEFAULT_MAX_BODY_BYTES, listen, type Logger, type RunningServer, type VerifyingKey } from '@store/core';
import { createAuthenticator } from './auth.ts';
import { createCorsRoute, type CorsOrigins } from './cors.ts';
import { createExplorerRoute, type ExplorerOptions } from './explorer.ts';
import { createRouterErrorFormatter } from './errors.ts';
import { disableApolloTelemetry } from './no-telemetry.ts';
import { createFastPath } from './executor/fast-path.ts';
import { createRouterGateway } from './executor/plan-executor.ts';
import type { AuthorizationMode } from './authorization/index.ts';
import { DEFAULT_OPERATION_LIMITS, operationLimitRules, operationParseOptions, type OperationLimits } from './limits/operation-limits.ts';
import { clientInfoOf, forwardedHeadersOf, REQUEST_ID_HEADER, requestIdOf, singleHeader, type RouterContext } from './request-context.ts';
import { QUERY_PLAN_HEADER, useQueryPlans } from './query-plan.ts';
import { createRateLimiter, type RateLimitOptions } from './rate-limit/limiter.ts';
import { createRateLimitRoute } from './rate-limit/route.ts';
import { createRedisClient, type RedisClient } from './redis.ts';
import { createMemoryStore, createRedisStore } from './operations/apq-store.ts';
import { EMPTY_MANIFEST, loadManifests, ManifestError, type ManifestIndex } from './operations/manifest.ts';
import { createPersistedOperations, type PersistedOperationsMode } from './operations/persisted-operations.ts';
import { createUsageLog, type UsageLog } from './operations/usage-log.ts';
import { parseSupergraph, resolveSubgraphSigningSecrets, resolveSubgraphUrls, type SubgraphEndpoint } from './supergraph.ts';

export interface RouterOptions {
  /** The composed supergraph SDL, served as is (the router never composes or polls). */
  supergraphSdl: string;
  logger: Logger;
  /** How bearer tokens are verified. */
  verifyingKey: VerifyingKey;
  /** `SUBGRAPH_<NAME>_URL` → URL. A variable naming no subgraph makes `createRouter` fail. */
  subgraphUrlOverrides?: Readonly<Record<string, string>>;
  /**
   * `SUBGRAPH_<NAME>_SIGNING_SECRET` → secret: requests to that subgraph are HMAC-signed (see
   * @store/core signing.ts). Subgraphs without one get unsigned requests. A variable naming no
   * subgraph makes `createRouter` fail.
   */
  subgraphSigningSecrets?: Readonly<Record<string, string>>;
  /** Per subgraph request (connect, headers and body). Default 10 s. */
  subgraphTimeoutMs?: number;
  /**
   * Identical queries in flight to a subgraph (same body, identity and forwarded headers) make
   * one request whose answer each caller reads; never mutations. Default false.
   */
  subgraphDeduplication?: boolean;
  /** Subgraph requests of concurrent query operations batched per event-loop turn. Default true. */
  subgraphBatching?: boolean;
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
  /** How the supergraph's `@authenticated` / `@requiresScopes` / `@policy` are enforced. Default `filter`. */
  authorizationMode?: AuthorizationMode;
  /** Static operation limits (depth, aliases, root fields, directives, tokens); `null` turns one off. Default: DEFAULT_OPERATION_LIMITS. */
  operationLimits?: Partial<OperationLimits>;
  /** Demand control: operations whose estimated cost (`@cost`/`@listSize`) is over this are refused. Default none. */
  maxCost?: number | null;
  /** Demand control: size assumed for list fields without `@listSize`. Default 10. */
  defaultListSize?: number;
  /** Deadline for a request, counted from its arrival, all subgraph calls included (HTTP 504 past it). Default 30 s; `null` for none. */
  requestTimeoutMs?: number | null;
  /** Hide "Did you mean" suggestions, which reveal the schema, in validation errors. Default: when introspection is off. */
  hideSuggestions?: boolean;
  /**
   * `redis://` URL of the Redis that router replicas share state in (rate-limit counters). Connects
   * on first use; closed by `stop()`. Default none: state stays in this process.
   */
  redisUrl?: string;
  /** Per-caller request budget, counted in Redis when `redisUrl` is set. Default off. */
  rateLimit?: RateLimitOptions | false;
  /**
   * How many proxies in front of the router append `X-Forwarded-For`; the client IP (rate limits)
   * is read from it only then. Default 0: the socket's peer address, which a client cannot forge.
   */
  trustedProxyHops?: number;
  /**
   * Persisted operations (operations/persisted-operations.ts): `apq` (any operation, plus APQ and
   * the manifests' operations by hash), `safelist` (the manifests' operations only) or `off`.
   * APQ registrations are kept in Redis when `redisUrl` is set. Default `{ mode: 'apq' }`.
   */
  persistedOperations?: { mode: PersistedOperationsMode; manifestFiles?: readonly string[]; apqKeyPrefix?: string };
  /** Appends per-operation usage to an NDJSON file (operations/usage-log.ts). Default off. */
  usageLog?: { file: string; flushIntervalMs?: number; sampleRate?: number; maxEntries?: number } | false;
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
    readonly reason: 'invalid-supergraph' | 'unknown-subgraph-override' | 'unknown-subgraph-signing-secret' | 'invalid-redis-url' | 'invalid-persisted-operations',
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
  const signing = resolveSubgraphSigningSecrets(parsed.subgraphs, options.subgraphSigningSecrets ?? {});
  if (!signing.ok) throw new RouterSetupError('unknown-subgraph-signing-secret', signing.message);
  // Signing some subgraphs but not all is almost always a forgotten variable.
  const unsigned = signing.secrets.size > 0 ? parsed.subgraphs.filter(({ name }) => !signing.secrets.has(name)).map(({ name }) => name) : [];

  const logger = options.logger;
  const timeoutMs = options.subgraphTimeoutMs ?? 10_000;
  // Loads and plans the supergraph as @apollo/gateway does (federation-internals, query-planner)
  // and executes the plans with this router's executor (src/executor/), not the gateway's.
  const demandControl = {
    maxCost: options.maxCost ?? null,
    requestTimeoutMs: options.requestTimeoutMs === undefined ? 30_000 : options.requestTimeoutMs,
    ...(options.defaultListSize !== undefined && { defaultListSize: options.defaultListSize }),
  };
  const operationLimits: OperationLimits = { ...DEFAULT_OPERATION_LIMITS, ...options.operationLimits };
  const persistedMode = options.persistedOperations?.mode ?? 'apq';
  let manifest: ManifestIndex = EMPTY_MANIFEST;
  try {
    if (persistedMode !== 'off') manifest = loadManifests(options.persistedOperations?.manifestFiles ?? []);
  } catch (error) {
    if (error instanceof ManifestError) throw new RouterSetupError('invalid-persisted-operations', `PERSISTED_OPERATIONS_MANIFESTS: ${error.message}`);
    throw error;
  }
  if (persistedMode === 'safelist' && manifest.byHash.size === 0) {
    throw new RouterSetupError('invalid-persisted-operations', 'PERSISTED_OPERATIONS=safelist: the manifests list no operation, so every request would be refused');
  }
  const usageLog: UsageLog | null = options.usageLog
    ? createUsageLog({ ...options.usageLog, schema: () => gateway.executor?.apiSchema ?? null, logger })
    : null;
  const gateway = createRouterGateway({ supergraphSdl: options.supergraphSdl, urls, signingSecrets: signing.secrets, timeoutMs, deduplicateSubgraphRequests: options.subgraphDeduplication === true, batchSubgraphRequests: options.subgraphBatching !== false, logger, authorizationMode: options.authorizationMode ?? 'filter', ...demandControl, ...(usageLog ? { onExecute: (prepared, context) => usageLog.record(prepared, context.client) } : {}) });
  const formatError = createRouterErrorFormatter(logger);

  let ready = false;
  const requestIds = new WeakMap<IncomingMessage, string>();
  const responses = new WeakMap<IncomingMessage, ServerResponse>();
  // `performance.now()` when each request arrived: REQUEST_TIMEOUT_MS counts from there.
  const arrivals = new WeakMap<IncomingMessage, number>();
  // REQUEST_TIMEOUT_MS also bounds receiving the request: a body still arriving a second after the
  // deadline gets Node's 408 and the connection is closed (one that arrives late, but within that
  // second, gets the GraphQL 504 answer below).
  const uploadTimeout = demandControl.requestTimeoutMs === null ? {} : { requestTimeoutMs: demandControl.requestTimeoutMs + 1_000 };
  const httpServer = createHttpServer((req, res) => handle(req, res), uploadTimeout);
  const apollo = new ApolloServer<RouterContext>({
    gateway,
    introspection: options.introspection ?? false,
    // Static limits run once per document; the fast path serves only documents validated here.
    validationRules: operationLimitRules(operationLimits),
    parseOptions: operationParseOptions(operationLimits),
    hideSchemaDetailsFromClientErrors: options.hideSuggestions ?? !(options.introspection ?? false),
    includeStacktraceInErrorResponses: false,
    formatError,
    logger: apolloLoggerOf(logger),
    // Persisted queries are resolved before Apollo Server (operations/persisted-operations.ts).
    persistedQueries: false,
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
  const redis: RedisClient | null = options.redisUrl ? createRedisClientOrThrow(options.redisUrl, logger) : null;
  const rateLimiter = options.rateLimit
    ? createRateLimiter({ ...options.rateLimit, redis: options.rateLimit.redis ?? redis, logger, trustedProxyHops: options.trustedProxyHops ?? 0 })
    : null;
  const buildContext = async (req: IncomingMessage): Promise<RouterContext> => {
    const authentication = await authenticate(singleHeader(req.headers.authorization)).then(
      (identity) => ({ ok: true as const, identity }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    if (rateLimiter) {
      // Refused tokens spend the IP's budget too, so guessing tokens is throttled like the rest.
      const limit = await rateLimiter.check(req, authentication.ok ? authentication.identity : null);
      const res = responses.get(req);
      if (res) for (const [name, value] of Object.entries(limit.headers)) res.setHeader(name, value);
      if (!limit.allowed) throw limit.error;
    }
    if (!authentication.ok) throw authentication.error;
    const requestId = requestIds.get(req) ?? requestIdOf(req.headers);
    const arrival = arrivals.get(req);
    const deadline = demandControl.requestTimeoutMs !== null && arrival !== undefined ? { deadline: arrival + demandControl.requestTimeoutMs } : {};
    return { identity: authentication.identity, requestId, forwardedHeaders: forwardedHeadersOf(req, requestId), client: clientInfoOf(req.headers), ...deadline };
  };
  // One context per HTTP request: the rate-limit route (on arrival) or the fast path builds it, and
  // Apollo Server gets the same one, so authentication and the rate limit run exactly once.
  const contexts = new WeakMap<IncomingMessage, Promise<RouterContext>>();
  const context = (req: IncomingMessage): Promise<RouterContext> => {
    let built = contexts.get(req);
    if (built === undefined) {
      built = buildContext(req);
      contexts.set(req, built);
    }
    return built;
  };
  const graphqlHandler = createGraphQLHandler<RouterContext>({
    apollo,
    context,
    logger,
    isReady: () => ready,
    routes: [
      createCorsRoute(options.corsOrigins ?? []),
      // Every request to /graphql but CORS preflights spends its caller's budget, once, before its body is read.
      ...(rateLimiter ? [createRateLimitRoute({ apollo, context, maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES })] : []),
      ...(options.explorer ? [createExplorerRoute(options.explorer)] : []),
    ],
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
    prepareRequest: createPersistedOperations({
      mode: persistedMode,
      manifest,
      store: redis ? createRedisStore({ redis, logger, ...(options.persistedOperations?.apqKeyPrefix !== undefined && { keyPrefix: options.persistedOperations.apqKeyPrefix }) }) : createMemoryStore(),
      logger,
    }),
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
    responses.set(req, res);
    arrivals.set(req, performance.now());
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
      logger.info('router listening', { url: `${running.url}/graphql`, subgraphs: Object.fromEntries(urls), signedSubgraphs: [...signing.secrets.keys()] });
      if (unsigned.length > 0) logger.warn('requests to some subgraphs are not signed (no SUBGRAPH_<NAME>_SIGNING_SECRET)', { subgraphs: unsigned });
      return running;
    },
    stop() {
      stopping ??= (async () => {
        ready = false;
        const started = starting ? await starting.then(() => true, () => false) : false;
        // The drain plugin closes the listener and waits for in-flight requests.
        if (started) await apollo.stop();
        if (running) await running.close();
        await usageLog?.stop();
        await rateLimiter?.close();
        await redis?.close();
      })();
      return stopping;
    },
  };
}

/** A Redis client for `url`, or a `RouterSetupError` naming what is wrong with it. */
function createRedisClientOrThrow(url: string, logger: Logger): RedisClient {
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    // reported below
  }
  if (parsed === null || (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') || parsed.hostname === '') {
    throw new RouterSetupError('invalid-redis-url', 'REDIS_URL: expected a redis:// or rediss:// URL, e.g. redis://redis:6379');
  }
  return createRedisClient({ url, logger });
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
