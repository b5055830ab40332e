// Helpers over the plain JSON data the executor merges subgraph answers into. Ports of the
// gateway's own (executeQueryPlan.ts, dataRewrites.ts, deepMerge.ts) with the same semantics.
import type { GraphQLSchema } from 'graphql';
import { isAbstractType, isInterfaceType, isObjectType } from 'graphql';
import type { FetchDataRewrite, QueryPlanSelectionNode } from '@apollo/query-planner';

export type ResultMap = Record<string, unknown>;

const hasOwn = Object.prototype.hasOwnProperty;

export function getOwn(object: ResultMap, key: string): unknown {
  return hasOwn.call(object, key) ? object[key] : undefined;
}

/** Sets a property as an own data property, even for `__proto__`. */
export function setOwn(object: ResultMap, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}

function isPlainObject(value: unknown): value is ResultMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep merge of a subgraph answer into the data (the gateway's `deepMerge`). */
export function deepMerge(target: ResultMap, source: unknown): void {
  if (source === undefined || source === null) return;
  const src = source as ResultMap;
  // for…in with an own-property check: the same keys in the same order as Object.keys, without
  // a keys array per merged object (no key is added to the source while it is read).
  for (const key in src) {
    if (!hasOwn.call(src, key)) continue;
    const value = src[key];
    if (value === undefined) continue;
    const existing = hasOwn.call(target, key) ? target[key] : undefined;
    if (existing && isPlainObject(value)) {
      deepMerge(existing as ResultMap, value);
    } else if (Array.isArray(value) && Array.isArray(existing) && value.length === existing.length) {
      for (let i = 0; i < value.length; i++) {
        const a = existing[i];
        const b = value[i];
        if (isPlainObject(a) && isPlainObject(b)) deepMerge(a, b);
        else existing[i] = b;
      }
    } else {
      setOwn(target, key, value);
    }
  }
}

/** Is `object` (by its `__typename`) of type `typeCondition` in `schema`? (the gateway's `isObjectOfType`) */
export function isObjectOfType(schema: GraphQLSchema, object: ResultMap, typeCondition: string, defaultOnUnknownObjectType = false): boolean {
  const typename = object.__typename;
  if (!typename) return defaultOnUnknownObjectType;
  if (typeCondition === typename) return true;
  const type = schema.getType(typename as string);
  if (!type) return false;
  const condition = schema.getType(typeCondition);
  if (!condition) return false;
  if (isAbstractType(condition)) return (isObjectType(type) || isInterfaceType(type)) && schema.isSubType(condition, type);
  return false;
}

/**
 * The representation of an entity for a fetch's `requires` selection, or null when the entity
 * lacks an input (the gateway's `executeSelectionSet`).
 */
export function representationOf(schema: GraphQLSchema, source: ResultMap | null, selections: readonly QueryPlanSelectionNode[]): ResultMap | null {
  if (source === null) return null;
  const result: ResultMap = {};
  for (const selection of selections) {
    if (selection.kind === 'Field') {
      const responseName = selection.alias ?? selection.name;
      const value = hasOwn.call(source, responseName) ? source[responseName] : undefined;
      if (value === undefined) return null;
      const sub = selection.selections;
      if (Array.isArray(value)) {
        setOwn(result, responseName, value.map((element) => (sub ? representationOf(schema, element as ResultMap | null, sub) : element)));
      } else if (sub) {
        setOwn(result, responseName, representationOf(schema, value as ResultMap | null, sub));
      } else {
        setOwn(result, responseName, value);
      }
    } else {
      if (!selection.typeCondition) continue;
      if (isObjectOfType(schema, source, selection.typeCondition)) deepMerge(result, representationOf(schema, source, selection.selections));
    }
  }
  return result;
}

const FRAGMENT_PREFIX = '... on ';

/** The gateway's `applyRewrites` (input and output rewrites of a fetch). */
export function applyRewrites(schema: GraphQLSchema, rewrites: readonly FetchDataRewrite[] | undefined, value: unknown): void {
  if (!rewrites) return;
  for (const rewrite of rewrites) {
    if (rewrite.path.length === 0) continue;
    const parent = rewrite.path.slice(0, -1);
    const last = rewrite.path[rewrite.path.length - 1]!;
    if (last.startsWith(FRAGMENT_PREFIX)) throw new Error(`Unexpected fragment as last element of ${rewrite.path}`);
    applyAtPath(schema, parent, 0, value, (object) => {
      if (rewrite.kind === 'ValueSetter') {
        setOwn(object, last, rewrite.setValueTo);
      } else {
        const atPath = getOwn(object, last);
        if (atPath) {
          setOwn(object, rewrite.renameKeyTo, atPath);
          object[last] = undefined;
        }
      }
    });
  }
}

function applyAtPath(schema: GraphQLSchema, path: readonly string[], index: number, value: unknown, apply: (object: ResultMap) => void): void {
  if (Array.isArray(value)) {
    for (const element of value) applyAtPath(schema, path, index, element, apply);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (index === path.length) {
    apply(value as ResultMap);
    return;
  }
  const element = path[index]!;
  if (element.startsWith(FRAGMENT_PREFIX)) {
    if (isObjectOfType(schema, value as ResultMap, element.slice(FRAGMENT_PREFIX.length), true)) applyAtPath(schema, path, index + 1, value, apply);
  } else {
    applyAtPath(schema, path, index + 1, getOwn(value as ResultMap, element), apply);
  }
}

/**
 * The non-null objects at a flatten path (`'@'` steps into lists), in the gateway's order. With
 * `paths`, also records each object's concrete response path (for error paths).
 */
export function objectsAtPath(root: ResultMap, path: readonly (string | number)[], out: ResultMap[], paths?: (string | number)[][]): void {
  collect(root, path, 0, out, paths, paths ? [] : undefined);
}

function collect(value: unknown, path: readonly (string | number)[], index: number, out: ResultMap[], paths: (string | number)[][] | undefined, current: (string | number)[] | undefined): void {
  if (value === undefined || value === null) return;
  if (index === path.length) {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const element = value[i];
        if (element === undefined || element === null) continue;
        out.push(element as ResultMap);
        if (paths && current) paths.push([...current, i]);
      }
    } else {
      out.push(value as ResultMap);
      if (paths && current) paths.push([...current]);
    }
    return;
  }
  const step = path[index]!;
  if (step === '@') {
    if (!Array.isArray(value)) throw new TypeError(`Expected a list at ${path.slice(0, index).join('.')}`);
    for (let i = 0; i < value.length; i++) {
      current?.push(i);
      collect(value[i], path, index + 1, out, paths, current);
      current?.pop();
    }
    return;
  }
  if (Array.isArray(value)) throw new Error(`Unexpected array in result for path element ${step}`);
  current?.push(step);
  collect(getOwn(value as ResultMap, step as string), path, index + 1, out, paths, current);
  current?.pop();
}
