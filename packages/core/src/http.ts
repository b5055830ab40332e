import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLRequest } from '@apollo/server';
import { ErrorCode } from './errors.ts';
import type { Logger } from './logger.ts';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** An extra route (health, explorer...). Returns true when it answered the request. */
export type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>;

export interface GraphQLHandlerOptions<C extends BaseContext> {
  apollo: ApolloServer<C>;
  /** Builds the per-request context. May throw a GraphQLError carrying `extensions.http.status`. */
  context: (req: IncomingMessage) => Promise<C>;
  logger: Logger;
  /** Path GraphQL is served on. Default `/graphql`. */
  path?: string;
  /** `GET /ready` answers 200 only while this returns true. Default: always ready. */
  isReady?: () => boolean;
  /** Largest accepted request body. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Routes tried before GraphQL, in order. */
  routes?: Route[];
  /**
   * Tried with each parsed request body before Apollo Server: answers the request and returns
   * true, or returns false to let Apollo Server answer (e.g. a router's fast path).
   */
  shortcut?: (req: IncomingMessage, res: ServerResponse, body: unknown) => boolean | Promise<boolean>;
  /**
   * Sees every request to `path` with its raw body text, before the body is parsed: throws an
   * `HttpError` to refuse it (e.g. a subgraph checking the router's signature).
   */
  verifyRequest?: (req: IncomingMessage, rawBody: string) => void | Promise<void>;
  /**
   * Runs on each parsed request (POST body, GET query string) before `shortcut` and Apollo Server:
   * returns the request to serve (e.g. a persisted operation's hash resolved to its document, so
   * it takes the fast path too) or a refusal to send as is.
   */
  prepareRequest?: (req: IncomingMessage, request: PreparedHttpRequest) => PrepareRequestResult | Promise<PrepareRequestResult>;
}

/** The parts of a GraphQL request `prepareRequest` may rewrite. */
export interface PreparedHttpRequest {
  /** The parsed body (POST); `undefined` for GET. */
  body: unknown;
  /** The URL's query string with its `?` (GET operations), or `''`. */
  search: string;
}

export type PrepareRequestResult =
  | ({ ok: true } & PreparedHttpRequest)
  | { ok: false; status: number; code: string; message: string; headers?: Record<string, string> };

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** A GraphQL-shaped error response for problems found before GraphQL execution. */
export function sendGraphQLError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `Request body exceeds ${limit} bytes.`);
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop early (413) must not destroy the socket before the answer is written.
  for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `Request body exceeds ${limit} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The largest request body `createGraphQLHandler` accepts unless told otherwise. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * After a refusal answered before the body was read (413, 429), reads and drops what the client
 * still sends (up to a few times the limit, then closes). Closing at once, with unread data,
 * resets the connection: a client still uploading sees ECONNRESET instead of the answer.
 */
export function discardRestOfBody(req: IncomingMessage, limit: number): void {
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > 4 * limit) req.destroy();
  });
  req.resume();
}

function parseBody(text: string, contentType: string): unknown {
  if (text.length === 0) return undefined;
  if (!/^application\/(graphql-response\+)?json\b/i.test(contentType)) return text;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'BAD_REQUEST', `Malformed JSON body: ${(error as Error).message}`);
  }
}

/**
 * Serves an Apollo Server over plain `node:http`, with `GET /health` (liveness) and `GET /ready`
 * (readiness). We own this small integration instead of pulling in a web framework: it keeps the
 * request path short and makes body limits and malformed-input answers explicit.
 */
export function createGraphQLHandler<C extends BaseContext>(options: GraphQLHandlerOptions<C>): RequestHandler {
  const path = options.path ?? '/graphql';
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const isReady = options.isReady ?? (() => true);
  const routes = options.routes ?? [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/health') return sendJson(res, 200, { status: 'ok' });
    if (req.method === 'GET' && url.pathname === '/ready') {
      return isReady() ? sendJson(res, 200, { status: 'ready' }) : sendJson(res, 503, { status: 'starting' });
    }
    for (const route of routes) if (await route(req, res, url)) return;
    if (url.pathname !== path) return sendGraphQLError(res, 404, ErrorCode.NOT_FOUND, `Not found: ${url.pathname}`);

    const text = req.method === 'GET' || req.method === 'HEAD' ? '' : await readBody(req, limit);
    if (options.verifyRequest) await options.verifyRequest(req, text);
    let body = parseBody(text, req.headers['content-type'] ?? '');
    let search = url.search;
    if (options.prepareRequest) {
      const prepared = await options.prepareRequest(req, { body, search });
      if (!prepared.ok) return sendJson(res, prepared.status, { errors: [{ message: prepared.message, extensions: { code: prepared.code } }] }, prepared.headers);
      ({ body, search } = prepared);
    }
    if (options.shortcut && (await options.shortcut(req, res, body))) return;
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const httpGraphQLRequest: HTTPGraphQLRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      headers,
      search,
      body,
    };
    const response = await options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest,
      context: () => options.context(req),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof HttpError) {
        if (error.status === 413) discardRestOfBody(req, limit);
        if (!res.headersSent) sendGraphQLError(res, error.status, error.code, error.message);
        return;
      }
      options.logger.error('request failed', { error });
      if (!res.headersSent) sendGraphQLError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      else res.destroy();
    });
  };
}

export interface RunningServer {
  server: Server;
  port: number;
  url: string;
  /** Stops accepting connections, lets in-flight requests finish (up to `graceMs`), then closes. */
  close(graceMs?: number): Promise<void>;
}

export function createHttpServer(handler: RequestHandler, options: { requestTimeoutMs?: number } = {}): Server {
  // Node checks its request and header timeouts every `connectionsCheckingInterval` (30 s by
  // default): every second, so a request deadline of a few seconds is kept to about a second.
  const server = createServer({ connectionsCheckingInterval: 1_000 }, handler);
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  if (options.requestTimeoutMs !== undefined) {
    // A client that has not sent its whole request (headers and body) by then gets 408 and the
    // connection is closed: a slow upload cannot hold a socket past the request's deadline.
    server.requestTimeout = options.requestTimeoutMs;
    server.headersTimeout = Math.min(server.headersTimeout, options.requestTimeoutMs);
  }
  return server;
}

export async function listen(server: Server, port: number, host = '127.0.0.1'): Promise<RunningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    server,
    port: address.port,
    url: `http://${shownHost}:${address.port}`,
    close: (graceMs = 10_000) => closeGracefully(server, graceMs),
  };
}

export async function closeGracefully(server: Server, graceMs: number): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  timer.unref();
  await closed;
  clearTimeout(timer);
}

/**
 * Runs `stop` once on SIGTERM or SIGINT, then exits. A second signal exits at once.
 */
export function onShutdownSignal(stop: (signal: NodeJS.Signals) => Promise<void>, logger: Logger): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    logger.info('shutting down', { signal });
    stop(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
