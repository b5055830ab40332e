import { encodeIdentity, IDENTITY_HEADER, type Identity } from '@store/core';

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
  extensions?: Record<string, unknown>;
}

/** POSTs a GraphQL operation over real HTTP and returns the status and parsed body. */
export async function graphql<T = Record<string, any>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
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
