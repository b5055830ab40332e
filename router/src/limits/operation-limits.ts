// Static limits on the operation document, checked once per document as Apollo Server validation
// rules (and, for tokens, by the parser). The fast path only serves documents Apollo Server has
// validated, so these limits hold on both paths without being checked again per request.
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, Kind, type ParseOptions, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';

/** Each limit is the largest value accepted; `null` turns that limit off. */
export interface OperationLimits {
  /** Nesting depth of fields (fragments count as a level, as graphql-armor counts). */
  maxDepth: number | null;
  /** Aliased fields in the operation (`__typename` aliases not counted). */
  maxAliases: number | null;
  /** Distinct response keys at the operation's root (fragments on the root type expanded). */
  maxRootFields: number | null;
  /** Directives used in the document. */
  maxDirectives: number | null;
  /** Lexical tokens in the document (graphql-js stops parsing past it). */
  maxTokens: number | null;
}

/** Permissive enough for any supergraph (e.g. the benchmark's 8-levels-deep query). */
export const DEFAULT_OPERATION_LIMITS: OperationLimits = { maxDepth: 15, maxAliases: 30, maxRootFields: 20, maxDirectives: 50, maxTokens: 10_000 };

/** `extensions.reason` of a refusal (`extensions.code` is Apollo Server's GRAPHQL_VALIDATION_FAILED). */
export const OperationLimitReason = {
  MAX_DEPTH: 'MAX_DEPTH_EXCEEDED',
  MAX_ALIASES: 'MAX_ALIASES_EXCEEDED',
  MAX_ROOT_FIELDS: 'MAX_ROOT_FIELDS_EXCEEDED',
  MAX_DIRECTIVES: 'MAX_DIRECTIVES_EXCEEDED',
} as const;
export type OperationLimitReason = (typeof OperationLimitReason)[keyof typeof OperationLimitReason];

function limitExceeded(reason: OperationLimitReason, message: string, max: number): GraphQLError {
  return new GraphQLError(message, { extensions: { reason, max } });
}

/**
 * graphql-armor's rules throw out of `validate` by default; reporting instead gives one
 * GRAPHQL_VALIDATION_FAILED error with our reason. Its messages start with "Syntax Error: ",
 * which these are not.
 */
function reportAs(reason: OperationLimitReason, max: number) {
  return {
    propagateOnRejection: false,
    onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(limitExceeded(reason, error.message.replace(/^Syntax Error: /, ''), max))],
  };
}

/** Apollo Server `validationRules` for the limits that are on. */
export function operationLimitRules(limits: OperationLimits): ValidationRule[] {
  const rules: ValidationRule[] = [];
  if (limits.maxDepth !== null) rules.push(maxDepthRule({ n: limits.maxDepth, ...reportAs(OperationLimitReason.MAX_DEPTH, limits.maxDepth) }) as ValidationRule);
  if (limits.maxAliases !== null) rules.push(maxAliasesRule({ n: limits.maxAliases, ...reportAs(OperationLimitReason.MAX_ALIASES, limits.maxAliases) }) as ValidationRule);
  if (limits.maxDirectives !== null) rules.push(maxDirectivesRule({ n: limits.maxDirectives, ...reportAs(OperationLimitReason.MAX_DIRECTIVES, limits.maxDirectives) }) as ValidationRule);
  if (limits.maxRootFields !== null) rules.push(maxRootFieldsRule(limits.maxRootFields));
  return rules;
}

/** Apollo Server `parseOptions`: graphql-js refuses a document over the token limit while parsing. */
export function operationParseOptions(limits: OperationLimits): ParseOptions {
  return limits.maxTokens === null ? {} : { maxTokens: limits.maxTokens };
}

/**
 * Refuses an operation selecting more than `max` root fields: each one is at least one subgraph
 * fetch, which depth and alias limits do not bound (graphql-armor has no such rule).
 */
export function maxRootFieldsRule(max: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const keys = new Set<string>();
      const visited = new Set<string>();
      const collect = (selectionSet: SelectionSetNode) => {
        for (const selection of selectionSet.selections) {
          if (selection.kind === Kind.FIELD) keys.add(selection.alias?.value ?? selection.name.value);
          else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
          else if (!visited.has(selection.name.value)) {
            visited.add(selection.name.value);
            const fragment = context.getFragment(selection.name.value);
            if (fragment) collect(fragment.selectionSet);
          }
        }
      };
      collect(operation.selectionSet);
      if (keys.size > max) {
        context.reportError(limitExceeded(OperationLimitReason.MAX_ROOT_FIELDS, `Root fields limit of ${max} exceeded, found ${keys.size}.`, max));
      }
    },
  });
}
