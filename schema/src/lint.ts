// Schema lint on the composed API schema (what clients see), each finding located by schema
// coordinate. The rules are graphql-js validation rules over the printed schema, with the names
// and checks of graphql-schema-linter's rules of the same name.
//
// Why not a linter package: @graphql-eslint (the maintained one) cannot run on Node 20 here: its
// graphql-config / @graphql-tools 12 dependencies declare Node >= 22.15 (@whatwg-node/*), and it
// brings ~280 packages (96 MB) with eslint. graphql-schema-linter would pull 38 packages (chalk 2,
// commander 3, cosmiconfig 5, glob 7) for the five checks below.
import {
  buildASTSchema,
  GraphQLError,
  parse,
  validate,
  visit,
  type ASTNode,
  type ASTVisitor,
  type ConstDirectiveNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { LintRuleName } from './config.ts';

const CAMEL_CASE = /^[a-z][a-zA-Z0-9]*$/;

class LintError extends GraphQLError {
  constructor(
    readonly rule: LintRuleName,
    message: string,
    node: ASTNode,
  ) {
    super(message, { nodes: [node] });
  }
}

const ownerName = (ancestors: readonly (ASTNode | readonly ASTNode[])[]): string => {
  const owner = ancestors.at(-1);
  return owner && !Array.isArray(owner) && 'name' in (owner as ASTNode) ? ((owner as { name?: { value: string } }).name?.value ?? '') : '';
};

const deprecatedWithoutReason = (directives: readonly ConstDirectiveNode[] | undefined) =>
  directives?.find((d) => d.name.value === 'deprecated' && !d.arguments?.some((a) => a.name.value === 'reason'));

const RULES: Record<LintRuleName, ValidationRule> = {
  // A bare `@deprecated` (graphql-js prints the default reason that way) tells clients nothing.
  'deprecations-have-a-reason': (context: ValidationContext): ASTVisitor => ({
    FieldDefinition(node, _k, _p, _path, ancestors) {
      const d = deprecatedWithoutReason(node.directives);
      if (d) context.reportError(new LintError('deprecations-have-a-reason', `The field \`${ownerName(ancestors)}.${node.name.value}\` is deprecated but has no deprecation reason.`, d));
    },
    EnumValueDefinition(node, _k, _p, _path, ancestors) {
      const d = deprecatedWithoutReason(node.directives);
      if (d) context.reportError(new LintError('deprecations-have-a-reason', `The enum value \`${ownerName(ancestors)}.${node.name.value}\` is deprecated but has no deprecation reason.`, d));
    },
    InputValueDefinition(node, _k, _p, _path, ancestors) {
      const d = deprecatedWithoutReason(node.directives);
      if (d) context.reportError(new LintError('deprecations-have-a-reason', `The input value \`${ownerName(ancestors)}.${node.name.value}\` is deprecated but has no deprecation reason.`, d));
    },
  }),
  'fields-are-camel-cased': (context) => ({
    FieldDefinition(node, _k, _p, _path, ancestors) {
      if (!CAMEL_CASE.test(node.name.value)) context.reportError(new LintError('fields-are-camel-cased', `The field \`${ownerName(ancestors)}.${node.name.value}\` is not camel cased.`, node));
    },
  }),
  'types-are-capitalized': (context) => {
    const check = (node: { name: { value: string } } & ASTNode, kind: string) => {
      const first = node.name.value[0] ?? '';
      if (first !== first.toUpperCase() || first === '_') context.reportError(new LintError('types-are-capitalized', `The ${kind} type \`${node.name.value}\` should start with a capital letter.`, node));
    };
    return {
      ObjectTypeDefinition: (node) => check(node, 'object'),
      InterfaceTypeDefinition: (node) => check(node, 'interface'),
      UnionTypeDefinition: (node) => check(node, 'union'),
      EnumTypeDefinition: (node) => check(node, 'enum'),
      InputObjectTypeDefinition: (node) => check(node, 'input object'),
      ScalarTypeDefinition: (node) => check(node, 'scalar'),
    };
  },
  'enum-values-all-caps': (context) => ({
    EnumValueDefinition(node, _k, _p, _path, ancestors) {
      if (node.name.value !== node.name.value.toUpperCase()) context.reportError(new LintError('enum-values-all-caps', `The enum value \`${ownerName(ancestors)}.${node.name.value}\` should be uppercase.`, node));
    },
  }),
  // Arguments and input-object fields alike.
  'input-object-values-are-camel-cased': (context) => ({
    InputValueDefinition(node, _k, _p, _path, ancestors) {
      if (!CAMEL_CASE.test(node.name.value)) context.reportError(new LintError('input-object-values-are-camel-cased', `The input value \`${ownerName(ancestors)}.${node.name.value}\` is not camel cased.`, node));
    },
  }),
};

export interface SchemaLintFinding {
  rule: string;
  coordinate: string | null;
  message: string;
}

const TYPE_KINDS = new Set(['ObjectTypeDefinition', 'InterfaceTypeDefinition', 'InputObjectTypeDefinition', 'EnumTypeDefinition', 'UnionTypeDefinition', 'ScalarTypeDefinition']);
const MEMBER_KINDS = new Set(['FieldDefinition', 'EnumValueDefinition', 'InputValueDefinition']);

/** Runs the chosen rules on an API schema's SDL. */
export function lintApiSchema(apiSchemaSdl: string, rules: readonly LintRuleName[]): SchemaLintFinding[] {
  if (rules.length === 0) return [];
  const doc = parse(apiSchemaSdl);
  // Every node → the coordinate of the innermost type, field, argument or value around it.
  const coordinateOf = new WeakMap<ASTNode, string>();
  const stack: string[] = [];
  visit(doc, {
    enter(node, _key, _parent, _path, ancestors) {
      const name = 'name' in node && node.name && 'value' in node.name ? node.name.value : '';
      if (TYPE_KINDS.has(node.kind)) stack.push(name);
      else if (MEMBER_KINDS.has(node.kind)) {
        const owner = ancestors.at(-1);
        const isArgument = owner !== undefined && !Array.isArray(owner) && (owner as ASTNode).kind === 'FieldDefinition';
        stack.push(isArgument ? `${stack.at(-1)}(${name}:)` : `${stack.at(-1)}.${name}`);
      }
      if (stack.length) coordinateOf.set(node, stack.at(-1)!);
    },
    leave(node) {
      if (TYPE_KINDS.has(node.kind) || MEMBER_KINDS.has(node.kind)) stack.pop();
    },
  });
  const errors = validate(buildASTSchema(doc), doc, rules.map((r) => RULES[r]), { maxErrors: 100_000 });
  return errors.map((error) => {
    const node = error.nodes?.[0];
    return { rule: error instanceof LintError ? error.rule : 'lint', coordinate: (node && coordinateOf.get(node)) ?? null, message: error.message };
  });
}
