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
