// Per request: the verified identity against the operation's requirements (computed once per
// operation, see ./operation.ts). An operation that selects nothing guarded never gets here.
import { GraphQLError } from 'graphql';
import { ErrorCode, type Logger } from '@store/core';
import { policyNamed, POLICIES, type Policy, type PolicyRequest } from '../policies.ts';
import { deniedSites, type OperationRequirements, type Site } from './operation.ts';
import type { Requirement, SchemaRequirements } from './requirements.ts';

/**
 * `filter` (default): unauthorized selections are removed before planning, the rest runs, each
 * removed one is an error. `reject`: the whole operation is refused. `off`: no router check (the
 * subgraphs' own checks remain).
 */
export const AUTHORIZATION_MODES = ['filter', 'reject', 'off'] as const;
export type AuthorizationMode = (typeof AUTHORIZATION_MODES)[number];

export const UNAUTHORIZED_MESSAGE = 'Unauthorized field or type';

/** The error for one removed (or refused) selection. */
export function unauthorizedFieldOrType(path: readonly string[]): GraphQLError {
  return new GraphQLError(UNAUTHORIZED_MESSAGE, { path, extensions: { code: ErrorCode.UNAUTHORIZED_FIELD_OR_TYPE } });
}

export type Verdict =
  | { allowed: true }
  | {
      allowed: false;
      /** Which requirements failed: the key of the filtered operation in the cache. */
      key: string;
      /** The selections to remove (outermost only). */
      sites: readonly Site[];
    };

const ALLOWED: Verdict = { allowed: true };

export interface Authorizer {
  readonly mode: AuthorizationMode;
  check(operation: OperationRequirements, request: PolicyRequest): Verdict;
}

/** Builds the per-request check, and logs once the policy names the supergraph uses but no policy defines. */
export function createAuthorizer(options: { mode: AuthorizationMode; declared: SchemaRequirements; policies?: Readonly<Record<string, Policy>>; logger: Logger }): Authorizer {
  const policies = options.policies ?? POLICIES;
  const unknown = [...options.declared.policyNames].filter((name) => !policyNamed(name, policies)).sort();
  if (unknown.length > 0 && options.mode !== 'off') {
    options.logger.warn('unknown @policy names in the supergraph: fields that need them are always denied', { policies: unknown });
  }
  if (options.mode === 'off' && (options.declared.fields.size > 0 || options.declared.types.size > 0)) {
    options.logger.warn('AUTHORIZATION_MODE=off: the supergraph\'s authorization directives are not enforced by the router (only by the subgraphs)');
  }
  return {
    mode: options.mode,
    check(operation, request) {
      const failed: boolean[] = [];
      let anyFailed = false;
      const decided = new Map<string, boolean>();
      const policy = (name: string) => {
        let allow = decided.get(name);
        if (allow === undefined) {
          allow = policyNamed(name, policies)?.(request) === true;
          decided.set(name, allow);
        }
        return allow;
      };
      operation.requirements.forEach((requirement, i) => {
        const ok = satisfies(requirement, request, policy);
        failed.push(!ok);
        anyFailed ||= !ok;
      });
      if (!anyFailed) return ALLOWED;
      let key = '';
      failed.forEach((f, i) => {
        if (f) key += `${i},`;
      });
      return { allowed: false, key, sites: deniedSites(operation, failed) };
    },
  };
}

/** Whether a request meets one requirement. Anonymous requests have no scopes and pass no policy that needs a caller. */
export function satisfies(requirement: Requirement, request: PolicyRequest, policy: (name: string) => boolean): boolean {
  switch (requirement.kind) {
    case 'authenticated':
      return request.identity !== null;
    case 'scopes': {
      const scopes = request.identity?.scopes ?? [];
      return requirement.anyOf.some((all) => all.every((scope) => scopes.includes(scope)));
    }
    case 'policy':
      return requirement.anyOf.some((all) => all.every(policy));
    default:
      throw new Error(`unknown requirement ${(requirement as { kind: string }).kind}`);
  }
}
