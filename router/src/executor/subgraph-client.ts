import { Pool } from 'undici';
import { GraphQLError } from 'graphql';
import { createRequestSigner, encodeIdentity, ErrorCode, IDENTITY_HEADER, SIGNATURE_HEADER, type Logger, type RequestSigner } from '@store/core';
import { SubgraphRequestError } from '../errors.ts';
import type { RouterContext } from '../request-context.ts';

/** What a subgraph answered: its GraphQL response object (`data`, `errors`, `extensions`). */
export interface SubgraphResponse {
  data?: Record<string, unknown> | null;
  errors?: SubgraphError[];
  extensions?: Record<string, unknown>;
}

/** A subgraph's `cache-control` answer, as the gateway reads it (`parseCacheControlHeader`). */
export interface CacheHint {
  maxAge: number;
  scope?: 'PUBLIC' | 'PRIVATE';
}

/** The gateway's reading of a subgraph's `cache-control` header: no usable max-age means 0. */
export function cacheHintOf(header: string | undefined): CacheHint {
  const hint: CacheHint = { maxAge: 0 };
  if (!header) return hint;
  const directives: Record<string, string | true> = {};
  for (const part of header.trim().split(/\s*,\s*/)) {
    const [key, value] = part.split(/\s*=\s*/, 2);
    directives[key!] = value === undefined ? true : value.replace(/^"|"$/g, '');
  }
  const maxAge = directives['max-age'];
  if (typeof maxAge === 'string' && /^[0-9]+$/.test(maxAge)) hint.maxAge = Number(maxAge);
  if (directives.private === true) hint.scope = 'PRIVATE';
  if (directives.public === true) hint.scope = 'PUBLIC';
  return hint;
}

