import { GraphQLError } from 'graphql';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { encodeIdentity, IDENTITY_HEADER, type Logger } from '@store/core';
import { SubgraphRequestError } from './errors.ts';
import type { RouterContext } from './request-context.ts';

export interface SubgraphDataSourceOptions {
  name: string;
  url: string;
  timeoutMs: number;
  logger: Logger;
}

type DataSource = RemoteGraphQLDataSource<RouterContext>;
type ProcessOptions = Parameters<DataSource['process']>[0];
type FetcherResponse = NonNullable<Parameters<DataSource['didEncounterError']>[2]>;

/** The only header the gateway itself sets that subgraphs need. */
const GATEWAY_HEADERS = new Set(['content-type']);

/**
 * Subclasses the gateway's `RemoteGraphQLDataSource`, which is passed in so that the gateway
 * module is loaded only after telemetry is disabled (see `createRouter`).
 */
export function defineSubgraphDataSource(Base: typeof RemoteGraphQLDataSource) {
  return class SubgraphDataSource extends Base<RouterContext> {
    readonly #name: string;
    readonly #logger: Logger;

    constructor(options: SubgraphDataSourceOptions) {
      super({ url: options.url });
      this.#name = options.name;
      this.#logger = options.logger.child({ subgraph: options.name });
      const timeoutMs = options.timeoutMs;
      // Node's own fetch: one HTTP stack, and a timeout that covers connect, headers and body.
      this.fetcher = (url, init) => fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    }

    /**
     * Headers are rebuilt from scratch: nothing the client sent passes except the allow-list, and
     * the identity header is set only from the verified token — a client-sent copy never survives.
     */
    override willSendRequest({ request, context }: ProcessOptions): void {
      const headers = request.http?.headers;
      if (!headers) return;
      const names: string[] = [];
      for (const [name] of headers) names.push(name);
      for (const name of names) if (!GATEWAY_HEADERS.has(name.toLowerCase())) headers.delete(name);
      headers.delete(IDENTITY_HEADER);
      // Health checks and schema loading run without a request context.
      const routerContext = context as Partial<RouterContext>;
      for (const [name, value] of Object.entries(routerContext.forwardedHeaders ?? {})) headers.set(name, value);
      if (routerContext.identity) headers.set(IDENTITY_HEADER, encodeIdentity(routerContext.identity));
    }

    /** A non-2xx answer: relay the subgraph's own GraphQL error if it sent one (the router masks it). */
    override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
      let body: unknown;
      try {
        body = await this.parseBody(response);
      } catch {
        body = undefined;
      }
      this.#logger.warn('subgraph answered with an HTTP error', { url: this.url, status: response.status });
      const first = isRecord(body) && Array.isArray(body.errors) ? body.errors[0] : undefined;
      if (isRecord(first) && typeof first.message === 'string') {
        const code = isRecord(first.extensions) && typeof first.extensions.code === 'string' ? first.extensions.code : undefined;
        return new GraphQLError(first.message, { extensions: { ...(code ? { code } : {}), serviceName: this.#name } });
      }
      return new SubgraphRequestError(this.#name, 'bad-response');
    }

    /** Network failures and timeouts become a `SubgraphRequestError`; the URL goes to the log only. */
    override didEncounterError(error: Error, _request: unknown, response?: FetcherResponse, context?: RouterContext): void {
      if (error instanceof GraphQLError) throw error;
      const failure = error.name === 'TimeoutError' ? 'timeout' : response ? 'bad-response' : 'unreachable';
      const cause = error.cause instanceof Error ? error.cause.message : undefined;
      this.#logger.warn('subgraph request failed', { url: this.url, failure, error: error.message, cause, requestId: context?.requestId });
      throw new SubgraphRequestError(this.#name, failure);
    }
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
