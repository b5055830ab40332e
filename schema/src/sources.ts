// Where a schema comes from: the working tree, a git commit or a published version. Each source is
// the list of subgraph SDLs; everything else (supergraph, API schema, contracts) is composed from it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type GraphQLError } from 'graphql';
import { isSubgraphName, sdlFileNames } from '@store/core/contract';
import { atFile, CheckInputError } from './errors.ts';

export interface SubgraphSdl {
  name: string;
  sdl: string;
  /** Where the SDL came from, for messages (`subgraphs/x/schema.graphql`, `HEAD~1:subgraphs/…`). */
  files: string[];
  /** Lines of each file in `sdl` (files joined by a newline), to locate problems in multi-file subgraphs. */
  lines?: number[];
}

export interface SchemaSource {
  /** For people: `working tree`, `HEAD~1 (3f2a…)`, `version 4`. */
  label: string;
  subgraphs: SubgraphSdl[];
}

// The subgraph contract (which folders are subgraphs, which files are their SDL) is @store/core's;
// the checks apply it to git trees as well as to the working tree.
export { isSubgraphName };

/** Joins one subgraph's files; unparseable SDL throws a CheckInputError naming file, line and column. */
export function joinSubgraphFiles(files: { path: string; text: string }[]): string {
  for (const file of files) {
    try {
      parse(file.text);
    } catch (error) {
      throw new CheckInputError(atFile(file.path, (error as Error).message, (error as GraphQLError).locations?.[0]));
    }
  }
  return files.map((f) => f.text).join('\n');
}

/** How many lines of the joined SDL each file takes (the joining newline ends a file's last line). */
export function fileLineCounts(files: { text: string }[]): number[] {
  return files.map((f) => f.text.split('\n').length);
}

/** The working tree's subgraphs (`<repo>/subgraphs/<name>/*.graphql`). */
export function readWorkingTree(repo: string): SchemaSource {
  const root = join(repo, 'subgraphs');
  if (!existsSync(root)) return { label: 'working tree', subgraphs: [] };
  const subgraphs: SubgraphSdl[] = [];
  const dirs = readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && isSubgraphName(e.name))
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const dir of dirs) {
    const names = sdlFileNames(readdirSync(join(root, dir.name)));
    if (names.length === 0) continue;
    const files = names.map((f) => ({ path: join('subgraphs', dir.name, f), text: readFileSync(join(root, dir.name, f), 'utf8') }));
    subgraphs.push({ name: dir.name, sdl: joinSubgraphFiles(files), files: files.map((f) => f.path), lines: fileLineCounts(files) });
  }
  return { label: 'working tree', subgraphs };
}