/** A GraphQL error as a subgraph sends it (JSON). */
export interface SubgraphError {
  message?: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Sends one GraphQL request body (already serialised) to a subgraph. Throws a GraphQLError on failure. */
export type SendToSubgraph = (service: string, body: string, context: Partial<RouterContext>, onCacheHint?: (hint: CacheHint) => void) => Promise<SubgraphResponse>;

export interface SubgraphClientOptions {
  /** Subgraph name → URL (override-resolved). */
  urls: ReadonlyMap<string, string>;
  /** Subgraph name → the secret its requests are signed with (`x-store-signature`); others go unsigned. */
  signingSecrets?: ReadonlyMap<string, string>;
  /** Per request: connect, headers and body. */
  timeoutMs: number;
  logger: Logger;
}

export interface SubgraphClient {
  send: SendToSubgraph;
  close(): Promise<void>;
}

/** The timeout shared by the subgraph calls of one plan stage. */
interface StageTimeout {
  signal: AbortSignal;
  timer: NodeJS.Timeout;
  /** Calls not yet settled; the timer is cleared when none is left. */
  pending: number;
}

interface Endpoint {
  pool: Pool;
  path: string;
  url: string;
  logger: Logger;
  /** Signs a request to this subgraph (key prepared once); null when it has no secret. */
  sign: RequestSigner | null;
}

const JSON_CONTENT = /^application\/(graphql-response\+)?json/i;
const SIGNATURE_FAILURE_CODES = new Set<string>([
  ErrorCode.REQUEST_SIGNATURE_MISSING,
  ErrorCode.REQUEST_SIGNATURE_MALFORMED,
  ErrorCode.REQUEST_SIGNATURE_EXPIRED,
  ErrorCode.REQUEST_SIGNATURE_INVALID,
  ErrorCode.REQUEST_SIGNATURE_REPLAYED,
]);

/**
 * Subgraph requests over one keep-alive `undici` pool per subgraph. Headers are built from
 * scratch: `content-type`, the allow-listed client headers, and the verified identity — nothing
 * else a client sent (no forged `x-store-identity`, no `Authorization`). Failures become the
 * router's errors (`SubgraphRequestError`, or the subgraph's own GraphQL error for a non-2xx
 * answer, which the router then masks), with the URL kept to the log.
 */
export function createSubgraphClient(options: SubgraphClientOptions): SubgraphClient {
  const endpoints = new Map<string, Endpoint>();
  for (const [name, url] of options.urls) {
    const parsed = new URL(url);
    const secret = options.signingSecrets?.get(name);
    endpoints.set(name, {
      pool: new Pool(parsed.origin, { keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000 }),
      path: `${parsed.pathname}${parsed.search}`,
      url,
      logger: options.logger.child({ subgraph: name }),
      sign: secret === undefined ? null : createRequestSigner(secret),
    });
  }
  const timeoutMs = options.timeoutMs;
  // The requests of one plan stage start in the same tick: they share one timeout. Not
  // `AbortSignal.timeout()`: as a source of `AbortSignal.any()` (with the request deadline) Node 20
  // lets the GC collect it, and its timer then never fires — a stalled subgraph was waited on until
  // the deadline. This controller is held by its own timer, cleared once the stage's calls settle.
  let stage: StageTimeout | null = null;
  const stageTimeout = (): StageTimeout => {
    if (!stage) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), timeoutMs);
      timer.unref();
      const started: StageTimeout = { signal: controller.signal, timer, pending: 0 };
      stage = started;
      queueMicrotask(() => {
        if (stage === started) stage = null;
      });
    }
    stage.pending++;
    return stage;
  };
  const settled = (timeout: StageTimeout) => {
    if (--timeout.pending > 0) return;
    clearTimeout(timeout.timer);
    if (stage === timeout) stage = null;
  };

  const send: SendToSubgraph = async (service, body, context, onCacheHint) => {
    const endpoint = endpoints.get(service);
    if (!endpoint) throw new Error(`Couldn't find service with name "${service}"`);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (context.forwardedHeaders) for (const name in context.forwardedHeaders) headers[name] = context.forwardedHeaders[name]!;
    const identity = context.identity ? encodeIdentity(context.identity) : undefined;
    if (identity !== undefined) headers[IDENTITY_HEADER] = identity;
    if (endpoint.sign) headers[SIGNATURE_HEADER] = endpoint.sign({ method: 'POST', path: endpoint.path, body, identity });
    // The request's deadline (when the router runs with one) also stops this call.
    const timeout = stageTimeout();
    const signal = context.signal ? AbortSignal.any([timeout.signal, context.signal]) : timeout.signal;
    let status: number;
    let text: string;
    let contentType: string;
    try {
      const response = await endpoint.pool.request({ path: endpoint.path, method: 'POST', headers, body, signal });
      status = response.statusCode;
      const header = response.headers['content-type'];
      contentType = (Array.isArray(header) ? header[0] : header) ?? '';
      text = await response.body.text();
      if (onCacheHint && status >= 200 && status <= 299) {
        const cacheControl = response.headers['cache-control'];
        onCacheHint(cacheHintOf(Array.isArray(cacheControl) ? cacheControl.join(', ') : cacheControl));
      }
    } catch (error) {
      const failure = signal.aborted ? 'timeout' : 'unreachable';
      const cause = (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : undefined;
      endpoint.logger.warn('subgraph request failed', { url: endpoint.url, failure, error: (error as Error).message, cause, requestId: context.requestId });
      throw new SubgraphRequestError(service, failure);
    } finally {
      settled(timeout);
    }
    if (status < 200 || status > 299) throw errorFromResponse(endpoint, service, status, contentType, text);
    if (!JSON_CONTENT.test(contentType)) {
      endpoint.logger.warn('subgraph request failed', { url: endpoint.url, failure: 'bad-response', error: 'not JSON', requestId: context.requestId });
      throw new SubgraphRequestError(service, 'bad-response');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      endpoint.logger.warn('subgraph request failed', { url: endpoint.url, failure: 'bad-response', error: (error as Error).message, requestId: context.requestId });
      throw new SubgraphRequestError(service, 'bad-response');
    }
    if (typeof parsed !== 'object' || parsed === null) {
      endpoint.logger.warn('subgraph request failed', { url: endpoint.url, failure: 'bad-response', error: 'not an object', requestId: context.requestId });
      throw new SubgraphRequestError(service, 'bad-response');
    }
    return parsed as SubgraphResponse;
  };

  return {
    send,
    async close() {
      await Promise.all([...endpoints.values()].map((e) => e.pool.close().catch(() => undefined)));
    },
  };
}

/** A non-2xx answer: relay the subgraph's own GraphQL error if it sent one (the router masks it). */
function errorFromResponse(endpoint: Endpoint, service: string, status: number, contentType: string, text: string): GraphQLError {
  endpoint.logger.warn('subgraph answered with an HTTP error', { url: endpoint.url, status });
  let body: unknown;
  if (JSON_CONTENT.test(contentType)) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  const first = isRecord(body) && Array.isArray(body.errors) ? body.errors[0] : undefined;
  if (isRecord(first) && typeof first.message === 'string') {
    const code = isRecord(first.extensions) && typeof first.extensions.code === 'string' ? first.extensions.code : undefined;
    // The subgraph refused our signature: a deployment mistake (secrets differ, clocks apart) for
    // the operator, not something a client can act on, so the client sees the subgraph unavailable.
    if (code !== undefined && SIGNATURE_FAILURE_CODES.has(code)) {
      endpoint.logger.error('subgraph refused the router signature; check SUBGRAPH_<NAME>_SIGNING_SECRET against its ROUTER_SIGNING_SECRET, and the clocks', { code });
      return new SubgraphRequestError(service, 'unreachable');
    }
    return new GraphQLError(first.message, { extensions: { ...(code ? { code } : {}), serviceName: service } });
  }
  return new SubgraphRequestError(service, 'bad-response');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
