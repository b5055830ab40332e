// Policy as code: every `@policy(policies: [[...]])` name in the supergraph maps to one function
// here. A policy sees only the request (who is calling, which operation, with which variables),
// never data, so the router can decide before any subgraph is called. A name the supergraph uses
// but this file does not define denies (and is logged once when the router starts).
import type { Identity } from '@store/core';

/** What a policy may look at: the request, nothing a subgraph returns. */
export interface PolicyRequest {
  /** The verified caller; `null` for anonymous requests. */
  identity: Identity | null;
  operationName: string | undefined;
  operationType: 'query' | 'mutation' | 'subscription';
  /** The request's variables, already checked against the operation's definitions. */
  variables: Readonly<Record<string, unknown>>;
}

/** Allow (`true`) or deny (`false`). Pure: same request, same answer. */
export type Policy = (request: PolicyRequest) => boolean;

/** Account ids are UUIDs; service identities are `service:<name>` (see `mintServiceToken`). */
const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const POLICIES = {
  /** A person's account (customer or staff), not a service token: orders, payments, reviews. */
  user_account: ({ identity }) => identity !== null && (identity.role === 'CUSTOMER' || identity.role === 'ADMIN') && USER_ID.test(identity.sub),
  /** One of the store's own services (checkout steps that no person may call directly). */
  service_account: ({ identity }) => identity !== null && identity.role === 'SERVICE' && identity.sub.startsWith('service:'),
} as const satisfies Record<string, Policy>;

export type PolicyName = keyof typeof POLICIES;

/** The policy of that name, if this router knows it. */
export function policyNamed(name: string, policies: Readonly<Record<string, Policy>> = POLICIES): Policy | undefined {
  return Object.hasOwn(policies, name) ? policies[name] : undefined;
}
