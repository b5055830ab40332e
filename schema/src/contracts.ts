// @tag contracts: a filtered API schema per contract (`schema/checks.yaml` → contracts), built from
// the composed supergraph's @tag applications, so it is diffed exactly like the full API schema.
//
// Rules (those of Apollo contracts, stated for this repo):
//  1. An element tagged with an excluded tag is removed (types, fields, arguments, enum values,
//     input fields).
//  2. With included tags, an object or interface field stays only when it, or its type, carries an
//     included tag. Other kinds of types, arguments, enum values and input fields stay unless excluded.
//  3. Then, until nothing changes: a field whose type is gone goes; a required argument or input
//     field that is gone takes its field or input type with it; a type left without fields, values
//     or members goes; a union loses members that are gone.
//  4. Types no longer reachable from the root types are removed.
import {
  buildASTSchema,
  GraphQLSchema,
  isTypeDefinitionNode,
  isTypeExtensionNode,
  Kind,
  parse,
  printSchema,
  visit,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
  type TypeDefinitionNode,
  type TypeNode,
} from 'graphql';

export interface ContractFilter {
  include: string[];
  exclude: string[];
}

export type ContractResult = { ok: true; schema: GraphQLSchema; sdl: string } | { ok: false; message: string };

function namedTypeOf(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedTypeOf(type.type);
}

const isRequired = (node: InputValueDefinitionNode) => node.type.kind === Kind.NON_NULL_TYPE && !node.defaultValue;

/** Schema coordinate → tags applied to it anywhere in the supergraph. */
export function tagsByCoordinate(supergraphSdl: string): Map<string, Set<string>> {
  const doc = parse(supergraphSdl, { noLocation: true });
  // The supergraph links the tag spec, possibly under another name (`@link(url: …/tag/v0.3, as: "x")`).
  let tagName = 'tag';
  for (const def of doc.definitions) {
    if (def.kind !== Kind.SCHEMA_DEFINITION && def.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const d of def.directives ?? []) {
      const url = d.arguments?.find((a) => a.name.value === 'url')?.value;
      const as = d.arguments?.find((a) => a.name.value === 'as')?.value;
      if (url?.kind === Kind.STRING && /\/tag\/v[\d.]+$/.test(url.value) && as?.kind === Kind.STRING) tagName = as.value;
    }
  }
  const tags = new Map<string, Set<string>>();
  const collect = (coordinate: string, directives: readonly ConstDirectiveNode[] | undefined) => {
    for (const d of directives ?? []) {
      if (d.name.value !== tagName) continue;
      const name = d.arguments?.find((a) => a.name.value === 'name')?.value;
      if (name?.kind !== Kind.STRING) continue;
      const set = tags.get(coordinate) ?? new Set<string>();
      set.add(name.value);
      tags.set(coordinate, set);
    }
  };
  for (const def of doc.definitions) {
    if (!isTypeDefinitionNode(def) && !isTypeExtensionNode(def)) continue;
    const type = def.name.value;
    collect(type, def.directives);
    if ('fields' in def) {
      for (const field of def.fields ?? []) {
        collect(`${type}.${field.name.value}`, field.directives);
        if ('arguments' in field) for (const arg of field.arguments ?? []) collect(`${type}.${field.name.value}(${arg.name.value}:)`, arg.directives);
      }
    }
    if ('values' in def) for (const value of def.values ?? []) collect(`${type}.${value.name.value}`, value.directives);
  }
  return tags;
}

