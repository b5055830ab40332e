// Executable directives composed into the supergraph with @composeDirective (e.g. `@access` on
// FIELD). federation-internals leaves every directive of a linked feature out of the API schema,
// these included, so stock @apollo/gateway refuses them as "Unknown directive"; the federation spec
// makes them part of the API. The planner forwards them as written to the subgraphs, where an
// argument the supergraph defaults may be required: the router writes defaulted arguments out.
import { astFromValue, Kind, visit, DirectiveLocation, type ArgumentNode, type DocumentNode, type GraphQLSchema } from 'graphql';
import { baseType, copyDirectiveDefinitionToSchema, type Schema } from '@apollo/federation-internals';

const EXECUTABLE_LOCATIONS: ReadonlySet<string> = new Set([
  DirectiveLocation.QUERY,
  DirectiveLocation.MUTATION,
  DirectiveLocation.SUBSCRIPTION,
  DirectiveLocation.FIELD,
  DirectiveLocation.FRAGMENT_DEFINITION,
  DirectiveLocation.FRAGMENT_SPREAD,
  DirectiveLocation.INLINE_FRAGMENT,
  DirectiveLocation.VARIABLE_DEFINITION,
]);

/**
 * Adds to `apiSchema` (in place) the supergraph's directives with executable locations that it
 * lacks, with those locations only, and returns their names. A directive whose arguments use a
 * type the API schema does not have (a feature's own type) is left out.
 */
export function addComposedExecutableDirectives(supergraphSchema: Schema, apiSchema: Schema): ReadonlySet<string> {
  const added = new Set<string>();
  for (const definition of supergraphSchema.directives()) {
    // @defer and @stream are left out of the API on purpose (the router does not serve them).
    if (definition.name === 'defer' || definition.name === 'stream' || apiSchema.directive(definition.name)) continue;
    if (!definition.locations.some((location) => EXECUTABLE_LOCATIONS.has(location))) continue;
    if (definition.arguments().some((argument) => !argument.type || !apiSchema.type(baseType(argument.type).name))) continue;
    copyDirectiveDefinitionToSchema({ definition, schema: apiSchema, copyDirectiveApplicationsInArguments: false, locationFilter: (location) => EXECUTABLE_LOCATIONS.has(location) });
    added.add(definition.name);
  }
  if (added.size > 0) apiSchema.validate();
  return added;
}

/**
 * The document with every argument of a `directives` directive that it leaves to its default
 * written out (the same document when there is none): what the supergraph means, in a form each
 * subgraph accepts whatever default (or none) its own definition has.
 */
export function withDirectiveDefaults(document: DocumentNode, schema: GraphQLSchema, directives: ReadonlySet<string>): DocumentNode {
  if (directives.size === 0) return document;
  return visit(document, {
    Directive(node) {
      if (!directives.has(node.name.value)) return undefined;
      const definition = schema.getDirective(node.name.value);
      if (!definition) return undefined;
      const given = new Set(node.arguments?.map((a) => a.name.value));
      const defaults: ArgumentNode[] = [];
      for (const argument of definition.args) {
        if (given.has(argument.name) || argument.defaultValue === undefined) continue;
        const value = astFromValue(argument.defaultValue, argument.type);
        if (value) defaults.push({ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: argument.name }, value });
      }
      return defaults.length > 0 ? { ...node, arguments: [...(node.arguments ?? []), ...defaults] } : undefined;
    },
  });
}
