// Which subgraph(s) caused a change of the composed API schema: those whose own definition of the
// changed schema coordinate (or, failing that, of its parent) differs between base and head.
import { Kind, parse, print, type ASTNode, type DefinitionNode } from 'graphql';
import { parentCoordinate } from './diff.ts';
import type { SubgraphSdl } from './sources.ts';

/** subgraph → schema coordinate → the subgraph's printed definition of it. */
export type DefinitionIndex = Map<string, Map<string, string>>;

function typeShell(node: DefinitionNode): string {
  // A type's own line: kind, interfaces, members, directives, description — not its fields.
  const n = node as unknown as { kind: string; description?: ASTNode; interfaces?: readonly ASTNode[]; types?: readonly ASTNode[]; directives?: readonly ASTNode[] };
  const kind = n.kind.replace('Extension', 'Definition');
  const parts = [kind];
  if (n.description) parts.push(print(n.description));
  for (const list of [n.interfaces, n.types, n.directives]) parts.push((list ?? []).map((x) => print(x)).sort().join(' '));
  return parts.join('|');
}

export function indexDefinitions(subgraphs: SubgraphSdl[]): DefinitionIndex {
  const index: DefinitionIndex = new Map();
  for (const subgraph of subgraphs) {
    const entries = new Map<string, string>();
    const add = (coordinate: string, text: string) => entries.set(coordinate, entries.has(coordinate) ? `${entries.get(coordinate)}\n${text}` : text);
    for (const def of parse(subgraph.sdl, { noLocation: true }).definitions) {
      if (def.kind === Kind.DIRECTIVE_DEFINITION) {
        add(`@${def.name.value}`, print(def));
        continue;
      }
      if (!('name' in def) || !def.name || def.kind === Kind.OPERATION_DEFINITION || def.kind === Kind.FRAGMENT_DEFINITION) continue;
      const type = def.name.value;
      add(type, typeShell(def));
      if ('fields' in def && def.fields) {
        for (const field of def.fields) {
          add(`${type}.${field.name.value}`, print(field));
          if ('arguments' in field) for (const arg of field.arguments ?? []) add(`${type}.${field.name.value}(${arg.name.value}:)`, print(arg));
        }
      }
      if ('values' in def && def.values) for (const value of def.values) add(`${type}.${value.name.value}`, print(value));
    }
    index.set(subgraph.name, entries);
  }
  return index;
}

/** The subgraphs behind a change at `coordinate`, sorted; empty when no subgraph defines it. */
export function subgraphsBehind(coordinate: string, base: DefinitionIndex, head: DefinitionIndex): string[] {
  const names = [...new Set([...base.keys(), ...head.keys()])].sort();
  const levels: string[] = [];
  for (let c: string | undefined = coordinate; c; c = parentCoordinate(c)) levels.push(c);
  for (const level of levels) {
    const changed = names.filter((s) => base.get(s)?.get(level) !== head.get(s)?.get(level));
    if (changed.length) return changed;
  }
  // Nothing changed in any subgraph's own definition (an indirect effect): name who defines it.
  for (const level of levels) {
    const defining = names.filter((s) => head.get(s)?.has(level) || base.get(s)?.has(level));
    if (defining.length) return defining;
  }
  return [];
}
