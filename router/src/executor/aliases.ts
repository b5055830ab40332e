// Client selections the query planner would lose. The planner (2.14) merges the selections of one
// object by response name, keeping the first: the fields it adds itself — key fields, `@requires`
// inputs, `@fromContext` selections, `__typename` — are selected under their own name, so a client
// field answered under one of those names with another field or other arguments (`currency: id`
// beside the context field `currency`, `price(currency: "EUR")` beside a required
// `price(currency: "USD")`) is merged with it: one of the two values is lost, for the client or
// for the subgraph that needs it. Such client fields are planned under a fresh alias instead (the
// subgraphs see it; the response still uses the client's name: shape.ts reads the data under
// `dataKeyOf`).
import { GraphQLError, Kind, parse, visit, type ArgumentNode, type DocumentNode, type FieldNode } from 'graphql';

/** Client response name → the alias its colliding fields are planned under. */
export type AliasRenames = ReadonlyMap<string, string>;

const NAME = /[_A-Za-z][_0-9A-Za-z]*/g;

/**
 * Every name the planner may select on its own in this supergraph: the names in `@key` and
 * `@requires` field sets and `@fromContext` selections (`@join__type(key:)`,
 * `@join__field(requires:, contextArguments:)`), and `__typename`. Taken as plain words, so a type
 * condition or an argument value is counted too: an extra name only costs an alias.
 */
export function plannerSelectedNames(supergraphSdl: string): ReadonlySet<string> {
  const names = new Set<string>(['__typename']);
  const addWords = (text: string) => {
    for (const word of text.match(NAME) ?? []) names.add(word);
  };
  visit(parse(supergraphSdl), {
    Directive(node) {
      if (node.name.value !== 'join__type' && node.name.value !== 'join__field') return;
      for (const argument of node.arguments ?? []) {
        const name = argument.name.value;
        if ((name === 'key' || name === 'requires') && argument.value.kind === Kind.STRING) addWords(argument.value.value);
        if (name === 'contextArguments') visit(argument.value, { ObjectField: (field) => void (field.name.value === 'selection' && field.value.kind === Kind.STRING && addWords(field.value.value)) });
      }
    },
  });
  return names;
}

/** Answered under a name the planner may also select, with another field or with arguments. */
function collides(field: FieldNode, plannerNames: ReadonlySet<string>): boolean {
  const responseName = field.alias?.value ?? field.name.value;
  return plannerNames.has(responseName) && isRenameable(field);
}

function isRenameable(field: FieldNode): boolean {
  return (field.alias !== undefined && field.alias.value !== field.name.value) || hasArguments(field.arguments);
}

function hasArguments(args: readonly ArgumentNode[] | undefined): boolean {
  return args !== undefined && args.length > 0;
}

/**
 * The fresh alias of each response name some client field collides under (empty: the usual case).
 * Fresh names are used nowhere in the document nor by the planner.
 */
export function aliasRenames(document: DocumentNode, plannerNames: ReadonlySet<string>): AliasRenames {
  const colliding: string[] = [];
  const used = new Set<string>(plannerNames);
  visit(document, {
    Field(field) {
      used.add(field.name.value);
      if (field.alias) used.add(field.alias.value);
      const responseName = field.alias?.value ?? field.name.value;
      if (collides(field, plannerNames) && !colliding.includes(responseName)) colliding.push(responseName);
    },
  });
  const renames = new Map<string, string>();
  for (const responseName of colliding) {
    let fresh = `${responseName}__client`;
    while (used.has(fresh)) fresh += '_';
    used.add(fresh);
    renames.set(responseName, fresh);
  }
  return renames;
}

/** Where a client field's value is in the executor's data: its response name, or its fresh alias. */
export function dataKeyOf(field: FieldNode, renames: AliasRenames | undefined): string {
  const responseName = field.alias?.value ?? field.name.value;
  if (!renames || renames.size === 0) return responseName;
  const fresh = renames.get(responseName);
  return fresh !== undefined && isRenameable(field) ? fresh : responseName;
}

/** The document the planner gets: colliding client fields under their fresh alias. */
export function withRenamedAliases(document: DocumentNode, renames: AliasRenames | undefined): DocumentNode {
  if (!renames || renames.size === 0) return document;
  return visit(document, {
    Field(field) {
      const key = dataKeyOf(field, renames);
      return key === (field.alias?.value ?? field.name.value) ? undefined : { ...field, alias: { kind: Kind.NAME, value: key } };
    },
  });
}

/**
 * Errors as the client's operation names its fields: a path through a fresh alias (from a
 * subgraph's error) gets the client's response name back. Fresh aliases are used nowhere else.
 */
export function withClientPaths(errors: readonly Error[], renames: AliasRenames | undefined): readonly Error[] {
  if (!renames || renames.size === 0) return errors;
  const clientNames = new Map([...renames].map(([responseName, fresh]) => [fresh, responseName]));
  return errors.map((error) => {
    if (!(error instanceof GraphQLError) || !error.path?.some((step) => typeof step === 'string' && clientNames.has(step))) return error;
    const path = error.path.map((step) => (typeof step === 'string' ? (clientNames.get(step) ?? step) : step));
    return new GraphQLError(error.message, { ...(error.nodes ? { nodes: error.nodes } : {}), ...(error.source ? { source: error.source } : {}), ...(error.positions ? { positions: error.positions } : {}), path, ...(error.originalError ? { originalError: error.originalError } : {}), extensions: error.extensions });
  });
}
