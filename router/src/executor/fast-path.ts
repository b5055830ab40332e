// The HTTP fast path: a POST of a JSON operation that Apollo Server has already parsed, validated
// and run once (so the executor holds it prepared) is answered here directly, with the same
// response Apollo Server would send — same status, headers, error formatting and logging — minus
// Apollo Server's per-request pipeline. Anything else (a new document, an invalid one, bad
// variables, persisted queries, batches, other media types, a failed authentication) returns
// false and is answered by Apollo Server as before.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from '@store/core';
import type { RouterContext } from '../request-context.ts';
import { JsonWriter } from './json-writer.ts';
import { asGraphQLError, operationKey, type ExecutionResult, type PlanExecutor } from './plan-executor.ts';
import type { CacheHint } from './subgraph-client.ts';
import { COST_HEADER, wantsCostReport } from '../limits/errors.ts';

export interface FastPathOptions {
  /** The executor, available once the server has started. */
  executor: () => PlanExecutor | null;
  /** The same context function Apollo Server gets (authentication, request id, headers). */
  context: (req: IncomingMessage) => Promise<RouterContext>;
  /** The same `formatError` Apollo Server gets. */
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  logger: Logger;
  /** Requests left to Apollo Server whatever they ask (e.g. those a plugin answers differently). */
  bypass?: (req: IncomingMessage) => boolean;
}

/** Answers the request and returns true, or returns false to leave it to Apollo Server. */
export type FastPath = (req: IncomingMessage, res: ServerResponse, body: unknown) => Promise<boolean>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Apollo Server answers `application/json; charset=utf-8` to these `accept` headers. */
function acceptsPlainJson(accept: string | undefined): boolean {
  if (accept === undefined || accept === '' || accept === '*/*') return true;
  return /^application\/json(;\s*charset=utf-8)?$/i.test(accept.trim());
}

export function createFastPath(options: FastPathOptions): FastPath {
  const { logger } = options;
  return async (req, res, body) => {
    if (req.method !== 'POST' || !isPlainObject(body)) return false;
    const { query, operationName, variables, extensions } = body;
    if (typeof query !== 'string') return false;
    if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return false;
    if (variables !== undefined && variables !== null && !isPlainObject(variables)) return false;
    if (extensions !== undefined && extensions !== null) return false;
    if (!acceptsPlainJson(req.headers.accept)) return false;
    if (options.bypass?.(req)) return false;
    const executor = options.executor();
    const prepared = executor?.lookup(operationKey(query, operationName));
    if (!executor || !prepared) return false;

    let context: RouterContext;
    try {
      context = await options.context(req);
    } catch {
      return false; // Apollo Server answers (401 and the rest), the same way as ever.
    }
    let result: ExecutionResult;
    try {
      result = await executor.execute(prepared, variables ?? undefined, context);
    } catch (error) {
      // A bug, not a subgraph failure (those are errors in the result): never run it twice.
      logger.error('request failed', { requestId: context.requestId, error });
      res.statusCode = 500;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end('{"errors":[{"message":"Internal server error","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}\n');
      return true;
    }
    const costExtension = result.cost && wantsCostReport(req.headers[COST_HEADER]) ? { cost: result.cost } : undefined;
    // Refused or cut short by the router (cost over the maximum, deadline passed): the errors alone
    // with their status, as Apollo Server answers them; never run again there.
    if (result.status !== undefined && result.errors?.length) {
      const refusal = result.errors.map((error) => formatOne(error, options.formatError));
      logErrors(logger, context, prepared.operationName, result.errors);
      const text = `${JSON.stringify({ errors: refusal, ...(costExtension && { extensions: costExtension }) })}\n`;
      res.statusCode = result.status;
      res.setHeader('cache-control', 'no-store');
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.setHeader('content-length', Buffer.byteLength(text));
      res.end(text);
      return true;
    }
    // Variable coercion errors: Apollo Server's 400 BAD_USER_INPUT.
    if (result.variablesRejected || !result.writeData) return false;
    const writer = new JsonWriter(prepared.answerBytes + 1024);
    // Apollo Server's field order (errors, data, extensions) and its trailing newline.
    let errors = result.errors;
    writer.ascii('{');
    let formatted = errors?.length ? errors.map((error) => formatOne(error, options.formatError)) : undefined;
    if (formatted) writer.raw(`"errors":${JSON.stringify(formatted)},`);
    writer.ascii('"data":');
    let shapingErrors: GraphQLError[] = [];
    try {
      shapingErrors = result.writeData(writer);
    } catch (error) {
      // The gateway's answer when its post-processing throws: that error alone.
      errors = [asGraphQLError(error)];
      formatted = errors.map((e) => formatOne(e, options.formatError));
      writer.rewind(0);
      writer.raw(`{"errors":${JSON.stringify(formatted)}`);
    }
    const valueCompletion = !errors?.length && shapingErrors.length > 0 ? { valueCompletion: shapingErrors } : undefined;
    if (valueCompletion || costExtension) writer.raw(`,"extensions":${JSON.stringify({ ...valueCompletion, ...costExtension })}`);
    writer.ascii('}\n');
    if (errors?.length) logErrors(logger, context, prepared.operationName, errors);
    res.statusCode = 200;
    res.setHeader('cache-control', cacheControl(result, formatted !== undefined));
    res.setHeader('content-type', 'application/json; charset=utf-8');
    const answer = writer.bytes();
    res.setHeader('content-length', answer.length);
    res.end(answer);
    return true;
  };
}

/** Apollo Server's `normalizeAndFormatErrors` for one error (no stack traces). */
function formatOne(error: Error, formatError: FastPathOptions['formatError']): GraphQLFormattedError {
  try {
    const graphQLError = error instanceof GraphQLError ? error : new GraphQLError(error.message, { originalError: error });
    const extensions = { ...graphQLError.extensions, code: graphQLError.extensions.code ?? 'INTERNAL_SERVER_ERROR' };
    delete (extensions as Record<string, unknown>).http;
    return formatError({ ...graphQLError.toJSON(), extensions }, error);
  } catch {
    return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
}

/** Apollo Server's cache-control plugin on the subgraphs' hints (as RemoteGraphQLDataSource reports them). */
function cacheControl(result: ExecutionResult, hasErrors: boolean): string {
  let maxAge: number | undefined;
  let scope: CacheHint['scope'];
  for (const hint of result.cacheHints) {
    if (maxAge === undefined || hint.maxAge < maxAge) maxAge = hint.maxAge;
    if (hint.scope !== undefined && scope !== 'PRIVATE') scope = hint.scope;
  }
  if (maxAge === undefined || maxAge === 0 || hasErrors) return 'no-store';
  return `max-age=${maxAge}, ${(scope ?? 'PUBLIC').toLowerCase()}`;
}

/** What the router's error-log plugin records for requests Apollo Server answers. */
function logErrors(logger: Logger, context: RouterContext, operationName: string | undefined, errors: readonly Error[]): void {
  logger.warn('request failed', {
    requestId: context.requestId,
    operationName: operationName ?? null,
    errors: errors.map((e) => {
      const g = e instanceof GraphQLError ? e : undefined;
      return { message: e.message, code: g?.extensions.code, path: g?.path, serviceName: g?.extensions.serviceName };
    }),
  });
}
