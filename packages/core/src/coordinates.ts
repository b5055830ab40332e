// Schema coordinates (`@store/core/coordinates`: graphql-js only, so tools load no HTTP stack).
import {
  getNamedType,
  isEnumType,
  Kind,
  isInputObjectType,
  TypeInfo,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type OperationDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type GraphQLType,
} from 'graphql';

/** Adds an input type and, recursively, every field it may carry (a variable may set any of them). */
export function addInputDeep(type: GraphQLNamedType, out: Set<string>, seen = new Set<string>()): void {
  out.add(type.name);
  if (!isInputObjectType(type) || seen.has(type.name)) return;
  seen.add(type.name);
  for (const field of Object.values(type.getFields())) {
    out.add(`${type.name}.${field.name}`);
    addInputDeep(getNamedType(field.type), out, seen);
  }
}

// Where an executable directive is written → its DirectiveLocation.
const DIRECTIVE_LOCATION: Partial<Record<Kind, (node: ASTNode) => string>> = {
  [Kind.OPERATION_DEFINITION]: (node) => (node as OperationDefinitionNode).operation.toUpperCase(),
  [Kind.FIELD]: () => 'FIELD',
  [Kind.FRAGMENT_DEFINITION]: () => 'FRAGMENT_DEFINITION',
  [Kind.FRAGMENT_SPREAD]: () => 'FRAGMENT_SPREAD',
  [Kind.INLINE_FRAGMENT]: () => 'INLINE_FRAGMENT',
  [Kind.VARIABLE_DEFINITION]: () => 'VARIABLE_DEFINITION',
};

/**
 * The schema coordinates an operation touches — the one definition the router's usage log writes
 * and `npm run schema:check -- --usage` compares against: fields `Type.field`, arguments
 * `Type.field(arg:)`, every type it selects, sends or names, input fields (all of them for a
 * variable's type) enum values written literally, and the executable directives it applies. Sorted.
 */
export function operationCoordinates(schema: GraphQLSchema, document: DocumentNode): string[] {
  const out = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  const addNamed = (type: GraphQLType | null | undefined) => {
    if (type) out.add(getNamedType(type).name);
  };
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!parent || !field) return;
        out.add(`${parent.name}.${field.name}`);
        addNamed(field.type);
      },
      Argument() {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        const arg = typeInfo.getArgument();
        if (!parent || !field || !arg) return;
        out.add(`${parent.name}.${field.name}(${arg.name}:)`);
        addNamed(arg.type);
      },
      ObjectField(node) {
        const parent = typeInfo.getParentInputType();
        const named = parent ? getNamedType(parent) : undefined;
        if (named && isInputObjectType(named)) out.add(`${named.name}.${node.name.value}`);
        addNamed(typeInfo.getInputType());
      },
      EnumValue(node) {
        const type = typeInfo.getInputType();
        const named = type ? getNamedType(type) : undefined;
        if (named && isEnumType(named)) out.add(`${named.name}.${node.value}`);
      },
      VariableDefinition(node) {
        const type = typeFromAST(schema, node.type);
        if (type) addInputDeep(getNamedType(type), out);
      },
      InlineFragment(node) {
        if (node.typeCondition) out.add(node.typeCondition.name.value);
      },
      FragmentDefinition(node) {
        out.add(node.typeCondition.name.value);
      },
      // Executable directives it writes (`@d`, `@d(arg:)`, `@d:LOCATION`): a client breaks when a
      // directive goes, loses a location or an argument it uses, or gains a required argument.
      Directive(node, _key, _parent, _path, ancestors) {
        const name = `@${node.name.value}`;
        out.add(name);
        for (const arg of node.arguments ?? []) out.add(`${name}(${arg.name.value}:)`);
        const owner = ancestors.at(-1);
        const location = owner && !Array.isArray(owner) ? DIRECTIVE_LOCATION[(owner as ASTNode).kind]?.(owner as ASTNode) : undefined;
        if (location) out.add(`${name}:${location}`);
      },
    }),
  );
  return [...out].sort();
}
