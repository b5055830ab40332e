// `@context` / `@fromContext` (federation 2.8): a fetch's contextual arguments take their values
// from each entity's ancestors in the data. The planner describes where with a fetch's
// `contextRewrites` (key renamers relative to the entity); this reads them. Stock @apollo/gateway
// does not implement contexts (it refuses supergraphs that use them); the semantics are the
// Apollo Router's: leading `..` go up one field each (list indexes skipped), `... on T` continues
// only on objects of type T, the first rewrite of a variable that finds a value gives it (null is
// a value; nothing found leaves the variable out, so the argument is absent).
import type { GraphQLSchema } from 'graphql';
import { getOwn, isObjectOfType, type ResultMap } from './data.ts';
import type { StepContext } from './plan.ts';

const FRAGMENT_PREFIX = '... on ';
const hasOwn = Object.prototype.hasOwnProperty;

/** The contextual variables' values for the entity at `path` (its concrete response path from `root`). */
export function contextValues(schema: GraphQLSchema, root: ResultMap, path: readonly (string | number)[], context: StepContext): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const { path: relative, variable } of context.rewrites) {
    if (hasOwn.call(values, variable)) continue;
    const value = valueAt(schema, root, path, relative);
    if (value !== undefined) values[variable] = value;
  }
  return values;
}

/**
 * Entities whose context values are equal share a key (and one `_entities` call): absent and
 * null differ, objects compare by their JSON.
 */
export function contextKey(values: Record<string, unknown>, context: StepContext): string {
  let key = '';
  for (const name of context.variables) key += `${hasOwn.call(values, name) ? JSON.stringify(values[name]) : ''}\u0000`;
  return key;
}

function valueAt(schema: GraphQLSchema, root: ResultMap, entityPath: readonly (string | number)[], relative: readonly string[]): unknown {
  let end = entityPath.length;
  let i = 0;
  for (; i < relative.length && relative[i] === '..'; i++) {
    // Up to the object holding the field the entity (or the list it is in) is the value of.
    do {
      if (end === 0) return undefined;
      end--;
    } while (typeof entityPath[end] === 'number');
  }
  let value: unknown = root;
  for (let k = 0; k < end; k++) {
    if (typeof value !== 'object' || value === null) return undefined;
    const step = entityPath[k]!;
    value = typeof step === 'number' ? (Array.isArray(value) ? value[step] : undefined) : Array.isArray(value) ? undefined : getOwn(value as ResultMap, step);
  }
  return select(schema, value, relative, i);
}

/** The value at `relative[index…]` from `value`; a field of a list is read from each element. */
function select(schema: GraphQLSchema, value: unknown, relative: readonly string[], index: number): unknown {
  if (index === relative.length) return value;
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    return value.map((element) => {
      const selected = select(schema, element, relative, index);
      return selected === undefined ? null : selected;
    });
  }
  const element = relative[index]!;
  if (element.startsWith(FRAGMENT_PREFIX)) {
    return isObjectOfType(schema, value as ResultMap, element.slice(FRAGMENT_PREFIX.length)) ? select(schema, value, relative, index + 1) : undefined;
  }
  return select(schema, getOwn(value as ResultMap, element), relative, index + 1);
}
