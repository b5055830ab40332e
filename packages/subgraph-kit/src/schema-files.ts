import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type DocumentNode } from 'graphql';

/**
 * Reads a subgraph's SDL: every `*.graphql` file directly in its folder (the subgraph contract),
 * in name order, parsed as one document. Parse errors name the file and line.
 */
export function loadSubgraphSdl(dir: string): { sdl: string; document: DocumentNode; files: string[] } {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort();
  if (files.length === 0) throw new Error(`No .graphql files in ${dir}`);
  const parts: string[] = [];
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8');
    try {
      parse(text);
    } catch (error) {
      throw new Error(`${join(dir, file)}: ${(error as Error).message}`);
    }
    parts.push(text);
  }
  const sdl = parts.join('\n');
  return { sdl, document: parse(sdl), files: files.map((f) => join(dir, f)) };
}
