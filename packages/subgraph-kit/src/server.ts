import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { visit, BREAK, type DocumentNode } from 'graphql';
import {
  createErrorMasker,
  createGraphQLHandler,
  createHttpServer,
  decodeIdentity,
  IDENTITY_HEADER,
  listen,
  unauthenticated,
  type Identity,
  type Logger,
  type RunningServer,
} from '@store/core';
import { createSignatureCheck, headerValue, type RequestSigningOptions } from './request-signing.ts';
import { fastPathFromEnvironment } from './env.ts';
import { createSubgraphFastPath, KnownOperations, rememberOperationsPlugin } from './fast-path.ts';

/** What every subgraph knows about a request before its own context is added. */
export interface RequestInfo {
  /** The verified caller, forwarded by the router; `null` for anonymous requests. */
  identity: Identity | null;
  requestId: string;
  logger: Logger;
}

export interface SubgraphServerOptions<C extends BaseContext> {
  name: string;
  typeDefs: DocumentNode;
  // The generated resolver types are stricter than Apollo's map; each subgraph checks its own.
  resolvers: unknown;
  logger: Logger;
  /** Adds the subgraph's own per-request state (database, loaders) to the request info. */
  context: (info: RequestInfo) => C | Promise<C>;
  /**
   * Which requests are served: only the router's signed ones (`{ secrets }`), or any
   * (`{ allowUnsigned: true }`, development only). Required: there is no silent default.
   */
  requestSigning: RequestSigningOptions;
  /** Allows introspection of the subgraph (always on for the router's benefit in development). */
  introspection?: boolean;
  /** Called once on stop, after in-flight requests finished (close the database pool here). */
  onStop?: () => Promise<void>;
  /**
   * Serves operations Apollo Server already validated once with graphql-js directly, answering
   * exactly as Apollo Server would (see fast-path.ts). Default: `SUBGRAPH_FAST_PATH` (on unless
   * `off`). Never used when the SDL has `@cacheControl` (Apollo's plugin computes the header then).
   */
  fastPath?: boolean;
}

export interface SubgraphServer {
  /** Binds the port (0 = ephemeral) on `host` and starts serving. */
  listen(port: number, host?: string): Promise<RunningServer>;
  /** Drains in-flight requests, stops Apollo, then runs `onStop`. */
  stop(): Promise<void>;
  /** Whether the fast path is on, and how many requests it answered (for tests and measurements). */
  fastPathStats(): { enabled: boolean; answered: number };
}

/**
 * Builds (without side effects) a federation subgraph on Apollo Server: SDL-first schema,
 * identity from the router's header, deliberate errors shown, everything else masked. With signing
 * on (the default everywhere but an explicit development flag), a request reaches GraphQL only
 * with a valid router signature, which also covers the identity header the context trusts.
 */
export function createSubgraphServer<C extends BaseContext>(options: SubgraphServerOptions<C>): SubgraphServer {
  const logger = options.logger;
  const signatureGuard = createSignatureCheck(options.requestSigning, logger, options.name);
  const verifyRequest = signatureGuard?.verify;
  const schema = buildSubgraphSchema({ typeDefs: options.typeDefs, resolvers: options.resolvers as GraphQLResolverMap<unknown> });
  let handlerReady = false;
  const httpServer = createHttpServer((req, res) => handler(req, res));
  const formatError = createErrorMasker(logger);
  const cacheHints = usesCacheControl(options.typeDefs);
  const known = !cacheHints && (options.fastPath ?? fastPathFromEnvironment()) ? new KnownOperations() : null;
  const apollo = new ApolloServer<C>({
    schema,
    introspection: options.introspection ?? true,
    includeStacktraceInErrorResponses: false,
    // index.ts owns signal handling (drain, then exit 0); Apollo's own handlers would re-raise.
    stopOnTerminationSignals: false,
    formatError,
    // No inline (ftv1) traces: nothing reports them to Apollo, and they cost time on every request.
    // Apollo's cache-control plugin wraps every field resolver (willResolveField) to compute a
    // policy; without `@cacheControl` in the SDL that policy is always "uncacheable", so the
    // plugin is replaced by its answer, the same `cache-control: no-store` header.
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ...(cacheHints ? [] : [ApolloServerPluginCacheControlDisabled(), uncacheableResponses]),
      ...(known ? [rememberOperationsPlugin(known)] : []),
    ],
  });
  const context = async (req: IncomingMessage): Promise<C> => {
    // With signing on, this is the value the signature covered (verifyRequest ran first).
    let identity: Identity | null;
    try {
      identity = decodeIdentity(headerValue(req, IDENTITY_HEADER));
    } catch (error) {
      throw unauthenticated(`Invalid identity header: ${(error as Error).message}`, 401);
    }
    const requestIdHeader = req.headers['x-request-id'];
    const requestId = typeof requestIdHeader === 'string' && requestIdHeader.length <= 128 ? requestIdHeader : randomUUID();
    return options.context({ identity, requestId, logger: logger.child({ requestId }) });
  };
  const fastPath = known && createSubgraphFastPath<C>({ schema, known, context, formatError, isServing: () => handlerReady });
  const handler = createGraphQLHandler<C>({
    apollo,
    context,
    logger,
    isReady: () => handlerReady,
    // Signatures are checked (verifyRequest) before the body is parsed, so before the fast path too.
    ...(verifyRequest && { verifyRequest }),
    ...(fastPath && { shortcut: fastPath.shortcut }),
  });
  let running: RunningServer | null = null;
  return {
    async listen(port, host = '127.0.0.1') {
      await apollo.start();
      running = await listen(httpServer, port, host);
      handlerReady = true;
      logger.info(`subgraph ${options.name} listening`, { url: `${running.url}/graphql`, signedRequestsOnly: signatureGuard !== null, fastPath: fastPath !== null, ...(signatureGuard && { replayNonces: signatureGuard.nonces }) });
      return running;
    },
    async stop() {
      handlerReady = false;
      await apollo.stop();
      if (running) await running.close();
      await signatureGuard?.close();
      await options.onStop?.();
    },
    fastPathStats: () => ({ enabled: fastPath !== null, answered: fastPath?.answered ?? 0 }),
  };
}

const uncacheableResponses: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (!response.http.headers.has('cache-control')) response.http.headers.set('cache-control', 'no-store');
      },
    };
  },
};

/** Whether the SDL uses `@cacheControl` anywhere (Apollo's cache-control plugin reads nothing else). */
function usesCacheControl(typeDefs: DocumentNode): boolean {
  let found = false;
  visit(typeDefs, {
    Directive(node) {
      if (node.name.value !== 'cacheControl') return undefined;
      found = true;
      return BREAK;
    },
  });
  return found;
}
