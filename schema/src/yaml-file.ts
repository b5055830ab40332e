// YAML config files (checks.yaml, approvals.yaml): parse errors and schema violations both become
// a CheckInputError naming the file and line, so CI says exactly which entry to fix.
import { existsSync, readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { atFile, CheckInputError } from './errors.ts';

export function readYamlFile<T>(file: string, schema: z.ZodType<T>, whenMissing: unknown): T {
  if (!existsSync(file)) return schema.parse(whenMissing);
  const text = readFileSync(file, 'utf8');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  const [error] = doc.errors;
  if (error) {
    // prettyErrors adds the position (`… at line 3, column 13:`) and a code frame: keep the words.
    const words = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new CheckInputError(atFile(file, `invalid YAML: ${words}`, error.linePos?.[0]));
  }
  const value = doc.toJS() ?? whenMissing;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  // Point at the deepest node of the path that exists in the file.
  let line: { line: number; col: number } | undefined;
  for (let depth = issue.path.length; depth >= 0 && !line; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(issue.path.slice(0, depth) as (string | number)[], true);
    if (isNode(node) && node.range) line = lineCounter.linePos(node.range[0]);
  }
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  throw new CheckInputError(atFile(file, `${where}${issue.message}`, line));
}
