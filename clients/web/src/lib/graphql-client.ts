import { useCallback, useEffect, useRef, useState } from 'react';
import type { TypedDocumentString } from '../gql/graphql.ts';
import { useAuth } from './auth.tsx';
import { config } from './config.ts';
import { getAuthToken } from './token.ts';

/** One error of a GraphQL response, as the router sends it (codes from one closed set). */
export interface GraphQLErrorShape {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; serviceName?: string; field?: string };
}

/**
 * A response: `data` may be partial (a subgraph down leaves its fields null) and come with
 * `errors`; a failure to reach the router at all is `networkError`.
 */
export interface OperationResult<R> {
  data: R | null;
  errors: GraphQLErrorShape[];
  networkError: string | null;
}

// The production build sends each operation by its hash in persisted-operations.json (the
// router's safelist in production accepts nothing else); the dev server sends documents. A router
// that does not know the hash (`PERSISTED_QUERY_NOT_FOUND`/`_NOT_SUPPORTED`) gets the document.
const SEND_HASHES = import.meta.env.PROD;
const RETRY_WITH_DOCUMENT = new Set(['PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED']);

/** Sends one typed operation to the router's one endpoint. Never throws. */
export async function execute<R, V>(document: TypedDocumentString<R, V>, variables: V): Promise<OperationResult<R>> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
    'apollographql-client-name': 'web',
  };
  const token = getAuthToken();
  if (token) headers.authorization = `Bearer ${token}`;
  const hash = SEND_HASHES ? (document.__meta__?.hash as string | undefined) : undefined;
  if (hash) {
    const result = await send<R>(headers, { extensions: { persistedQuery: { version: 1, sha256Hash: hash } }, variables });
    if (!result.errors.some((e) => RETRY_WITH_DOCUMENT.has(e.extensions?.code ?? ''))) return result;
  }
  return send<R>(headers, { query: document.toString(), variables });
}

async function send<R>(headers: Record<string, string>, body: object): Promise<OperationResult<R>> {
  let response: Response;
  try {
    response = await fetch(config.routerUrl, { method: 'POST', headers, body: JSON.stringify(body) });
  } catch {
    return { data: null, errors: [], networkError: 'The store cannot be reached. Check your connection and try again.' };
  }
  try {
    const json = (await response.json()) as { data?: R | null; errors?: GraphQLErrorShape[] };
    return { data: json.data ?? null, errors: json.errors ?? [], networkError: null };
  } catch {
    return { data: null, errors: [], networkError: `The store answered with an unexpected response (HTTP ${response.status}).` };
  }
}

export interface QueryState<R> extends OperationResult<R> {
  loading: boolean;
  refetch(): void;
}

/** Runs a query when mounted and whenever its variables (or the signed-in user) change. */
export function useQuery<R, V>(document: TypedDocumentString<R, V>, variables: V, options: { skip?: boolean } = {}): QueryState<R> {
  const { session } = useAuth();
  const key = JSON.stringify(variables);
  const [state, setState] = useState<OperationResult<R> & { loading: boolean }>({ data: null, errors: [], networkError: null, loading: !options.skip });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    if (options.skip) return;
    const id = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    void execute(document, JSON.parse(key) as V).then((result) => {
      if (id === latest.current) setState({ ...result, loading: false });
    });
  }, [document, key, generation, options.skip, session?.token]);
  const refetch = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, refetch };
}

/** The error codes of a result, for choosing a message. */
export const codesOf = (errors: GraphQLErrorShape[]) => errors.map((e) => e.extensions?.code ?? 'UNKNOWN');
