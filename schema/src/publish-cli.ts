// `npm run schema:publish` (after a merge): writes the working tree's schema as the next version in
// schema/history/ with its change list, regenerates schema/CHANGELOG.md, then runs `npm run compose`
// (the one writer of schema/supergraph.graphql and schema/api.graphql).
// Exit 0: published (or nothing new to publish). 1: the subgraphs do not compose. 2: could not run.
import { spawnSync } from 'node:child_process';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CheckInputError } from './errors.ts';
import { defaultCacheDir, repoPaths, toolRoot } from './paths.ts';
import { formatProblem } from './problems.ts';
import { publishSchema } from './publish.ts';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      repo: { type: 'string' },
      now: { type: 'string' },
      'no-cache': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const repo = resolve(values.repo ?? toolRoot);
  const paths = repoPaths(repo);
  const now = values.now ? new Date(values.now) : new Date();
  if (Number.isNaN(now.getTime())) throw new CheckInputError(`--now takes an ISO time, got "${values.now}"`);

  const result = await publishSchema({
    repo,
    historyDir: paths.history,
    changelogFile: paths.changelog,
    configFile: paths.config,
    now,
    cacheDir: values['no-cache'] ? undefined : defaultCacheDir,
  });
  if (!result.ok) {
    process.stderr.write(`schema publish: composition failed with ${result.errors.length} error(s):\n`);
    for (const error of result.errors) process.stderr.write(`  ${formatProblem(error)}\n`);
    return 1;
  }
  if (result.published) {
    const { version, changes } = result.published;
    const breaking = changes.filter((c) => c.criticality === 'BREAKING').length;
    process.stdout.write(`published version ${version} → ${relative(repo, result.dir)} (${changes.length} change${changes.length === 1 ? '' : 's'}${breaking ? `, ${breaking} breaking` : ''}); ${relative(repo, paths.changelog)} regenerated\n`);
  } else {
    process.stdout.write(`nothing to publish: the subgraphs are those of version ${result.latest}\n`);
  }
  // The one writer of the committed supergraph and API schema.
  const compose = spawnSync('npm', ['run', '--silent', 'compose', '--', '--subgraphs', paths.subgraphs, '--out', paths.schemaDir], { cwd: toolRoot, stdio: 'inherit' });
  return compose.status === 0 ? 0 : (compose.status ?? 2);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(error instanceof CheckInputError ? `schema publish could not run: ${error.message}\n` : `schema publish crashed: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 2;
  },
);
