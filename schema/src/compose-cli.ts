// `npm run compose`: the one writer of schema/supergraph.graphql and schema/api.graphql.
// `npm run compose:check`: exits 1 when the committed files differ from a fresh composition.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { API_SCHEMA_FILE, composeSupergraph, formatProblem, readSubgraphs, repoRoot, schemaDir, SUPERGRAPH_FILE } from './compose.ts';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const check = args.includes('--check');
// Overrides for tests and tools; the repository's layout is the default.
const subgraphsRoot = resolve(option('--subgraphs') ?? join(repoRoot, 'subgraphs'));
const outDir = resolve(option('--out') ?? schemaDir);

let subgraphs;
try {
  subgraphs = readSubgraphs(subgraphsRoot);
} catch (error) {
  process.stderr.write(`compose: cannot read subgraph SDL: ${(error as Error).message}\n`);
  process.exit(2);
}
if (subgraphs.length === 0) {
  process.stderr.write(`compose: no subgraphs found under ${subgraphsRoot}\n`);
  process.exit(2);
}

const result = composeSupergraph(subgraphs);
if (!result.ok) {
  process.stderr.write(`composition failed with ${result.errors.length} error(s):\n`);
  for (const error of result.errors) process.stderr.write(`  ${formatProblem(error)}\n`);
  process.exit(1);
}
for (const hint of result.hints) process.stderr.write(`hint: ${formatProblem(hint)}\n`);

const outputs = [
  [join(outDir, SUPERGRAPH_FILE), result.supergraphSdl],
  [join(outDir, API_SCHEMA_FILE), result.apiSchemaSdl],
] as const;

if (check) {
  const stale = outputs.filter(([file, text]) => !existsSync(file) || readFileSync(file, 'utf8') !== text).map(([file]) => file);
  if (stale.length) {
    process.stderr.write(`stale: ${stale.map((f) => relative(repoRoot, f)).join(', ')} — run \`npm run compose\` and commit the result\n`);
    process.exit(1);
  }
  process.stdout.write(`composition of ${subgraphs.length} subgraphs matches the committed supergraph and API schema\n`);
} else {
  // Write both files or neither: each goes to a temporary file first, then is renamed into place.
  for (const [file, text] of outputs) writeFileSync(`${file}.tmp`, text);
  for (const [file] of outputs) renameSync(`${file}.tmp`, file);
  process.stdout.write(`composed ${subgraphs.map((s) => s.name).join(', ')} → ${outputs.map(([f]) => relative(repoRoot, f)).join(', ')}\n`);
}
