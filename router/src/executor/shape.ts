// The last step of a plan: from the merged subgraph data to the client's response, with exactly
// the rules of the gateway's `computeResponse` (resultShaping.ts) — only requested fields, in the
// query's order, `__typename` from the API schema, invalid values and `@inaccessible` types
// nulled, nulls propagated to the nearest nullable parent — but compiled once per operation
// instead of re-walking the operation's objects for every response.
import {
  GraphQLError,
  Kind,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { ERRORS } from '@apollo/federation-internals';
import { getOwn, type ResultMap } from './data.ts';
import type { JsonWriter } from './json-writer.ts';
import { dataKeyOf, type AliasRenames } from './aliases.ts';
import { conditionsOf, inclusionOf, type Conditions } from '../skip-include.ts';

type ShapeType =
  | { kind: 'nonNull'; ofType: ShapeType }
  | { kind: 'list'; ofType: ShapeType }
  | { kind: 'composite'; name: string }
  | { kind: 'leaf'; name: string; isValid: (value: unknown) => boolean };

interface ShapeField {
  kind: 'field';
  responseName: string;
  /** Where its value is in the data: the response name, or the alias it was planned under (aliases.ts). */
  dataKey: string;
  isTypename: boolean;
  /** `__schema` / `__type`: answered from the API schema, not by subgraphs. */
  introspection?: FieldNode;
  type: ShapeType;
  selection: ShapeSelection[] | undefined;
  /** `@skip` / `@include`, when it has either. */
  conditions?: Conditions;
  /** Removed by authorization: always null (its error is reported by the executor). */
  denied?: true;
}

interface ShapeFragment {
  kind: 'fragment';
  typeCondition: string | undefined;
  selection: ShapeSelection[];
  /** `@skip` / `@include`, when it has either. */
  conditions?: Conditions;
  /** Removed by authorization: its fields are not in the response. */
  denied?: true;
}

type ShapeSelection = ShapeField | ShapeFragment;

export interface ResponseShape {
  operation: OperationDefinitionNode;
  rootType: string;
  selection: ShapeSelection[];
  /** Variables with a default value in the operation. */
  defaults: Record<string, unknown>;
  /** Has `__schema` / `__type` fields (answered by `introspect`). */
  hasIntrospection: boolean;
  /** Has `@skip` / `@include`: field grouping then depends on the request's variables. */
  hasConditions: boolean;
  /** Field groups per selection and runtime type (when they do not depend on variables). */
  groups: GroupCache;
}

export type ShapeResult = { ok: true; shape: ResponseShape } | { ok: false; reason: string };

const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;

/**
 * Compiles the client's operation against the API schema. `denied`: selections authorization
 * removed from the planned operation (see ../authorization/), answered as null. `renames`: client
 * fields planned under another alias (./aliases.ts).
 */
export function compileResponseShape(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined | null, denied?: ReadonlySet<SelectionNode>, renames?: AliasRenames): ShapeResult {
  let operation: OperationDefinitionNode | undefined;
  let operations = 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      operations++;
      if (!operationName || definition.name?.value === operationName) operation ??= definition;
    } else if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  if (!operation || (!operationName && operations > 1)) return { ok: false, reason: 'no single operation' };
  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  if (!root) return { ok: false, reason: `no ${operation.operation} type` };

  let hasIntrospection = false;
  let hasConditions = false;
  const compileSelection = (parent: GraphQLNamedType, selectionSet: SelectionSetNode, seen: ReadonlySet<string>): ShapeSelection[] => {
    const out: ShapeSelection[] = [];
    for (const selection of selectionSet.selections) {
      const found = conditionsOf(selection);
      const conditions = found ? { conditions: found } : {};
      if (found) hasConditions = true;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const responseName = selection.alias?.value ?? name;
        const dataKey = dataKeyOf(selection, renames);
        if (name === '__schema' || name === '__type') {
          hasIntrospection = true;
          out.push({ kind: 'field', responseName, dataKey, isTypename: false, introspection: selection, type: { kind: 'leaf', name, isValid: () => true }, selection: undefined, ...conditions });
          continue;
        }
        if (name === '__typename') {
          out.push({ kind: 'field', responseName, dataKey, isTypename: true, type: { kind: 'leaf', name: 'String', isValid: () => true }, selection: undefined, ...conditions });
          continue;
        }
        if (!isObjectType(parent) && !(isCompositeType(parent) && 'getFields' in parent)) throw new Error(`cannot select ${name} on ${parent.name}`);
        const definition = (parent as { getFields(): Record<string, { type: GraphQLOutputType }> }).getFields()[name];
        if (!definition) throw new Error(`unknown field ${parent.name}.${name}`);
        const fieldSelection = selection.selectionSet ? compileSelection(getNamedType(definition.type), selection.selectionSet, seen) : undefined;
        out.push({ kind: 'field', responseName, dataKey, isTypename: false, type: shapeType(schema, definition.type), selection: fieldSelection, ...conditions, ...(denied?.has(selection) ? { denied: true as const } : {}) });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typeCondition = selection.typeCondition?.name.value;
        const type = typeCondition ? schema.getType(typeCondition) : parent;
        if (!type) throw new Error(`unknown type ${typeCondition}`);
        out.push({ kind: 'fragment', typeCondition, selection: compileSelection(type, selection.selectionSet, seen), ...conditions, ...(denied?.has(selection) ? { denied: true as const } : {}) });
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || seen.has(name)) throw new Error(`bad fragment spread ${name}`);
        const typeCondition = fragment.typeCondition.name.value;
        const type = schema.getType(typeCondition);
        if (!type) throw new Error(`unknown type ${typeCondition}`);
        out.push({ kind: 'fragment', typeCondition, selection: compileSelection(type, fragment.selectionSet, new Set([...seen, name])), ...conditions, ...(denied?.has(selection) ? { denied: true as const } : {}) });
      }
    }
    return out;
  };

  let selection: ShapeSelection[];
  try {
    selection = compileSelection(root, operation.selectionSet, new Set());
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  const defaults: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) defaults[definition.variable.name.value] = valueFromASTUntyped(definition.defaultValue);
  }
  return { ok: true, shape: { operation, rootType: root.name, selection, defaults, hasIntrospection, hasConditions, groups: new Map() } };
}

