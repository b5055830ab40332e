// The API-schema diff: @graphql-inspector/core on the composed API schemas (what clients see), with
// federation artefacts filtered, schema coordinates and stable change ids.
import type { Change } from '@graphql-inspector/core';
import { getNamedType, isInterfaceType, isObjectType, printSchema, type GraphQLSchema } from 'graphql';

export type Criticality = 'BREAKING' | 'DANGEROUS' | 'SAFE';

export interface ApiChange {
  /** `<TYPE>:<coordinate>` (plus `:<member>` for union members and interfaces): what approvals name. */
  id: string;
  type: string;
  criticality: Criticality;
  /** Schema coordinate: `Type`, `Type.field`, `Type.field(arg:)`, `Enum.VALUE`, `Input.field`, `@directive`. */
  coordinate: string;
  message: string;
  /** Inspector's explanation of its criticality, when it gives one. */
  detail: string | undefined;
  /** An operation that uses every one of these coordinates is affected by the change. */
  usageKeys: string[];
}

export interface DiffPolicy {
  additions: 'dangerous' | 'safe';
}

// Federation machinery never belongs to the client contract. The API schema should not contain
// any of it; the filter is a second line (Inspector's own `ignoreDirectives` rule is a no-op).
const FEDERATION_TYPE = /^(join__|link__|federation__|_Service$|_Entity$|_Any$|_FieldSet$)/;
const FEDERATION_DIRECTIVES = new Set([
  'tag', 'inaccessible', 'key', 'shareable', 'override', 'external', 'requires', 'provides', 'link', 'composeDirective',
  'interfaceObject', 'authenticated', 'requiresScopes', 'policy', 'context', 'fromContext', 'cost', 'listSize', 'extends',
]);

function isFederationArtefact(change: Change): boolean {
  const path = change.path ?? '';
  const [first = ''] = path.split('.');
  if (FEDERATION_TYPE.test(first) || path === 'Query._entities' || path === 'Query._service') return true;
  const directive = /@([\w]+)/.exec(path)?.[1];
  if (directive && (FEDERATION_DIRECTIVES.has(directive) || directive.startsWith('join__') || directive.startsWith('link__') || directive.startsWith('federation__'))) return true;
  // Inspector 8 reports a deprecation twice: as *_DEPRECATION_* and as a directive usage.
  return change.type.startsWith('DIRECTIVE_USAGE_') && directive === 'deprecated';
}

/** `Type.field.arg` → `Type.field(arg:)`; directive usages cut at the directive. */
export function toCoordinate(path: string): string {
  if (path.startsWith('@')) {
    const [directive, arg] = path.split('.');
    return arg ? `${directive}(${arg}:)` : directive!;
  }
  const segments: string[] = [];
  for (const segment of path.split('.')) {
    if (segment.startsWith('@')) break;
    segments.push(segment);
  }
  const [type, field, arg] = segments;
  if (arg !== undefined) return `${type}.${field}(${arg}:)`;
  return segments.join('.');
}

