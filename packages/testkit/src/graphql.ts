import { createRequestSigner, encodeIdentity, IDENTITY_HEADER, SIGNATURE_HEADER, type Identity, type RequestSigner } from '@store/core';

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
  extensions?: Record<string, unknown>;
}

// Test subgraphs that check router signatures, by GraphQL URL (see startSubgraphForTest).
const signers = new Map<string, RequestSigner>();

/**
 * Makes `graphql()` sign its requests to `url` (a subgraph's GraphQL URL) with `secret`, as the
 * router does. Returns a function that stops it.
 */
export function signRequestsTo(url: string, secret: string): () => void {
  const signer = createRequestSigner(secret);
  signers.set(url, signer);
  return () => {
    if (signers.get(url) === signer) signers.delete(url);
  };
}

export interface GraphQLRequestOptions {
  /** Send no router signature even to a subgraph registered with `signRequestsTo`. */
  unsigned?: boolean;
}

/**
 * POSTs a GraphQL operation over real HTTP and returns the status and parsed body. Requests to a
 * test subgraph that checks signatures are signed as the router signs them (over the body and the
 * identity header given here), unless `options.unsigned`.
 */
export async function graphql<T = Record<string, any>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
  options: GraphQLRequestOptions = {},
): Promise<GraphQLResponse<T>> {
  const requestBody = JSON.stringify({ query, variables });
  const signer = options.unsigned ? undefined : signers.get(url);
  const signature: Record<string, string> = {};
  if (signer) {
    const target = new URL(url);
    signature[SIGNATURE_HEADER] = signer({ method: 'POST', path: `${target.pathname}${target.search}`, body: requestBody, identity: headers[IDENTITY_HEADER] });
  }
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers, ...signature },
    body: requestBody,
  });
  const text = await response.text();
  let body: Omit<GraphQLResponse<T>, 'status'>;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`HTTP ${response.status}, not JSON: ${text.slice(0, 500)}`);
  }
  return { status: response.status, ...body };
}

/** The router→subgraph identity header for direct subgraph tests. */
export function asIdentity(identity: Partial<Identity> & Pick<Identity, 'sub'>): Record<string, string> {
  return { [IDENTITY_HEADER]: encodeIdentity({ role: 'CUSTOMER', scopes: [], ...identity }) };
}

export const ADMIN = (sub = '00000000-0000-4000-8000-000000000001') => asIdentity({ sub, role: 'ADMIN', scopes: [] });
export const CUSTOMER = (sub: string) => asIdentity({ sub, role: 'CUSTOMER', scopes: [] });

/** Error codes of a response, for compact assertions. */
export function errorCodes(response: GraphQLResponse): string[] {
  return (response.errors ?? []).map((e) => String(e.extensions?.code));
}