const BUILT_IN_SCALARS = new Set(['Int', 'Float', 'String', 'Boolean', 'ID']);

function shapeType(schema: GraphQLSchema, type: GraphQLOutputType): ShapeType {
  if (isNonNullType(type)) return { kind: 'nonNull', ofType: shapeType(schema, type.ofType) };
  if (isListType(type)) return { kind: 'list', ofType: shapeType(schema, type.ofType) };
  if (isCompositeType(type)) return { kind: 'composite', name: type.name };
  // federation-internals' isValidLeafValue
  const name = type.name;
  if (isScalarType(type) && !BUILT_IN_SCALARS.has(name)) return { kind: 'leaf', name, isValid: () => true };
  if (isEnumType(type)) {
    const values = new Set(type.getValues().map((v) => v.name));
    return { kind: 'leaf', name, isValid: (value) => typeof value === 'string' && values.has(value) };
  }
  switch (name) {
    case 'Boolean':
      return { kind: 'leaf', name, isValid: (value) => typeof value === 'boolean' };
    case 'Int':
    case 'ID':
      return { kind: 'leaf', name, isValid: (value) => (typeof value === 'number' ? Number.isFinite(value) && INTEGER.test(String(value)) : typeof value === 'string' && name === 'ID') };
    case 'Float':
      return { kind: 'leaf', name, isValid: (value) => typeof value === 'number' && Number.isFinite(value) };
    case 'String':
      return { kind: 'leaf', name, isValid: (value) => typeof value === 'string' };
    default:
      return { kind: 'leaf', name, isValid: () => true };
  }
}

