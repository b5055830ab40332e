// Per operation, once (when it is prepared): where the operation selects something that carries
// a requirement, and the operation without the selections a request may not make.
import {
  getNamedType,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { requirementKey, type Requirement, type SchemaRequirements } from './requirements.ts';

export type GuardedNode = FieldNode | InlineFragmentNode | FragmentSpreadNode;

/** One place in the operation that carries requirements. */
export interface Site {
  node: GuardedNode;
  /** Response names from the root, `@` for each list level (as Apollo's router reports them). */
  path: readonly string[];
  /** Indices into `OperationRequirements.requirements`: all must pass. */
  requirements: readonly number[];
  /** The nearest enclosing site (-1 at the top): nothing under a removed site is reported. */
  parent: number;
}

export interface OperationRequirements {
  /** Distinct requirements of the operation, each evaluated once per request. */
  requirements: readonly Requirement[];
  /** In document order: a site comes after its parent. */
  sites: readonly Site[];
}

/** Answers "what does selecting `Type.field` require?" for an API schema, memoized. */
export class RequirementIndex {
  readonly #schema: GraphQLSchema;
  readonly #declared: SchemaRequirements;
  readonly #fields = new Map<string, readonly Requirement[]>();
  constructor(schema: GraphQLSchema, declared: SchemaRequirements) {
    this.#schema = schema;
    this.#declared = declared;
  }
  get isEmpty(): boolean {
    return this.#declared.fields.size === 0 && this.#declared.types.size === 0;
  }
  /** A field's own requirements and its return type's; on an interface, also every implementation's. */
  field(parent: GraphQLNamedType, name: string): readonly Requirement[] {
    const key = `${parent.name}.${name}`;
    let found = this.#fields.get(key);
    if (!found) {
      const all = [...(this.#declared.fields.get(key) ?? [])];
      if (isInterfaceType(parent)) {
        for (const implementation of this.#schema.getPossibleTypes(parent)) all.push(...(this.#declared.fields.get(`${implementation.name}.${name}`) ?? []));
      }
      found = dedupe(all);
      this.#fields.set(key, found);
    }
    return found;
  }
  /** A fragment on a narrower type than its parent needs what that type needs. */
  fragment(parent: GraphQLNamedType, typeCondition: GraphQLNamedType): readonly Requirement[] {
    if (typeCondition === parent) return [];
    const own = [...(this.#declared.types.get(typeCondition.name) ?? [])];
    if (isAbstractType(typeCondition)) for (const possible of this.#schema.getPossibleTypes(typeCondition)) own.push(...(this.#declared.types.get(possible.name) ?? []));
    return dedupe(own);
  }
}

function dedupe(requirements: readonly Requirement[]): readonly Requirement[] {
  const seen = new Map<string, Requirement>();
  for (const requirement of requirements) seen.set(requirementKey(requirement), requirement);
  return [...seen.values()];
}

/** The operation's sites; `null` when it selects nothing that carries a requirement (the common case). */
export function operationRequirements(index: RequirementIndex, schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): OperationRequirements | null {
  if (index.isEmpty) return null;
  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  if (!root) return null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);

  const requirements: Requirement[] = [];
  const indexByKey = new Map<string, number>();
  const sites: Site[] = [];
  const addSite = (node: GuardedNode, path: readonly string[], needs: readonly Requirement[], parent: number): number => {
    if (needs.length === 0) return parent;
    const indices = needs.map((requirement) => {
      const key = requirementKey(requirement);
      let at = indexByKey.get(key);
      if (at === undefined) {
        at = requirements.push(requirement) - 1;
        indexByKey.set(key, at);
      }
      return at;
    });
    return sites.push({ node, path, requirements: indices, parent }) - 1;
  };

  const walk = (parentType: GraphQLNamedType, selectionSet: SelectionSetNode, path: readonly string[], parent: number, seen: ReadonlySet<string>): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__') || !(isObjectType(parentType) || isInterfaceType(parentType))) continue;
        const definition = parentType.getFields()[name];
        if (!definition) continue;
        const fieldPath = [...path, selection.alias?.value ?? name];
        const site = addSite(selection, fieldPath, index.field(parentType, name), parent);
        if (selection.selectionSet) walk(getNamedType(definition.type), selection.selectionSet, [...fieldPath, ...listLevels(definition.type)], site, seen);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parentType;
        if (!type || !isCompositeType(type)) continue;
        const site = addSite(selection, path, index.fragment(parentType, type), parent);
        walk(type, selection.selectionSet, path, site, seen);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || seen.has(name)) continue;
        const type = schema.getType(fragment.typeCondition.name.value);
        if (!type || !isCompositeType(type)) continue;
        const site = addSite(selection, path, index.fragment(parentType, type), parent);
        walk(type, fragment.selectionSet, path, site, new Set([...seen, name]));
      }
    }
  };
  walk(root, operation.selectionSet, [], -1, new Set());
  return sites.length === 0 ? null : { requirements, sites };
}

/** `@` once per list level of a field's type, so paths read like Apollo's: `["products", "@", "stock"]`. */
function listLevels(type: GraphQLOutputType): string[] {
  const out: string[] = [];
  let current: GraphQLOutputType = type;
  while (isListType(current) || isNonNullType(current)) {
    if (isListType(current)) out.push('@');
    current = current.ofType as GraphQLOutputType;
  }
  return out;
}

/** The sites a request fails (given which requirements it fails), without those under another. */
export function deniedSites(operation: OperationRequirements, failed: readonly boolean[]): Site[] {
  const removed: boolean[] = [];
  const out: Site[] = [];
  operation.sites.forEach((site, i) => {
    const underRemoved = site.parent >= 0 && removed[site.parent] === true;
    const fails = site.requirements.some((r) => failed[r]);
    removed[i] = underRemoved || fails;
    if (fails && !underRemoved) out.push(site);
  });
  return out;
}

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

/**
 * The document without `removed` selections. A selection set left empty keeps `__typename`, so
 * the parent is still fetched and the removed fields come back as null under it. `emptyRoot`: the
 * operation selects nothing any more (there is nothing to plan).
 */
export function withoutSelections(document: DocumentNode, operation: OperationDefinitionNode, removed: ReadonlySet<GuardedNode>): { document: DocumentNode; emptyRoot: boolean } {
  const remove = (node: GuardedNode) => (removed.has(node) ? null : undefined);
  const emptyRoot = operation.selectionSet.selections.every((s) => removed.has(s as GuardedNode));
  const filtered = visit(document, {
    Field: { enter: remove },
    InlineFragment: { enter: remove },
    FragmentSpread: { enter: remove },
    SelectionSet: { leave: (node) => (node.selections.length === 0 ? { ...node, selections: [TYPENAME] } : undefined) },
  });
  return { document: filtered, emptyRoot };
}
