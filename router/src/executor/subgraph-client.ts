import { Pool } from 'undici';
import { GraphQLError } from 'graphql';
import { createRequestSigner, encodeIdentity, ErrorCode, IDENTITY_HEADER, SIGNATURE_HEADER, type Logger, type RequestSigner } from '@store/core';
import { SubgraphRequestError } from '../errors.ts';
import { REQUEST_ID_HEADER, type RouterContext } from '../request-context.ts';

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

/**
 * Sends one GraphQL request body (already serialised) to a subgraph. Throws a GraphQLError on
 * failure. `shareable`: the body is a query of a query operation, so an identical request in
 * flight may answer it (only when the client de-duplicates; never for mutations).
 */
export type SendToSubgraph = (service: string, body: string, context: Partial<RouterContext>, onCacheHint?: (hint: CacheHint) => void, shareable?: boolean) => Promise<SubgraphResponse>;

export interface SubgraphClientOptions {
  /** Subgraph name → URL (override-resolved). */
  urls: ReadonlyMap<string, string>;
  /** Subgraph name → the secret its requests are signed with (`x-store-signature`); others go unsigned. */
  signingSecrets?: ReadonlyMap<string, string>;
  /** Per request: connect, headers and body. */
  timeoutMs: number;
  logger: Logger;
  /**
   * Identical shareable requests in flight (same subgraph, body, identity and forwarded headers
   * but the request id) make one subgraph call whose answer each caller reads. Default false.
   */
  deduplicate?: boolean;
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

/**
 * Signs a request about to be sent to `endpoint` (`x-store-signature`), when it has a secret: over
 * what `exchange` sends (POST to the endpoint's path), the body and the identity header. Once per
 * request sent, so a de-duplicated call is signed by its leader alone.
 */
function signRequest(endpoint: Endpoint, headers: Record<string, string>, body: string, identity: string | undefined): void {
  if (endpoint.sign) headers[SIGNATURE_HEADER] = endpoint.sign({ method: 'POST', path: endpoint.path, body, identity });
}

/** A subgraph's answer before it is read: what a de-duplicated call hands each of its callers. */
interface RawAnswer {
  status: number;
  contentType: string;
  cacheControl: string | undefined;
  text: string;
}

/** A de-duplicated subgraph call in flight and the callers waiting for it. */
interface SharedCall {
  answer: Promise<RawAnswer>;
  waiters: number;
  settled: boolean;
  /** Stops the call once no caller waits for it any more. */
  cancel: AbortController;
  /** The caller whose request (headers, signature) was sent. */
  requestId: string | undefined;
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