export function buildContractSchema(supergraphSdl: string, apiSchemaSdl: string, filter: ContractFilter): ContractResult {
  const tags = tagsByCoordinate(supergraphSdl);
  const include = new Set(filter.include);
  const exclude = new Set(filter.exclude);
  const has = (coordinate: string, set: Set<string>) => [...(tags.get(coordinate) ?? [])].some((t) => set.has(t));

  const api = parse(apiSchemaSdl, { noLocation: true });
  const types = new Map<string, TypeDefinitionNode>();
  for (const def of api.definitions) if (isTypeDefinitionNode(def)) types.set(def.name.value, def);

  const gone = new Set<string>(); // removed coordinates (types and members)
  const isGoneType = (name: string) => gone.has(name);

  // Rules 1 and 2.
  for (const [name, def] of types) {
    if (has(name, exclude)) gone.add(name);
    if (def.kind === Kind.OBJECT_TYPE_DEFINITION || def.kind === Kind.INTERFACE_TYPE_DEFINITION) {
      for (const field of def.fields ?? []) {
        const c = `${name}.${field.name.value}`;
        const included = include.size === 0 || has(c, include) || has(name, include);
        if (has(c, exclude) || !included) gone.add(c);
        for (const arg of field.arguments ?? []) if (has(`${c}(${arg.name.value}:)`, exclude)) gone.add(`${c}(${arg.name.value}:)`);
      }
    }
    if (def.kind === Kind.ENUM_TYPE_DEFINITION) for (const v of def.values ?? []) if (has(`${name}.${v.name.value}`, exclude)) gone.add(`${name}.${v.name.value}`);
    if (def.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION) for (const f of def.fields ?? []) if (has(`${name}.${f.name.value}`, exclude)) gone.add(`${name}.${f.name.value}`);
  }

  // Rule 3, to a fixed point.
  const remove = (coordinate: string) => {
    if (gone.has(coordinate)) return false;
    gone.add(coordinate);
    return true;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, def] of types) {
      if (isGoneType(name)) continue;
      switch (def.kind) {
        case Kind.OBJECT_TYPE_DEFINITION:
        case Kind.INTERFACE_TYPE_DEFINITION: {
          let kept = 0;
          for (const field of def.fields ?? []) {
            const c = `${name}.${field.name.value}`;
            if (gone.has(c)) continue;
            let drop = isGoneType(namedTypeOf(field.type));
            for (const arg of field.arguments ?? []) {
              const a = `${c}(${arg.name.value}:)`;
              if (!gone.has(a) && isGoneType(namedTypeOf(arg.type))) changed = remove(a) || changed;
              if (gone.has(a) && isRequired(arg)) drop = true;
            }
            if (drop) changed = remove(c) || changed;
            else kept++;
          }
          if (kept === 0) changed = remove(name) || changed;
          break;
        }
        case Kind.INPUT_OBJECT_TYPE_DEFINITION: {
          let kept = 0;
          for (const field of def.fields ?? []) {
            const c = `${name}.${field.name.value}`;
            if (!gone.has(c) && isGoneType(namedTypeOf(field.type))) changed = remove(c) || changed;
            if (gone.has(c) && isRequired(field)) changed = remove(name) || changed;
            if (!gone.has(c)) kept++;
          }
          if (kept === 0) changed = remove(name) || changed;
          break;
        }
        case Kind.ENUM_TYPE_DEFINITION:
          if ((def.values ?? []).every((v) => gone.has(`${name}.${v.name.value}`))) changed = remove(name) || changed;
          break;
        case Kind.UNION_TYPE_DEFINITION:
          if ((def.types ?? []).every((t) => isGoneType(t.name.value))) changed = remove(name) || changed;
          break;
        case Kind.SCALAR_TYPE_DEFINITION:
          break;
        default:
          throw new Error(`unexpected type definition ${(def as { kind: string }).kind}`);
      }
    }
  }

  const keepField = (type: string) => (field: FieldDefinitionNode) => !gone.has(`${type}.${field.name.value}`);
  const filtered = visit(api, {
    enter(node) {
      if (!('name' in node) || !node.name || !('kind' in node)) return undefined;
      switch (node.kind) {
        case Kind.OBJECT_TYPE_DEFINITION:
        case Kind.INTERFACE_TYPE_DEFINITION: {
          const name = node.name.value;
          if (isGoneType(name)) return null;
          const fields = (node.fields ?? []).filter(keepField(name)).map((f) => ({
            ...f,
            arguments: (f.arguments ?? []).filter((a) => !gone.has(`${name}.${f.name.value}(${a.name.value}:)`)),
          }));
          // An interface stays implemented only if every field it keeps is still here.
          const interfaces = (node.interfaces ?? []).filter((i) => {
            const iface = types.get(i.name.value);
            if (!iface || isGoneType(i.name.value) || !('fields' in iface)) return false;
            return (iface.fields ?? []).every((f) => gone.has(`${i.name.value}.${f.name.value}`) || fields.some((g) => g.name.value === f.name.value));
          });
          return { ...node, fields, interfaces };
        }
        case Kind.INPUT_OBJECT_TYPE_DEFINITION: {
          const name = node.name.value;
          if (isGoneType(name)) return null;
          return { ...node, fields: (node.fields ?? []).filter((f) => !gone.has(`${name}.${f.name.value}`)) };
        }
        case Kind.ENUM_TYPE_DEFINITION: {
          const name = node.name.value;
          if (isGoneType(name)) return null;
          return { ...node, values: (node.values ?? []).filter((v) => !gone.has(`${name}.${v.name.value}`)) };
        }
        case Kind.UNION_TYPE_DEFINITION:
          if (isGoneType(node.name.value)) return null;
          return { ...node, types: (node.types ?? []).filter((t) => !isGoneType(t.name.value)) };
        case Kind.SCALAR_TYPE_DEFINITION:
          return isGoneType(node.name.value) ? null : undefined;
        default:
          return undefined;
      }
    },
  }) as DocumentNode;

  if (!filtered.definitions.some((d) => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === 'Query')) {
    return { ok: false, message: 'the contract keeps no Query field' };
  }
  let schema: GraphQLSchema;
  try {
    const built = buildASTSchema(filtered);
    // Rule 4: a schema built from its root types alone holds only the reachable types.
    schema = new GraphQLSchema({ ...built.toConfig(), types: [] });
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  return { ok: true, schema, sdl: printSchema(schema) + '\n' };
}
