// `@skip(if:)` / `@include(if:)`: whether a field, inline fragment or fragment spread runs. The
// router reads them in two places — demand control (limits/cost.ts) prices only what runs, and
// response shaping (executor/shape.ts) answers only what runs — so they share this one
// definition, and a request is never priced for one set of selections and answered with another.
//
// The rules are graphql-js's (execution/collectFields `shouldIncludeNode`, execution/values
// `getDirectiveValues`), on the coerced variables (the request's value, else the operation's
// default):
// - only the first `@skip` and the first `@include` of a selection count;
// - `@skip` is read first: `if: true` leaves the selection out, and `@include` is not read;
// - then `@include(if: false)` leaves it out; any other value runs it;
// - a missing `if`, a literal that is not a boolean (null included), a variable with neither a
//   value nor a default, or a variable sent as null is graphql-js's error. Validation and variable
//   coercion refuse all of these but the last (`$v: Boolean = true` sent as `null`).
import { GraphQLError, Kind, print, type ASTNode, type DirectiveNode } from 'graphql';

/** An `if:` argument as written: a boolean literal, a variable, or what graphql-js refuses. */
export type Condition = boolean | { readonly variable: string; readonly node: ASTNode } | { readonly invalid: string; readonly node: ASTNode };

/** A selection's `@skip` / `@include`, read once per prepared operation. */
export interface Conditions {
  readonly skip?: Condition;
  readonly include?: Condition;
}

export type Variables = Readonly<Record<string, unknown>> | undefined;

/** The selection's `@skip` / `@include`, or undefined when it has neither (it always runs). */
export function conditionsOf(node: { readonly directives?: readonly DirectiveNode[] | undefined }): Conditions | undefined {
  let skip: Condition | undefined;
  let include: Condition | undefined;
  for (const directive of node.directives ?? []) {
    // As getDirectiveValues: the first of each name (validation refuses repeats).
    if (directive.name.value === 'skip') skip ??= conditionOf(directive);
    else if (directive.name.value === 'include') include ??= conditionOf(directive);
  }
  if (skip === undefined && include === undefined) return undefined;
  return { ...(skip !== undefined && { skip }), ...(include !== undefined && { include }) };
}

/** Whether the conditions read a variable (else their answer is the same for every request). */
export function dependsOnVariables(conditions: Conditions): boolean {
  return isVariable(conditions.skip) || isVariable(conditions.include);
}

/**
 * Whether the selection runs for these variables (`defaults`: the operation's variable defaults,
 * for variables the request did not send), or graphql-js's error for it. An error is returned,
 * not thrown: each reader decides what it means for it.
 */
export function inclusionOf(conditions: Conditions, variables: Variables, defaults?: Variables): boolean | GraphQLError {
  if (conditions.skip !== undefined) {
    const skip = valueOf(conditions.skip, variables, defaults);
    if (skip instanceof GraphQLError) return skip;
    if (skip === true) return false;
  }
  if (conditions.include !== undefined) {
    const include = valueOf(conditions.include, variables, defaults);
    if (include instanceof GraphQLError) return include;
    if (include === false) return false;
  }
  return true;
}

function conditionOf(directive: DirectiveNode): Condition {
  let value;
  // As getArgumentValues' keyMap: the last `if` (validation refuses repeats).
  for (const argument of directive.arguments ?? []) if (argument.name.value === 'if') value = argument.value;
  if (value === undefined) return { invalid: 'Argument "if" of required type "Boolean!" was not provided.', node: directive };
  if (value.kind === Kind.VARIABLE) return { variable: value.name.value, node: value };
  if (value.kind === Kind.BOOLEAN) return value.value;
  if (value.kind === Kind.NULL) return { invalid: MUST_NOT_BE_NULL, node: value };
  return { invalid: `Argument "if" has invalid value ${print(value)}.`, node: value };
}

const MUST_NOT_BE_NULL = 'Argument "if" of non-null type "Boolean!" must not be null.';

function isVariable(condition: Condition | undefined): boolean {
  return typeof condition === 'object' && 'variable' in condition;
}

/**
 * The `if` value graphql-js compares (`=== true` for skip, `=== false` for include): a coerced
 * variable is used as it is, so only null and a missing value are errors.
 */
function valueOf(condition: Condition, variables: Variables, defaults: Variables): unknown {
  if (typeof condition === 'boolean') return condition;
  if ('invalid' in condition) return new GraphQLError(condition.invalid, { nodes: condition.node });
  const name = condition.variable;
  let value: unknown;
  if (variables && Object.hasOwn(variables, name)) value = variables[name];
  else if (defaults && Object.hasOwn(defaults, name)) value = defaults[name];
  else return new GraphQLError(`Argument "if" of required type "Boolean!" was provided the variable "$${name}" which was not provided a runtime value.`, { nodes: condition.node });
  if (value === null || value === undefined) return new GraphQLError(MUST_NOT_BE_NULL, { nodes: condition.node });
  return value;
}
