// The subgraph's HTTP fast path: a POST of a JSON operation whose text (and operationName) Apollo
// Server has already parsed, validated and resolved once is executed here with graphql-js directly,
// and answered exactly as Apollo Server would — same status, headers, body bytes, error formatting
// (the same `formatError`) and logging — minus Apollo Server's per-request pipeline (plugins,
// hashing, document store, negotiation). Anything unusual (a new document, introspection,
// `extensions`, batches, other media types, bad variables, a failing context) returns false
// before anything ran, and Apollo Server answers it as before.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import { BREAK, execute, getVariableValues, GraphQLError, visit, type DocumentNode, type ExecutionResult, type GraphQLFormattedError, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';

/** How many distinct operations the fast path remembers (a subgraph sees the router's few plans). */
export const KNOWN_OPERATIONS_LIMIT = 1_000;

interface KnownOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
}

/**
 * Documents Apollo Server validated, by query text and operationName. Least recently used first
 * out: a subgraph's documents come from the router's query plans, a small set served over and
 * over; LRU keeps that hot set through a burst of one-off operations, where clearing everything
 * when full would send the hot set back through Apollo Server. Refreshing on a hit is one Map
 * delete and set, nothing next to executing the operation.
 */
export class KnownOperations {
  private readonly entries = new Map<string, KnownOperation>();

  constructor(private readonly limit = KNOWN_OPERATIONS_LIMIT) {}

  get size(): number {
    return this.entries.size;
  }

  get(query: string, operationName: string | undefined): KnownOperation | undefined {
    const key = keyOf(query, operationName);
    const known = this.entries.get(key);
    if (known) {
      this.entries.delete(key);
      this.entries.set(key, known);
    }
    return known;
  }

  remember(query: string, operationName: string | undefined, known: KnownOperation): void {
    const key = keyOf(query, operationName);
    this.entries.delete(key);
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, known);
  }
}

// A valid GraphQL document never contains U+0000 (not even in a string literal), so the key of
// an operationName cannot collide with the key of a bare query.
const keyOf = (query: string, operationName: string | undefined) => (operationName === undefined ? query : `${operationName}\u0000${query}`);

/**
 * Records each operation Apollo Server resolved after validating it: queries and mutations only
 * (subscriptions are not served), and never introspection (left to Apollo Server, which applies
 * the `introspection` setting to it).
 */
export function rememberOperationsPlugin(known: KnownOperations): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ source, request, document, operation }) {
          if (!operation || operation.operation === 'subscription' || usesIntrospection(document)) return;
          known.remember(source, request.operationName, { document, operation });
        },
      };
    },
  };
}

function usesIntrospection(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value !== '__schema' && node.name.value !== '__type') return undefined;
      found = true;
      return BREAK;
    },
  });
  return found;
}

export interface SubgraphFastPathOptions<C> {
  schema: GraphQLSchema;
  known: KnownOperations;
  /** The same context function Apollo Server gets. */
  context: (req: IncomingMessage) => Promise<C>;
  /** The same `formatError` Apollo Server gets. */
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /** False while the server starts or stops: Apollo Server decides what to answer then. */
  isServing: () => boolean;
}

