// Schema coordinates (`@store/core/coordinates`: graphql-js only, so tools load no HTTP stack).
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  TypeInfo,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
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

/**
 * The schema coordinates an operation touches — the one definition the router's usage log writes
 * and `npm run schema:check -- --usage` compares against: fields `Type.field`, arguments
 * `Type.field(arg:)`, every type it selects, sends or names, input fields (all of them for a
 * variable's type) and enum values written literally. Sorted.
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
    }),
  );
  return [...out].sort();
}