/** Type questions about the API schema, answered once each. */
export class TypeOracle {
  readonly #schema: GraphQLSchema;
  readonly #subtype = new Map<string, boolean>();
  constructor(schema: GraphQLSchema) {
    this.#schema = schema;
  }
  type(name: string): GraphQLNamedType | undefined {
    return this.#schema.getType(name) ?? undefined;
  }
  isObject(name: string): boolean {
    return isObjectType(this.#schema.getType(name));
  }
  /** federation-internals' `isSubtype(condition, type)` for named composite types. */
  isSubtype(condition: string, type: string): boolean {
    if (condition === type) return true;
    const key = `${condition}\u0000${type}`;
    let answer = this.#subtype.get(key);
    if (answer === undefined) {
      const abstract = this.#schema.getType(condition);
      const concrete = this.#schema.getType(type);
      answer = !!abstract && !!concrete && isAbstractType(abstract) && (isObjectType(concrete) || 'getInterfaces' in concrete) && this.#schema.isSubType(abstract, concrete as never);
      this.#subtype.set(key, answer);
    }
    return answer;
  }
}

/** The fields an object answers, by response name in first-seen order, sub-selections merged. */
interface Group {
  responseName: string;
  /** `"responseName":`, with the comma before it when it is not the first. */
  key: string;
  /** The first occurrence (type, __typename or introspection). */
  field: ShapeField;
  /** The parent type where the first occurrence was selected (fragments narrow it). */
  parentType: string;
  selection: ShapeSelection[] | undefined;
}

/**
 * Per selection: `typed` by runtime type when it is also the parent type (the usual case, no key
 * string built per object), `other` by parent type, or by both when they differ.
 */
type GroupCache = Map<readonly ShapeSelection[], { typed: Map<string, Group[]>; other: Map<string, Group[]> }>;

/** Answers one introspection field (the gateway runs graphql-js on the API schema). */
export type Introspect = (field: FieldNode) => unknown;

interface Run {
  writer: JsonWriter;
  introspect: Introspect | undefined;
  types: TypeOracle;
  variables: Record<string, unknown>;
  conditional: boolean;
  groups: GroupCache;
  errors: GraphQLError[];
  path: (string | number)[];
}

/**
 * `computeResponse` on compiled selections, written straight to JSON: each object's fields are
 * grouped once per selection and runtime type (fragments resolved, repeated response names
 * merged), then only read. Writes the `data` value; returns the shaping errors.
 */
export function writeResponseData(writer: JsonWriter, shape: ResponseShape, types: TypeOracle, input: ResultMap | null | undefined, variables: Record<string, unknown> | undefined, introspect?: Introspect): GraphQLError[] {
  if (!input) {
    writer.ascii('null');
    return [];
  }
  const run: Run = {
    writer,
    introspect,
    types,
    variables: variables ? { ...shape.defaults, ...variables } : shape.defaults,
    conditional: shape.hasConditions,
    groups: shape.hasConditions ? new Map() : shape.groups,
    errors: [],
    path: [],
  };
  const start = writer.length;
  if (!writeObject(run, input, shape.selection, shape.rootType)) {
    writer.rewind(start);
    writer.ascii('null');
  }
  return run.errors;
}

/**
 * Whether `@skip` / `@include` leave the selection out (see ../skip-include.ts). graphql-js's
 * error for a condition (a variable sent as null) is thrown: the answer is that error alone.
 */
function skipped(conditions: Conditions, variables: Record<string, unknown>): boolean {
  const included = inclusionOf(conditions, variables);
  if (typeof included === 'boolean') return !included;
  throw included;
}

function typeConditionApplies(types: TypeOracle, typeCondition: string | undefined, typename: string | undefined, parentType: string): boolean {
  if (!typeCondition) return true;
  if (typename) return types.type(typename) !== undefined && types.isSubtype(typeCondition, typename);
  return types.isSubtype(typeCondition, parentType);
}

function groupsOf(run: Run, selection: readonly ShapeSelection[], typename: string | undefined, parentType: string): Group[] {
  let cache = run.groups.get(selection);
  if (!cache) run.groups.set(selection, (cache = { typed: new Map(), other: new Map() }));
  const byType = typename === parentType ? cache.typed : cache.other;
  const key = typename === parentType || !typename ? parentType : `${typename}\u0000${parentType}`;
  let groups = byType.get(key);
  if (!groups) {
    groups = [];
    collect(run, selection, typename, parentType, new Map(), groups);
    byType.set(key, groups);
  }
  return groups;
}

function collect(run: Run, selection: readonly ShapeSelection[], typename: string | undefined, parentType: string, seen: Map<string, Group>, out: Group[]): void {
  for (const item of selection) {
    if (run.conditional && item.conditions !== undefined && skipped(item.conditions, run.variables)) continue;
    if (item.kind === 'field') {
      const existing = seen.get(item.responseName);
      if (!existing) {
        const group: Group = { responseName: item.responseName, key: `${out.length === 0 ? '' : ','}${JSON.stringify(item.responseName)}:`, field: item, parentType, selection: item.selection };
        seen.set(item.responseName, group);
        out.push(group);
      } else if (item.selection) {
        // The same response name again: its sub-selection applies to the same object.
        existing.selection = existing.selection ? [...existing.selection, ...item.selection] : item.selection;
      }
    } else if (!item.denied && typeConditionApplies(run.types, item.typeCondition, typename, parentType)) {
      collect(run, item.selection, typename, item.typeCondition ?? parentType, seen, out);
    }
  }
}

// Out-parameters of writeValue (set right before it returns; read right after the call): it
// wrote null; that null is invalid (to bubble up); errors were already reported for it.
let wroteNull = false;
let invalid = false;
let hasErrors = false;

/** Writes an object; false when a null must bubble up instead (the caller rewinds). */
function writeObject(run: Run, input: ResultMap, selection: readonly ShapeSelection[], parentType: string): boolean {
  const rawTypename = input.__typename;
  if (rawTypename && typeof rawTypename !== 'string') throw new Error(`Got unexpected value for __typename: ${String(rawTypename)}`);
  const groups = groupsOf(run, selection, (rawTypename as string | undefined) || undefined, parentType);
  const writer = run.writer;
  writer.ascii('{');
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i]!;
    const field = group.field;
    const responseName = group.responseName;
    if (field.introspection) {
      if (!run.introspect) throw new Error('introspection is not available here');
      writer.ascii(group.key);
      writer.value(run.introspect(field.introspection));
    } else if (field.isTypename) {
      let inputValue = getOwn(input, field.dataKey) ?? null;
      if (inputValue === null && responseName !== '__typename') inputValue = input.__typename ?? null;
      const named = inputValue !== null && typeof inputValue === 'string' && run.types.type(inputValue) ? inputValue : group.parentType;
      if (!run.types.isObject(named)) return false;
      writer.ascii(group.key);
      writer.string(named);
    } else if (field.denied) {
      // Removed by authorization (the executor reports it): null, and a non-null one nulls its
      // parent without a second error.
      writer.ascii(group.key);
      writer.ascii('null');
      if (field.type.kind === 'nonNull') return false;
    } else {
      writer.ascii(group.key);
      run.path.push(responseName);
      writeValue(run, field.type, getOwn(input, field.dataKey) ?? null, group.selection, group.parentType);
      run.path.pop();
      if (invalid) return false;
    }
  }
  writer.ascii('}');
  return true;
}