  /**
   * One HTTP exchange; transport failures (timeout, connection) become `SubgraphRequestError`s.
   * `cancelled`: aborted when no caller waits any more (nothing to log then).
   */
  const exchange = async (endpoint: Endpoint, service: string, headers: Record<string, string>, body: string, signal: AbortSignal, requestId: string | undefined, cancelled?: AbortSignal): Promise<RawAnswer> => {
    try {
      const response = await endpoint.pool.request({ path: endpoint.path, method: 'POST', headers, body, signal });
      const contentType = response.headers['content-type'];
      const cacheControl = response.headers['cache-control'];
      return {
        status: response.statusCode,
        contentType: (Array.isArray(contentType) ? contentType[0] : contentType) ?? '',
        cacheControl: Array.isArray(cacheControl) ? cacheControl.join(', ') : cacheControl,
        text: await response.body.text(),
      };
    } catch (error) {
      const failure = signal.aborted ? 'timeout' : 'unreachable';
      const cause = (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : undefined;
      if (!cancelled?.aborted) endpoint.logger.warn('subgraph request failed', { url: endpoint.url, failure, error: (error as Error).message, cause, requestId });
      throw new SubgraphRequestError(service, failure);
    }
  };

  // De-duplication of identical queries in flight (in flight only: a call leaves the map as it
  // settles, so nothing is cached). The shared call runs under the subgraph timeout alone, not a
  // caller's deadline: a caller that gives up leaves the others waiting.
  const deduplicate = options.deduplicate === true;
  const inFlight = new Map<string, SharedCall>();
  let deduplicated = 0;

  const lead = (endpoint: Endpoint, service: string, key: string, headers: Record<string, string>, body: string, identity: string | undefined, requestId: string | undefined): SharedCall => {
    const cancel = new AbortController();
    const timeout = stageTimeout();
    const signal = AbortSignal.any([timeout.signal, cancel.signal]);
    // The leader's request is the one sent, and signed (a signature is per request, not in the key).
    signRequest(endpoint, headers, body, identity);
    const call: SharedCall = { answer: null!, waiters: 0, settled: false, cancel, requestId };
    call.answer = (async () => {
      try {
        return await exchange(endpoint, service, headers, body, signal, requestId, cancel.signal);
      } finally {
        call.settled = true;
        if (inFlight.get(key) === call) inFlight.delete(key);
        settled(timeout);
      }
    })();
    // Every waiter may have left (its own deadline) before the call fails.
    call.answer.catch(() => undefined);
    inFlight.set(key, call);
    return call;
  };

  /** The shared call's answer for one caller, or that caller's own timeout when its signal aborts first. */
  const waitFor = async (call: SharedCall, key: string, endpoint: Endpoint, service: string, context: Partial<RouterContext>): Promise<RawAnswer> => {
    call.waiters++;
    const signal = context.signal;
    let gaveUp = false;
    try {
      if (!signal) return await call.answer;
      return await new Promise<RawAnswer>((resolve, reject) => {
        const onAbort = () => {
          gaveUp = true;
          reject(new SubgraphRequestError(service, 'timeout'));
        };
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        call.answer.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      });
    } catch (error) {
      if (!(error instanceof SubgraphRequestError)) throw error;
      // The shared call's own failure was logged once, by `exchange`.
      if (gaveUp) endpoint.logger.warn('subgraph request failed', { url: endpoint.url, failure: 'timeout', shared: true, requestId: context.requestId });
      // Each caller gets its own error object: callers' errors are formatted separately.
      throw new SubgraphRequestError(service, error.failure);
    } finally {
      if (--call.waiters === 0 && !call.settled) {
        if (inFlight.get(key) === call) inFlight.delete(key);
        call.cancel.abort();
      }
    }
  };

  const send: SendToSubgraph = async (service, body, context, onCacheHint, shareable) => {
    const endpoint = endpoints.get(service);
    if (!endpoint) throw new Error(`Couldn't find service with name "${service}"`);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (context.forwardedHeaders) for (const name in context.forwardedHeaders) headers[name] = context.forwardedHeaders[name]!;
    const identity = context.identity ? encodeIdentity(context.identity) : undefined;
    if (identity !== undefined) headers[IDENTITY_HEADER] = identity;
    let answer: RawAnswer;
    if (deduplicate && shareable === true) {
      const key = sharingKey(service, headers, body);
      let call = inFlight.get(key);
      if (call) {
        deduplicated++;
        endpoint.logger.debug('subgraph request de-duplicated', { requestId: context.requestId, leaderRequestId: call.requestId, deduplicated });
      } else {
        call = lead(endpoint, service, key, headers, body, identity, context.requestId);
      }
      answer = await waitFor(call, key, endpoint, service, context);
    } else {
      signRequest(endpoint, headers, body, identity);
      // The request's deadline (when the router runs with one) also stops this call.
      const timeout = stageTimeout();
      const signal = context.signal ? AbortSignal.any([timeout.signal, context.signal]) : timeout.signal;
      try {
        answer = await exchange(endpoint, service, headers, body, signal, context.requestId);
      } finally {
        settled(timeout);
      }
    }
    return readAnswer(endpoint, service, answer, context, onCacheHint);
  };

  return {
    send,
    async close() {
      await Promise.all([...endpoints.values()].map((e) => e.pool.close().catch(() => undefined)));
    },
  };
}

/**
 * What makes two requests interchangeable: subgraph, every header that can change the answer
 * (identity, forwarded client headers) and the body. The request id is left out (it only names
 * the request in logs), so is the signature (added to the leader's request alone). Header names
 * and values hold no NUL, so the parts cannot run into each other.
 */
function sharingKey(service: string, headers: Readonly<Record<string, string>>, body: string): string {
  let key = service;
  for (const name of Object.keys(headers).sort()) {
    if (name !== REQUEST_ID_HEADER) key += `\u0000${name}\u0000${headers[name]}`;
  }
  return `${key}\u0000\u0000${body}`;
}

/** Reads an answer into the caller's own response object (callers of a shared call parse it each). */
function readAnswer(endpoint: Endpoint, service: string, answer: RawAnswer, context: Partial<RouterContext>, onCacheHint: ((hint: CacheHint) => void) | undefined): SubgraphResponse {
  const { status, contentType, text } = answer;
  if (onCacheHint && status >= 200 && status <= 299) onCacheHint(cacheHintOf(answer.cacheControl));
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
