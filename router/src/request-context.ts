import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Identity } from '@store/core';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * Client headers that reach subgraphs. Everything else (cookies, Authorization, any forged
 * `x-store-identity`...) stops at the router; the identity travels only as the router's own
 * verified header.
 */
export const FORWARDED_CLIENT_HEADERS = [REQUEST_ID_HEADER, 'accept-language'] as const;

/** Per-request state of the router, handed by the gateway to every subgraph request. */
export interface RouterContext {
  /** The verified caller; `null` for anonymous requests. */
  identity: Identity | null;
  requestId: string;
  /** Allow-listed client headers (lower-case names), forwarded to subgraphs. */
  forwardedHeaders: Readonly<Record<string, string>>;
  /** Aborted when the request's deadline passes (`REQUEST_TIMEOUT_MS`): in-flight subgraph calls stop. */
  signal?: AbortSignal;
  /**
   * `performance.now()` at which the request's `REQUEST_TIMEOUT_MS`, counted from its arrival
   * (before its body was read), runs out. Absent without a deadline, or outside the HTTP server.
   */
  deadline?: number;
  /** The calling app, as it names itself (for the usage log; never trusted for access). */
  client?: ClientInfo;
}

/** `apollographql-client-name`/`-version` (or `graphql-client-name`/`-version`) headers. */
export interface ClientInfo {
  name: string | null;
  version: string | null;
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** The client's `x-request-id` when it is short and plain, otherwise a fresh UUID. */
export function requestIdOf(headers: IncomingHttpHeaders): string {
  const value = headers[REQUEST_ID_HEADER];
  return typeof value === 'string' && SAFE_REQUEST_ID.test(value) ? value : randomUUID();
}

export function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const MAX_FORWARDED_HEADER_LENGTH = 256;

export function forwardedHeadersOf(req: IncomingMessage, requestId: string): Record<string, string> {
  const headers: Record<string, string> = { [REQUEST_ID_HEADER]: requestId };
  for (const name of FORWARDED_CLIENT_HEADERS) {
    if (name === REQUEST_ID_HEADER) continue;
    const value = singleHeader(req.headers[name]);
    if (value !== undefined && value.length <= MAX_FORWARDED_HEADER_LENGTH) headers[name] = value;
  }
  return headers;
}

const MAX_CLIENT_HEADER_LENGTH = 64;

/** A client header, cut to a bounded length, or `null` when absent or empty. */
function clientHeader(headers: IncomingHttpHeaders, names: readonly string[]): string | null {
  for (const name of names) {
    const value = singleHeader(headers[name])?.trim();
    if (value) return value.slice(0, MAX_CLIENT_HEADER_LENGTH);
  }
  return null;
}

export function clientInfoOf(headers: IncomingHttpHeaders): ClientInfo {
  return {
    name: clientHeader(headers, ['apollographql-client-name', 'graphql-client-name']),
    version: clientHeader(headers, ['apollographql-client-version', 'graphql-client-version']),
  };
}
