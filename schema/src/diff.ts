// The API-schema diff: @graphql-inspector/core on the composed API schemas (what clients see), with
// federation artefacts filtered, schema coordinates and stable change ids.
import type { Change } from '@graphql-inspector/core';
import { printSchema, type GraphQLSchema } from 'graphql';

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
  /** An operation that uses this coordinate is affected by the change. */
  usageKey: string;
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

/** The parent of a coordinate: `T.f(a:)` → `T.f` → `T`; `E.V` → `E`. */
export function parentCoordinate(coordinate: string): string | undefined {
  const arg = /^([^.]+\.[^(]+)\(/.exec(coordinate);
  if (arg) return arg[1];
  const dot = coordinate.indexOf('.');
  return dot > 0 ? coordinate.slice(0, dot) : undefined;
}

function usageKeyFor(type: string, coordinate: string): string {
  switch (type) {
    // Every use of the field or input type must now pass the new value (or gets a new default).
    case 'FIELD_ARGUMENT_ADDED':
    case 'FIELD_ARGUMENT_DEFAULT_CHANGED':
    case 'INPUT_FIELD_ADDED':
    case 'INPUT_FIELD_DEFAULT_VALUE_CHANGED':
    // Any operation that reads or sends the enum can meet the removed or added value.
    case 'ENUM_VALUE_ADDED':
    case 'ENUM_VALUE_REMOVED':
      return parentCoordinate(coordinate) ?? coordinate;
    default:
      return coordinate;
  }
}

function memberSuffix(change: Change): string {
  const meta = (change.meta ?? {}) as Record<string, unknown>;
  const member = meta['removedUnionMemberTypeName'] ?? meta['addedUnionMemberTypeName'] ?? meta['removedInterfaceName'] ?? meta['addedInterfaceName'];
  return typeof member === 'string' ? `:${member}` : '';
}

function criticalityOf(change: Change, policy: DiffPolicy): Criticality {
  if (policy.additions === 'safe' && (change.type === 'ENUM_VALUE_ADDED' || change.type === 'UNION_MEMBER_ADDED')) return 'SAFE';
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
  // A new type is one change: its fields, values and members are part of it.
  const addedTypes = new Set(raw.filter((c) => c.type === 'TYPE_ADDED').map((c) => c.path ?? ''));
  const changes: ApiChange[] = [];
  const ids = new Map<string, number>();
  for (const change of raw) {
    const coordinate = toCoordinate(change.path ?? '');
    const [owner = ''] = coordinate.split('.');
    if (change.type !== 'TYPE_ADDED' && addedTypes.has(owner)) continue;
    let id = `${change.type}:${coordinate}${memberSuffix(change)}`;
    const seen = ids.get(id) ?? 0;
    ids.set(id, seen + 1);
    if (seen) id = `${id}#${seen + 1}`;
    changes.push({
      id,
      type: change.type,
      criticality: criticalityOf(change, policy),
      coordinate,
      message: change.message,
      detail: change.criticality.reason,
      usageKey: usageKeyFor(change.type, coordinate),
    });
  }
  return changes;
}