export interface SubgraphFastPath {
  /** `createGraphQLHandler`'s `shortcut`: answers and returns true, or false for Apollo Server. */
  shortcut(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<boolean>;
  /** Requests the fast path answered (tests prove which path answered with it). */
  readonly answered: number;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Apollo Server answers `application/json; charset=utf-8` to these `accept` headers. */
function acceptsPlainJson(accept: string | undefined): boolean {
  if (accept === undefined || accept === '' || accept === '*/*') return true;
  return /^application\/json(;\s*charset=utf-8)?$/i.test(accept.trim());
}

/** The operation a request body names, when it is one the fast path may serve. */
function readRequest(req: IncomingMessage, body: unknown): { query: string; operationName: string | undefined; variables: Record<string, unknown> | undefined } | null {
  if (req.method !== 'POST' || !isPlainObject(body) || !acceptsPlainJson(req.headers.accept)) return null;
  const { query, operationName, variables, extensions } = body;
  if (typeof query !== 'string') return null;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return null;
  if (variables !== undefined && variables !== null && !isPlainObject(variables)) return null;
  if (extensions !== undefined && extensions !== null) return null;
  return { query, operationName: operationName ?? undefined, variables: variables ?? undefined };
}

export function createSubgraphFastPath<C extends object>(options: SubgraphFastPathOptions<C>): SubgraphFastPath {
  const { schema, known } = options;
  let answered = 0;
  const shortcut = async (req: IncomingMessage, res: ServerResponse, body: unknown): Promise<boolean> => {
    if (!options.isServing()) return false;
    const request = readRequest(req, body);
    const prepared = request && known.get(request.query, request.operationName);
    if (!request || !prepared) return false;
    // Apollo Server's 400 BAD_USER_INPUT is its own to give: checked before anything runs.
    const coerced = getVariableValues(schema, prepared.operation.variableDefinitions ?? [], request.variables ?? {});
    if (coerced.errors) return false;
    let contextValue: C;
    try {
      contextValue = await options.context(req);
    } catch {
      return false; // Apollo Server builds it again and answers the failure (e.g. 401) as ever.
    }
    let text: string;
    let head: ResponseHead;
    try {
      // From here on the operation may have run (a mutation): whatever happens, never fall back —
      // except when graphql-js answers without `data`, which it does only when it refused the
      // request before resolving any field.
      const result = await execute({
        schema,
        document: prepared.document,
        // Apollo Server hands resolvers a shallow copy of the context, as here.
        contextValue: Object.assign(Object.create(Object.getPrototypeOf(contextValue) as object | null) as C, contextValue),
        variableValues: request.variables,
        operationName: request.operationName,
      });
      if (!('data' in result)) return false;
      ({ text, head } = answerOf(result, options.formatError));
    } catch (error) {
      // Apollo Server's answer when execution itself throws: that error alone, status 500.
      ({ text, head } = answerOf({ errors: [ensureGraphQLError(error)] }, options.formatError));
      head.status ??= 500;
    }
    answered += 1;
    send(res, head, text);
    return true;
  };
  return {
    shortcut,
    get answered() {
      return answered;
    },
  };
}

interface ResponseHead {
  status: number | undefined;
  headers: Map<string, string>;
}

/** Apollo Server's body for an execution result: `{errors, data, extensions}` and a newline. */
function answerOf(result: ExecutionResult, formatError: SubgraphFastPathOptions<unknown>['formatError']): { text: string; head: ResponseHead } {
  const head: ResponseHead = { status: undefined, headers: new Map() };
  const errors = result.errors?.map((error) => formatOne(error, formatError, head));
  const text = `${JSON.stringify({ errors, data: result.data, extensions: result.extensions })}\n`;
  return { text, head };
}

/**
 * Apollo Server's `normalizeAndFormatErrors` for one error, without stack traces (the kit never
 * includes them): the code defaults to INTERNAL_SERVER_ERROR, and an `extensions.http` status and
 * headers go to the response, not to the client.
 */
function formatOne(error: GraphQLError, formatError: SubgraphFastPathOptions<unknown>['formatError'], head: ResponseHead): GraphQLFormattedError {
  try {
    const extensions: Record<string, unknown> = { ...error.extensions, code: error.extensions.code ?? 'INTERNAL_SERVER_ERROR' };
    const http = extensions.http;
    if (isPartialHttpHead(http)) {
      if (http.status) head.status = http.status;
      if (http.headers) for (const [name, value] of http.headers) head.headers.set(name.toLowerCase(), value);
      delete extensions.http;
    }
    return formatError({ ...error.toJSON(), extensions }, error);
  } catch {
    return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
}

function isPartialHttpHead(value: unknown): value is { status?: number; headers?: Map<string, string> } {
  if (!isPlainObject(value)) return false;
  return (!('status' in value) || typeof value.status === 'number') && (!('headers' in value) || value.headers instanceof Map);
}

function ensureGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const original = error instanceof Error ? error : new GraphQLError(`Unexpected error value: ${String(error)}`);
  return original instanceof GraphQLError ? original : new GraphQLError(original.message, { originalError: original });
}

/**
 * Writes the answer as `createGraphQLHandler` writes Apollo Server's: headers in Apollo's order
 * (those from errors, then `cache-control`, then `content-type`), `content-length` left to Node.
 */
function send(res: ServerResponse, head: ResponseHead, text: string): void {
  // The kit's `uncacheableResponses` plugin: `no-store` unless an error set its own.
  if (!head.headers.has('cache-control')) head.headers.set('cache-control', 'no-store');
  if (!head.headers.has('content-type')) head.headers.set('content-type', 'application/json; charset=utf-8');
  for (const [name, value] of head.headers) res.setHeader(name, value);
  res.statusCode = head.status ?? 200;
  res.end(text);
}
