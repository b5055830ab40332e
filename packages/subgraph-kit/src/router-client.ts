import { z } from 'zod';

/**
 * A subgraph cannot read another team's database, so when it needs another subgraph's data it
 * asks the router, like any other client, as its own SERVICE identity. This is that call: one
 * POST with a bearer token and a deadline, whose answer counts only when it is a GraphQL response
 * with data of the expected shape and no errors.
 */
export interface RouterClientOptions {
  /** The router's GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  routerUrl: string;
  /** The bearer token that identifies this service to the router (see `createServiceTokenSource`). */
  token: () => Promise<string>;
  /** Give up after this long. Default 3000 ms: a write should not hang on another subgraph. */
  timeoutMs?: number;
}

export const DEFAULT_ROUTER_TIMEOUT_MS = 3000;

/** One GraphQL error of the router's answer. */
export interface RouterGraphQLError {
  message: string;
  /** `extensions.code`, when the error has one. */
  code?: string;
}

/**
 * Why the router gave no usable answer: it did not answer (down, slow, not JSON); it answered a
 * non-2xx status or a body not of the expected shape; it answered with GraphQL errors (partial
 * data with errors, e.g. a subgraph down behind it, is not an answer); or it answered without data.
 */
export type RouterUnavailableReason = 'no-answer' | 'unexpected-body' | 'graphql-errors' | 'no-data';

/** The router could not answer (down, slow, or refusing us): neither yes nor no. */
export class RouterUnavailableError extends Error {
  override readonly name = 'RouterUnavailableError';
  constructor(
    message: string,
    readonly reason: RouterUnavailableReason,
    /** The GraphQL errors of the answer (`graphql-errors` only). */
    readonly errors: readonly RouterGraphQLError[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface RouterClient {
  /**
   * Runs `document` with `variables` and returns its `data`, parsed with `dataSchema`. Rejects
   * with `RouterUnavailableError` when the router gives no usable answer.
   */
  request<S extends z.ZodType>(document: string, variables: Record<string, unknown>, dataSchema: S): Promise<z.output<S>>;
}

const errorsSchema = z.array(z.object({ message: z.string() }).loose()).optional();

function codeOf(error: Record<string, unknown>): string | undefined {
  const extensions = error.extensions;
  const code = extensions && typeof extensions === 'object' ? (extensions as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

type RouterResponse = { data?: unknown; errors?: z.infer<typeof errorsSchema> };
// Built once per data schema, not per request (zod prepares a schema on its first parse).
const responseSchemas = new WeakMap<z.ZodType, z.ZodType<RouterResponse>>();
function responseSchemaFor(dataSchema: z.ZodType): z.ZodType<RouterResponse> {
  let schema = responseSchemas.get(dataSchema);
  if (!schema) {
    schema = z.object({ data: dataSchema.nullable().optional(), errors: errorsSchema });
    responseSchemas.set(dataSchema, schema);
  }
  return schema;
}

export function createRouterClient(options: RouterClientOptions): RouterClient {
  const { routerUrl, token } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_ROUTER_TIMEOUT_MS;
  return {
    async request(document, variables, dataSchema) {
      let response: Response;
      let body: unknown;
      try {
        response = await fetch(routerUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await token()}` },
          body: JSON.stringify({ query: document, variables }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        body = await response.json();
      } catch (error) {
        throw new RouterUnavailableError(`router ${routerUrl} did not answer: ${(error as Error).message}`, 'no-answer', [], { cause: error });
      }
      const parsed = responseSchemaFor(dataSchema).safeParse(body);
      if (!response.ok || !parsed.success) {
        throw new RouterUnavailableError(`router answered HTTP ${response.status} with an unexpected body`, 'unexpected-body');
      }
      const { data, errors } = parsed.data;
      if (errors?.length) {
        throw new RouterUnavailableError(
          `router answered with errors: ${errors.map((e) => e.message).join('; ')}`,
          'graphql-errors',
          errors.map((e) => {
            const code = codeOf(e);
            return code === undefined ? { message: e.message } : { message: e.message, code };
          }),
        );
      }
      if (data == null) throw new RouterUnavailableError('router answered without data', 'no-data');
      return data as z.output<typeof dataSchema>;
    },
  };
}
