// Demand control: the static cost estimate of an operation, from the `@cost` and `@listSize`
// directives the subgraphs declare (federation v2.9; in the supergraph through the cost spec's
// `@link`), computed as Apollo documents it (IBM GraphQL Cost Directive specification):
// - an operation costs its base (mutation 10, query 0) plus the cost of its fields;
// - a field costs its weight (`@cost(weight)` on the field, else on its type, else 1 for objects,
//   interfaces and unions and 0 for scalars and enums) plus the cost of its selections, times its
//   list size for a list, plus the `@cost` weights of the arguments it is given;
// - a list's size is the largest slicing argument given (`@listSize(slicingArguments)`, from the
//   request's literals or variables), else `assumedSize`, else the router's default list size;
//   with `sizedFields`, that size applies to the named list fields of the returned object instead.
// - a field, inline fragment or fragment spread that `@skip` / `@include` leaves out costs nothing
//   (graphql-js's rules, shared with response shaping: ../skip-include.ts).
// The walk over the document runs once per prepared operation and leaves a function of the
// variables, so `first: $n` and `@include(if: $more)` are priced per request.
import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  Kind,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { conditionsOf, dependsOnVariables, inclusionOf } from '../skip-include.ts';

export type Variables = Record<string, unknown> | undefined;
/** A cost known when the operation is prepared (a number) or once the variables are known. */
type Cost = number | ((variables: Variables) => number);
/** The estimated cost of a prepared operation for a request's variables. */
export type CostFunction = (variables: Variables) => number;

export interface CostModelOptions {
  /** Size assumed for a list field without `@listSize`. Default 10 (Apollo's `list_size` example). */
  defaultListSize?: number;
}

export interface CostModel {
  /** Walks the (validated) operation once; the result prices it for any variables. */
  compile(document: DocumentNode, operation: OperationDefinitionNode): CostFunction;
}

const OPERATION_BASE_COST = { query: 0, mutation: 10, subscription: 0 } as const;
const COST_SPEC = /^https:\/\/specs\.apollo\.dev\/cost\/v[0-9.]+$/;

interface ListSize {
  assumedSize: number | null;
  slicingArguments: readonly string[];
  sizedFields: readonly string[];
}

/** The names the supergraph gives the cost spec's directives (its `@link` may rename or not import them). */
function costDirectiveNames(schema: GraphQLSchema): { cost: string; listSize: string } {
  const names = { cost: 'cost', listSize: 'listSize' };
  for (const node of [schema.astNode, ...schema.extensionASTNodes]) {
    for (const link of node?.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const args = Object.fromEntries((link.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)]));
      if (typeof args.url !== 'string' || !COST_SPEC.test(args.url)) continue;
      const prefix = typeof args.as === 'string' ? args.as : 'cost';
      // Link semantics: the directive named like the spec takes the prefix itself; others are `prefix__name`.
      names.cost = prefix;
      names.listSize = `${prefix}__listSize`;
      for (const item of Array.isArray(args.import) ? args.import : []) {
        const [name, as] = typeof item === 'string' ? [item, item] : [(item as { name: string }).name, (item as { as?: string }).as ?? (item as { name: string }).name];
        if (name === '@cost') names.cost = as.replace(/^@/, '');
        if (name === '@listSize') names.listSize = as.replace(/^@/, '');
      }
    }
  }
  return names;
}

function directiveArgs(directives: readonly ConstDirectiveNode[] | undefined, name: string): Record<string, unknown> | undefined {
  const directive = directives?.find((d) => d.name.value === name);
  return directive && Object.fromEntries((directive.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)]));
}

const add = (a: Cost, b: Cost): Cost => {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  const fa = typeof a === 'number' ? () => a : a;
  const fb = typeof b === 'number' ? () => b : b;
  return (variables) => fa(variables) + fb(variables);
};
/** Whether a selection runs: known when the operation is prepared, or once the variables are known. */
type Inclusion = boolean | ((variables: Variables) => boolean);
/** `cost` when the selection runs, else 0. */
const when = (inclusion: Inclusion, cost: Cost): Cost => {
  if (inclusion === true) return cost;
  if (inclusion === false || cost === 0) return 0;
  const fc = typeof cost === 'number' ? () => cost : cost;
  return (variables) => (inclusion(variables) ? fc(variables) : 0);
};
const times = (n: Cost, cost: Cost): Cost => {
  if (typeof n === 'number' && typeof cost === 'number') return n * cost;
  if (cost === 0) return 0;
  const fn = typeof n === 'number' ? () => n : n;
  const fc = typeof cost === 'number' ? () => cost : cost;
  return (variables) => fn(variables) * fc(variables);
};

/**
 * Reads the cost directives of the supergraph schema (the API schema has none) once; `compile`
 * then prices operations validated against the API schema (same type and field names).
 */
