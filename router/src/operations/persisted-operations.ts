// Persisted operations at the router, before anything parses or validates a document:
// - `apq` (default): any operation, plus Automatic Persisted Queries (Apollo's protocol,
//   `extensions.persistedQuery: { version: 1, sha256Hash }`) and the manifests' operations by hash;
// - `safelist`: only the manifests' operations, sent by hash (`persistedQuery` or `documentId`) or
//   as a document that is a manifest's, exactly or up to whitespace, commas and comments;
// - `off`: documents only.
// A resolved request is rewritten to `{ query, operationName, variables }`, so it takes the same
// path (the fast path included) as a request that sent the document itself. Apollo Server's own
// APQ is off (server.ts): this is the only place persisted queries are handled.
import type { IncomingMessage } from 'node:http';
import { ErrorCode, type Logger, type PreparedHttpRequest, type PrepareRequestResult } from '@store/core';
import { createMemoryStore, type PersistedQueryStore } from './apq-store.ts';
import { EMPTY_MANIFEST, normalizedHashOf, sha256Hex, type ManifestIndex, type PersistedOperation } from './manifest.ts';

export const PERSISTED_OPERATIONS_MODES = ['off', 'apq', 'safelist'] as const;
export type PersistedOperationsMode = (typeof PERSISTED_OPERATIONS_MODES)[number];

export interface PersistedOperationsOptions {
  mode: PersistedOperationsMode;
  /** Operations accepted by hash (all modes but `off`); in `safelist` mode the only ones. */
  manifest?: ManifestIndex;
  /** Where APQ registrations go (`apq` mode). Default: an in-memory LRU of this replica. */
  store?: PersistedQueryStore;
  logger: Logger;
}

export type PrepareRequest = (req: IncomingMessage, request: PreparedHttpRequest) => Promise<PrepareRequestResult>;

// Apollo Server's answers, so APQ clients (Apollo Client's persisted-queries link...) behave the
// same: 200 with the code, and never cached by a CDN (APQ GET requests are meant to be cacheable).
const APQ_ERROR_HEADERS = { 'cache-control': 'private, no-cache, must-revalidate' };
export const PERSISTED_QUERY_NOT_FOUND_MESSAGE = 'PersistedQueryNotFound';
export const PERSISTED_QUERY_NOT_SUPPORTED_MESSAGE = 'PersistedQueryNotSupported';
export const HASH_MISMATCH_MESSAGE = 'provided sha does not match query';
export const notInListMessage = (how: 'hash' | 'document') =>
  how === 'hash'
    ? 'This router only runs persisted operations, and the hash sent is not one of them.'
    : 'This router only runs persisted operations: send one of them by its sha256 hash (extensions.persistedQuery or documentId) or its exact document.';

const refuse = (status: number, code: string, message: string, headers?: Record<string, string>): PrepareRequestResult => ({ ok: false, status, code, message, ...(headers ? { headers } : {}) });
const notFound = () => refuse(200, 'PERSISTED_QUERY_NOT_FOUND', PERSISTED_QUERY_NOT_FOUND_MESSAGE, APQ_ERROR_HEADERS);
const notSupported = () => refuse(200, 'PERSISTED_QUERY_NOT_SUPPORTED', PERSISTED_QUERY_NOT_SUPPORTED_MESSAGE, APQ_ERROR_HEADERS);
const badRequest = (message: string) => refuse(400, 'BAD_REQUEST', message);
const notInList = (how: 'hash' | 'document') => refuse(403, ErrorCode.PERSISTED_QUERY_NOT_IN_LIST, notInListMessage(how));

const SHA256_HEX = /^[0-9a-f]{64}$/i;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The fields of one GraphQL request this step reads, from a POST body or a GET query string. */
interface RequestFields {
  query: unknown;
  documentId: unknown;
  extensions: Record<string, unknown> | undefined;
}

type Resolution =
  | { kind: 'unchanged' }
  | { kind: 'resolved'; query: string; extensions: Record<string, unknown> | undefined }
  | { kind: 'refused'; result: PrepareRequestResult };