function writeValue(run: Run, type: ShapeType, inputValue: unknown, selection: ShapeSelection[] | undefined, parentType: string): void {
  const writer = run.writer;
  switch (type.kind) {
    case 'nonNull': {
      writeValue(run, type.ofType, inputValue, selection, parentType);
      if (wroteNull) {
        if (!hasErrors) {
          run.errors.push(ERRORS.INVALID_GRAPHQL.err(`Cannot return null for non-nullable ${lastElementDescription(run.path, type.ofType, parentType)}.`, { path: [...run.path] }));
        }
        invalid = true;
        hasErrors = true;
        return;
      }
      invalid = false;
      hasErrors = false;
      return;
    }
    case 'list': {
      invalid = false;
      hasErrors = false;
      if (inputValue === null) {
        writer.ascii('null');
        wroteNull = true;
        return;
      }
      if (!Array.isArray(inputValue)) throw new Error(`Invalid non-list value ${String(inputValue)} returned by subgraph for list type ${printShapeType(type)}`);
      const start = writer.length;
      writer.ascii('[');
      let shouldNullify = false;
      let anyErrors = false;
      for (let i = 0; i < inputValue.length; i++) {
        if (i > 0) writer.ascii(',');
        run.path.push(i);
        const element = inputValue[i];
        writeValue(run, type.ofType, element === undefined ? null : element, selection, parentType);
        run.path.pop();
        shouldNullify ||= invalid;
        anyErrors ||= hasErrors;
      }
      invalid = false;
      hasErrors = anyErrors;
      if (shouldNullify) {
        writer.rewind(start);
        writer.ascii('null');
        wroteNull = true;
      } else {
        writer.ascii(']');
        wroteNull = false;
      }
      return;
    }
    case 'composite': {
      invalid = false;
      hasErrors = false;
      if (inputValue === null) {
        writer.ascii('null');
        wroteNull = true;
        return;
      }
      if (typeof inputValue !== 'object') throw new Error(`Invalid non-object value ${String(inputValue)} returned by subgraph for composite type ${type.name}`);
      if (!selection) throw new Error(`Invalid empty selection set for composite type ${type.name}`);
      const object = inputValue as ResultMap;
      const typename = object.__typename;
      if (typename !== undefined && typeof typename !== 'string') throw new Error(`Invalid non-string value ${String(typename)} for __typename`);
      let objectType = type.name;
      if (typename) {
        const named = run.types.type(typename);
        if (!named || !isCompositeType(named)) {
          // As the gateway: the type name (maybe @inaccessible) is not shown.
          run.errors.push(ERRORS.INVALID_GRAPHQL.err(`Invalid __typename found for object at ${lastElementDescription(run.path, type, parentType)}.`, { path: [...run.path] }));
          hasErrors = true;
          writer.ascii('null');
          wroteNull = true;
          return;
        }
        objectType = typename;
      }
      const start = writer.length;
      const written = writeObject(run, object, selection, objectType);
      invalid = false;
      hasErrors = !written;
      wroteNull = !written;
      if (!written) {
        writer.rewind(start);
        writer.ascii('null');
      }
      return;
    }
    case 'leaf': {
      invalid = false;
      if (inputValue === null) {
        hasErrors = false;
        writer.ascii('null');
        wroteNull = true;
        return;
      }
      if (!type.isValid(inputValue)) {
        run.errors.push(ERRORS.INVALID_GRAPHQL.err(`Invalid value found for ${lastElementDescription(run.path, type, parentType)}.`, { path: [...run.path] }));
        hasErrors = true;
        writer.ascii('null');
        wroteNull = true;
        return;
      }
      hasErrors = false;
      wroteNull = false;
      writer.value(inputValue);
      return;
    }
    default:
      throw new Error(`unknown shape type ${(type as { kind: string }).kind}`);
  }
}

function lastElementDescription(path: readonly (string | number)[], currentType: ShapeType, parentType: string): string {
  const element = path[path.length - 1];
  return typeof element === 'string' ? `field ${parentType}.${element}` : `array element of type ${printShapeType(currentType)} at index ${element}`;
}

function printShapeType(type: ShapeType): string {
  switch (type.kind) {
    case 'nonNull':
      return `${printShapeType(type.ofType)}!`;
    case 'list':
      return `[${printShapeType(type.ofType)}]`;
    default:
      return type.name;
  }
}