export function createCostModel(supergraphSchema: GraphQLSchema, options: CostModelOptions = {}): CostModel {
  const defaultListSize = options.defaultListSize ?? 10;
  const names = costDirectiveNames(supergraphSchema);
  const weightOf = (directives: readonly ConstDirectiveNode[] | undefined): number | undefined => {
    const weight = directiveArgs(directives, names.cost)?.weight;
    return typeof weight === 'number' || typeof weight === 'string' ? Number(weight) : undefined;
  };
  const typeWeight = new Map<string, number>();
  const typeWeightOf = (type: GraphQLNamedType): number => {
    let weight = typeWeight.get(type.name);
    if (weight === undefined) {
      weight = weightOf(type.astNode?.directives) ?? (isCompositeType(type) ? 1 : 0);
      typeWeight.set(type.name, weight);
    }
    return weight;
  };
  const listSizeOf = (field: GraphQLField<unknown, unknown>): ListSize | undefined => {
    const args = directiveArgs(field.astNode?.directives, names.listSize);
    if (!args) return undefined;
    const strings = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
    return {
      assumedSize: typeof args.assumedSize === 'number' ? args.assumedSize : null,
      slicingArguments: strings(args.slicingArguments),
      sizedFields: strings(args.sizedFields),
    };
  };

  return {
    compile(document, operation) {
      const fragments = new Map<string, FragmentDefinitionNode>();
      for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
      const variableDefaults: Record<string, unknown> = Object.create(null);
      for (const definition of operation.variableDefinitions ?? []) {
        if (definition.defaultValue) variableDefaults[definition.variable.name.value] = valueFromASTUntyped(definition.defaultValue);
      }

      /** An argument's value: a literal now, a variable per request (its default when not sent). */
      const argumentValue = (node: ValueNode): unknown | ((variables: Variables) => unknown) => {
        if (node.kind !== Kind.VARIABLE) return valueFromASTUntyped(node);
        const name = node.name.value;
        return (variables: Variables) => (variables && Object.hasOwn(variables, name) ? variables[name] : variableDefaults[name]);
      };

      /**
       * Whether `@skip` / `@include` let a selection run. A condition graphql-js refuses (a
       * variable sent as null) counts as running, an upper bound: that request is answered with
       * the error (response shaping reports it), and pricing never throws.
       */
      const selectionInclusion = (node: FieldNode | InlineFragmentNode | FragmentSpreadNode): Inclusion => {
        const conditions = conditionsOf(node);
        if (!conditions) return true;
        const runs = (variables: Variables) => inclusionOf(conditions, variables, variableDefaults) !== false;
        return dependsOnVariables(conditions) ? runs : runs(undefined);
      };

      /** The list size of a field: its largest slicing argument, else assumedSize, else the default. */
      const sizeOf = (field: FieldNode, definition: GraphQLField<unknown, unknown>, listSize: ListSize | undefined): Cost => {
        if (!listSize) return defaultListSize;
        const fallback = listSize.assumedSize ?? defaultListSize;
        const slices: (unknown | ((variables: Variables) => unknown))[] = [];
        for (const name of listSize.slicingArguments) {
          const given = field.arguments?.find((a) => a.name.value === name);
          if (given) slices.push(argumentValue(given.value));
          else {
            const schemaDefault = definition.args.find((a) => a.name === name)?.defaultValue;
            if (schemaDefault !== undefined) slices.push(schemaDefault);
          }
        }
        if (slices.length === 0) return fallback;
        const largest = (values: unknown[]) => {
          const numbers = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0);
          return numbers.length > 0 ? Math.max(...numbers) : fallback;
        };
        if (slices.every((s) => typeof s !== 'function')) return largest(slices);
        return (variables) => largest(slices.map((s) => (typeof s === 'function' ? (s as (v: Variables) => unknown)(variables) : s)));
      };

      const selectionSetCost = (type: GraphQLNamedType, selectionSet: SelectionSetNode | undefined, sized?: { fields: readonly string[]; size: Cost }): Cost => {
        let total: Cost = 0;
        for (const selection of selectionSet?.selections ?? []) {
          const inclusion = selectionInclusion(selection);
          if (inclusion === false) continue;
          if (selection.kind === Kind.FIELD) {
            total = add(total, when(inclusion, fieldCost(type, selection, sized)));
          } else {
            // Fragments are priced as if every type condition matched: an upper bound, as Apollo does.
            const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
            if (!fragment) continue;
            const condition = fragment.typeCondition ? supergraphSchema.getType(fragment.typeCondition.name.value) : type;
            total = add(total, when(inclusion, selectionSetCost(condition ?? type, fragment.selectionSet, sized)));
          }
        }
        return total;
      };

      const fieldCost = (parent: GraphQLNamedType, field: FieldNode, sized?: { fields: readonly string[]; size: Cost }): Cost => {
        if (field.name.value.startsWith('__') || !('getFields' in parent)) return 0;
        const definition = parent.getFields()[field.name.value] as GraphQLField<unknown, unknown> | undefined;
        if (!definition) return 0;
        const type = getNamedType(definition.type);
        const listSize = listSizeOf(definition);
        const weight = weightOf(definition.astNode?.directives) ?? typeWeightOf(type);
        let argumentsCost = 0;
        for (const argument of field.arguments ?? []) {
          argumentsCost += weightOf(definition.args.find((a) => a.name === argument.name.value)?.astNode?.directives) ?? 0;
        }
        const childSized = listSize && listSize.sizedFields.length > 0 ? { fields: listSize.sizedFields, size: sizeOf(field, definition, listSize) } : undefined;
        const own = add(weight, selectionSetCost(type, field.selectionSet, childSized));
        let count: Cost = 1;
        if (isListType(getNullableType(definition.type))) {
          count = sized?.fields.includes(field.name.value) ? sized.size : childSized ? defaultListSize : sizeOf(field, definition, listSize);
        }
        return add(times(count, own), argumentsCost);
      };

      const root = supergraphSchema.getRootType(operation.operation as never);
      const cost = add(OPERATION_BASE_COST[operation.operation], root ? selectionSetCost(root, operation.selectionSet) : 0);
      return typeof cost === 'number' ? () => cost : cost;
    },
  };
}
