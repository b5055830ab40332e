// The authorization requirements a supergraph declares, read once when the router starts: the
// `@authenticated`, `@requiresScopes` and `@policy` directives composition kept on fields and on
// object, interface, scalar and enum types (under whatever name the supergraph's `@link`s give
// them). Stock @apollo/gateway ignores them; this router enforces them (see ./authorize.ts).
import { baseType, type NamedType, type Schema, type SchemaElement } from '@apollo/federation-internals';

/**
 * One requirement. `anyOf` is the directives' `[[String]]`: the request passes when it satisfies
 * every entry of at least one inner list (an OR of ANDs).
 */
export type Requirement = { kind: 'authenticated' } | { kind: 'scopes'; anyOf: readonly (readonly string[])[] } | { kind: 'policy'; anyOf: readonly (readonly string[])[] };

/** Requirements by type name, and by `Type.field`. Empty when the supergraph declares none. */
export interface SchemaRequirements {
  readonly types: ReadonlyMap<string, readonly Requirement[]>;
  readonly fields: ReadonlyMap<string, readonly Requirement[]>;
  /** Every policy name used anywhere (to report the ones the router does not know). */
  readonly policyNames: ReadonlySet<string>;
}

const AUTHENTICATED = 'https://specs.apollo.dev/authenticated';
const REQUIRES_SCOPES = 'https://specs.apollo.dev/requiresScopes';
const POLICY = 'https://specs.apollo.dev/policy';

/** A stable text for a requirement: equal requirements are evaluated once per request. */
export function requirementKey(requirement: Requirement): string {
  return requirement.kind === 'authenticated' ? 'authenticated' : `${requirement.kind}:${JSON.stringify(requirement.anyOf)}`;
}

/** Reads the requirements of a supergraph schema (`Supergraph.build(sdl).schema`). */
export function readRequirements(schema: Schema): SchemaRequirements {
  const features = schema.coreFeatures;
  const nameOf = (identity: string, directive: string) => features?.getByIdentity(identity)?.directiveNameInSchema(directive);
  const authenticated = nameOf(AUTHENTICATED, 'authenticated');
  const requiresScopes = nameOf(REQUIRES_SCOPES, 'requiresScopes');
  const policy = nameOf(POLICY, 'policy');
  const types = new Map<string, Requirement[]>();
  const fields = new Map<string, Requirement[]>();
  const policyNames = new Set<string>();
  if (!authenticated && !requiresScopes && !policy) return { types, fields, policyNames };

  const requirementsOf = (element: SchemaElement<any, any>): Requirement[] => {
    const out: Requirement[] = [];
    if (authenticated && element.appliedDirectivesOf(authenticated).length > 0) out.push({ kind: 'authenticated' });
    if (requiresScopes) {
      for (const directive of element.appliedDirectivesOf(requiresScopes)) out.push({ kind: 'scopes', anyOf: matrixOf(directive.arguments().scopes) });
    }
    if (policy) {
      for (const directive of element.appliedDirectivesOf(policy)) {
        const anyOf = matrixOf(directive.arguments().policies);
        for (const names of anyOf) for (const name of names) policyNames.add(name);
        out.push({ kind: 'policy', anyOf });
      }
    }
    return out;
  };

  for (const type of schema.types() as NamedType[]) {
    const own = requirementsOf(type);
    if (own.length > 0) types.set(type.name, own);
    if (type.kind !== 'ObjectType' && type.kind !== 'InterfaceType') continue;
    for (const field of type.fields()) {
      const onField = requirementsOf(field);
      if (onField.length > 0) fields.set(`${type.name}.${field.name}`, onField);
    }
  }
  // A type's requirements apply to every field that returns it (through lists and non-null).
  if (types.size > 0) {
    for (const type of schema.types() as NamedType[]) {
      if (type.kind !== 'ObjectType' && type.kind !== 'InterfaceType') continue;
      for (const field of type.fields()) {
        const returned = types.get(baseType(field.type!).name);
        if (!returned) continue;
        const key = `${type.name}.${field.name}`;
        fields.set(key, [...(fields.get(key) ?? []), ...returned]);
      }
    }
  }
  return { types, fields, policyNames };
}

/** A `[[String]]` argument value (null and non-list values count as empty). */
function matrixOf(value: unknown): string[][] {
  if (!Array.isArray(value)) return [];
  return value.map((inner) => (Array.isArray(inner) ? inner.filter((s): s is string => typeof s === 'string') : []));
}