/** The parent of a coordinate: `T.f(a:)` → `T.f` → `T`; `E.V` → `E`; `@d(a:)` → `@d`. */
export function parentCoordinate(coordinate: string): string | undefined {
  const arg = /^([^.]+\.[^(]+|@[^(]+)\(/.exec(coordinate);
  if (arg) return arg[1];
  const dot = coordinate.indexOf('.');
  return dot > 0 ? coordinate.slice(0, dot) : undefined;
}

function metaOf(change: Change): Record<string, unknown> {
  return (change.meta ?? {}) as Record<string, unknown>;
}

/** The coordinates an operation must use to be affected (all of them). */
function usageKeysFor(change: Change, coordinate: string): string[] {
  switch (change.type) {
    // Every use of the field, input type or directive must now pass the new value (or gets a new default).
    case 'FIELD_ARGUMENT_ADDED':
    case 'FIELD_ARGUMENT_DEFAULT_CHANGED':
    case 'INPUT_FIELD_ADDED':
    case 'INPUT_FIELD_DEFAULT_VALUE_CHANGED':
    case 'DIRECTIVE_ARGUMENT_ADDED':
    case 'DIRECTIVE_ARGUMENT_DEFAULT_VALUE_CHANGED':
    // Any operation that reads or sends the enum can meet the removed or added value.
    case 'ENUM_VALUE_ADDED':
    case 'ENUM_VALUE_REMOVED':
      return [parentCoordinate(coordinate) ?? coordinate];
    // Only an operation that writes the directive there.
    case 'DIRECTIVE_LOCATION_REMOVED': {
      const location = metaOf(change)['removedDirectiveLocation'];
      return typeof location === 'string' ? [`${coordinate}:${location}`] : [coordinate];
    }
    // Only an operation that meets the type through the interface or union (a `... on Member`
    // inside a selection of it, or the reverse) stops validating; others just never see it there.
    case 'OBJECT_TYPE_INTERFACE_REMOVED':
    case 'UNION_MEMBER_REMOVED': {
      const meta = metaOf(change);
      const other = meta['removedInterfaceName'] ?? meta['removedUnionMemberTypeName'];
      return typeof other === 'string' ? [coordinate, other] : [coordinate];
    }
    default:
      return [coordinate];
  }
}

/** Inspector puts some changes at the directive itself: the argument belongs in the coordinate. */
function coordinateOf(change: Change): string {
  const coordinate = toCoordinate(change.path ?? '');
  const arg = metaOf(change)['addedDirectiveArgumentName'];
  return change.type === 'DIRECTIVE_ARGUMENT_ADDED' && typeof arg === 'string' && !coordinate.includes('(') ? `${coordinate}(${arg}:)` : coordinate;
}

function memberSuffix(change: Change): string {
  const meta = metaOf(change);
  const member =
    meta['removedUnionMemberTypeName'] ?? meta['addedUnionMemberTypeName'] ?? meta['removedInterfaceName'] ?? meta['addedInterfaceName'] ?? meta['addedDirectiveLocation'] ?? meta['removedDirectiveLocation'];
  return typeof member === 'string' ? `:${member}` : '';
}

/** Named types some output field returns: where a new enum value can reach a client. */
function outputTypeNames(schema: GraphQLSchema): Set<string> {
  const out = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const field of Object.values(type.getFields())) out.add(getNamedType(field.type).name);
  }
  return out;
}

function criticalityOf(change: Change, policy: DiffPolicy, outputs: Set<string>): Criticality {
  if (policy.additions === 'safe' && (change.type === 'ENUM_VALUE_ADDED' || change.type === 'UNION_MEMBER_ADDED')) return 'SAFE';
  const meta = metaOf(change);
  // Inspector's danger is a client switching over a value it reads; an enum no field returns is
  // only ever sent, and a client never meets a value it did not send (Apollo and Hive agree).
  if (change.type === 'ENUM_VALUE_ADDED' && typeof meta['enumName'] === 'string' && !outputs.has(meta['enumName'])) return 'SAFE';
  // Inspector calls any non-null directive argument breaking; with a default, no use has to pass it.
  if (change.type === 'DIRECTIVE_ARGUMENT_ADDED' && meta['addedDirectiveDefaultValue'] !== undefined) return 'SAFE';
  switch (change.criticality.level) {
    case 'BREAKING':
      return 'BREAKING';
    case 'DANGEROUS':
      return 'DANGEROUS';
    case 'NON_BREAKING':
      return 'SAFE';
    default:
      throw new Error(`unknown criticality level ${String(change.criticality.level)}`);
  }
}

export async function diffApiSchemas(base: GraphQLSchema, head: GraphQLSchema, policy: DiffPolicy): Promise<ApiChange[]> {
  if (base === head || printSchema(base) === printSchema(head)) return [];
  // Loaded on demand: an unchanged schema (the common case in CI) never needs it.
  const { diff } = await import('@graphql-inspector/core');
  const raw = (await diff(base, head)).filter((c) => !isFederationArtefact(c));
  // A new type or directive is one change: its fields, values, members, arguments and locations are part of it.
  const added = new Set(raw.filter((c) => c.type === 'TYPE_ADDED' || c.type === 'DIRECTIVE_ADDED').map((c) => c.path ?? ''));
  const outputs = outputTypeNames(head);
  const changes: ApiChange[] = [];
  const ids = new Map<string, number>();
  for (const change of raw) {
    const coordinate = coordinateOf(change);
    const [owner = ''] = coordinate.split(/[.(]/);
    if (change.type !== 'TYPE_ADDED' && change.type !== 'DIRECTIVE_ADDED' && added.has(owner)) continue;
    let id = `${change.type}:${coordinate}${memberSuffix(change)}`;
    const seen = ids.get(id) ?? 0;
    ids.set(id, seen + 1);
    if (seen) id = `${id}#${seen + 1}`;
    changes.push({
      id,
      type: change.type,
      criticality: criticalityOf(change, policy, outputs),
      coordinate,
      message: change.message,
      detail: change.criticality.reason,
      usageKeys: usageKeysFor(change, coordinate),
    });
  }
  return changes;
}