export function createPersistedOperations(options: PersistedOperationsOptions): PrepareRequest {
  const { mode, logger } = options;
  const manifest = options.manifest ?? EMPTY_MANIFEST;
  const store = options.store ?? createMemoryStore();
  // Safelist: documents already matched once (exact text → operation), so a client that sends the
  // same reformatted document again costs one hash, not a re-lex. Bounded, oldest dropped first.
  const matched = new Map<string, PersistedOperation>();
  const MATCHED_MAX = 1000;

  const matchDocument = (query: string): PersistedOperation | undefined => {
    const exact = sha256Hex(query);
    const known = manifest.byHash.get(exact) ?? matched.get(exact);
    if (known) return known;
    const normalized = normalizedHashOf(query);
    const found = normalized === null ? undefined : manifest.byNormalizedHash.get(normalized);
    if (found) {
      matched.set(exact, found);
      if (matched.size > MATCHED_MAX) matched.delete(matched.keys().next().value!);
    }
    return found;
  };

  const resolve = async (fields: RequestFields): Promise<Resolution> => {
    const persistedQuery = fields.extensions?.persistedQuery;
    const { persistedQuery: _apq, ...otherExtensions } = fields.extensions ?? {};
    const extensions = Object.keys(otherExtensions).length > 0 ? otherExtensions : undefined;
    const query = typeof fields.query === 'string' && fields.query !== '' ? fields.query : undefined;

    let hash: string | undefined;
    let via: 'apq' | 'documentId' | undefined;
    if (persistedQuery !== undefined && persistedQuery !== null) {
      if (mode === 'off') return { kind: 'refused', result: notSupported() };
      if (!isPlainObject(persistedQuery) || persistedQuery.version !== 1) return { kind: 'refused', result: badRequest('Unsupported persisted query version') };
      if (typeof persistedQuery.sha256Hash !== 'string' || !SHA256_HEX.test(persistedQuery.sha256Hash)) {
        return { kind: 'refused', result: badRequest('extensions.persistedQuery.sha256Hash must be a hex sha256') };
      }
      hash = persistedQuery.sha256Hash.toLowerCase();
      via = 'apq';
    } else if (fields.documentId !== undefined && fields.documentId !== null) {
      if (mode === 'off') return { kind: 'refused', result: notSupported() };
      const id = typeof fields.documentId === 'string' ? fields.documentId.replace(/^sha256:/i, '') : '';
      if (!SHA256_HEX.test(id)) return { kind: 'refused', result: badRequest('documentId must be a hex sha256 (optionally prefixed "sha256:")') };
      hash = id.toLowerCase();
      via = 'documentId';
    }

    if (hash !== undefined) {
      // APQ's registration (hash and document together): the document must be the hash's.
      if (via === 'apq' && query !== undefined && sha256Hex(query) !== hash) return { kind: 'refused', result: badRequest(HASH_MISMATCH_MESSAGE) };
      const persisted = manifest.byHash.get(hash);
      if (persisted) return { kind: 'resolved', query: persisted.document, extensions };
      if (mode === 'safelist') return { kind: 'refused', result: notInList('hash') };
      if (via === 'apq' && query !== undefined) {
        await store.set(hash, query);
        return { kind: 'resolved', query, extensions };
      }
      const registered = await store.get(hash);
      if (registered === undefined) return { kind: 'refused', result: notFound() };
      return { kind: 'resolved', query: registered, extensions };
    }

    if (mode !== 'safelist' || query === undefined) return { kind: 'unchanged' };
    const persisted = matchDocument(query);
    if (!persisted) return { kind: 'refused', result: notInList('document') };
    return { kind: 'resolved', query: persisted.document, extensions };
  };

  return async (req, request) => {
    if (req.method === 'GET' || req.method === 'HEAD') return prepareGet(request);
    return preparePost(request);
  };

  async function preparePost(request: PreparedHttpRequest): Promise<PrepareRequestResult> {
    const { body } = request;
    if (!isPlainObject(body)) {
      // Batches and non-JSON bodies: Apollo Server refuses them (batching is off), but a safelist
      // does not rely on that.
      if (mode === 'safelist' && body !== undefined) return notInList('document');
      return { ok: true, ...request };
    }
    if (body.extensions !== undefined && body.extensions !== null && !isPlainObject(body.extensions)) return badRequest('extensions must be an object');
    const resolution = await resolve({ query: body.query, documentId: body.documentId, extensions: (body.extensions ?? undefined) as Record<string, unknown> | undefined });
    if (resolution.kind === 'refused') return logRefusal(resolution.result, body.operationName);
    if (resolution.kind === 'unchanged') return { ok: true, ...request };
    const rewritten: Record<string, unknown> = { query: resolution.query };
    if (body.operationName !== undefined) rewritten.operationName = body.operationName;
    if (body.variables !== undefined) rewritten.variables = body.variables;
    if (resolution.extensions) rewritten.extensions = resolution.extensions;
    return { ok: true, body: rewritten, search: request.search };
  }

  async function prepareGet(request: PreparedHttpRequest): Promise<PrepareRequestResult> {
    const params = new URLSearchParams(request.search);
    let extensions: Record<string, unknown> | undefined;
    const extensionsText = params.get('extensions');
    if (extensionsText !== null && extensionsText !== '') {
      try {
        const parsed: unknown = JSON.parse(extensionsText);
        if (!isPlainObject(parsed)) return badRequest('extensions must be a JSON object');
        extensions = parsed;
      } catch {
        return badRequest('extensions in the query string is not valid JSON');
      }
    }
    const resolution = await resolve({ query: params.get('query') ?? undefined, documentId: params.get('documentId') ?? undefined, extensions });
    if (resolution.kind === 'refused') return logRefusal(resolution.result, params.get('operationName'));
    if (resolution.kind === 'unchanged') return { ok: true, ...request };
    params.set('query', resolution.query);
    params.delete('documentId');
    if (resolution.extensions) params.set('extensions', JSON.stringify(resolution.extensions));
    else params.delete('extensions');
    return { ok: true, body: request.body, search: `?${params.toString()}` };
  }

  function logRefusal(result: PrepareRequestResult, operationName: unknown): PrepareRequestResult {
    // Debug only: anyone can send these, and a refusal costs the router nothing.
    if (!result.ok) logger.debug('persisted operation refused', { code: result.code, operationName: typeof operationName === 'string' ? operationName.slice(0, 100) : null });
    return result;
  }
}
