// `npm run schema:check -- [--base <git-ref>] [--from <version> [--to <version>]] [--usage <file|dir>]…
//                          [--format text|markdown|json]`
// Exit 0: nothing blocks. 1: blocked (composition failures included). 2: the check could not run.
// With --format json, stdout carries exactly the JSON report; progress and errors go to stderr.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkSchemaChanges, type BaseSpec, type HeadSpec } from './check.ts';
import { CheckInputError } from './errors.ts';
import { defaultCacheDir, repoPaths, toolRoot } from './paths.ts';
import { formatReport, type ReportFormat } from './report.ts';

const USAGE = `usage: npm run schema:check -- [options]
  --base <git-ref>        compare the working tree with the subgraphs at this commit (default HEAD;
                          when HEAD-relative and absent, the latest published version)
  --from <n> [--to <n>]   compare published versions (--to defaults to the working tree)
  --usage <file|dir>      NDJSON usage logs (repeatable)
  --format <f>            text (default) | markdown | json
  --repo <dir>            repository root (default: this repository)
  --clients <dir>         client apps (default <repo>/clients)
  --config <file>         default <repo>/schema/checks.yaml
  --approvals <file>      default <repo>/schema/approvals.yaml
  --history <dir>         default <repo>/schema/history
  --now <ISO time>        evaluate expiries, grace periods and the usage window at this time
  --no-cache              compose without the composition cache`;

function usageError(message: string): never {
  throw new CheckInputError(`${message}\n${USAGE}`);
}

function versionNumber(flag: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) usageError(`${flag} takes a published version number, got "${value}"`);
  return Number(value);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      base: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      usage: { type: 'string', multiple: true },
      format: { type: 'string', default: 'text' },
      repo: { type: 'string' },
      clients: { type: 'string' },
      config: { type: 'string' },
      approvals: { type: 'string' },
      history: { type: 'string' },
      now: { type: 'string' },
      'no-cache': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const format = values.format as ReportFormat;
  if (!['text', 'markdown', 'json'].includes(format)) usageError(`--format is text, markdown or json, got "${values.format}"`);
  if (values.base !== undefined && values.from !== undefined) usageError('--base and --from exclude each other');
  if (values.to !== undefined && values.from === undefined) usageError('--to needs --from');
  const now = values.now ? new Date(values.now) : new Date();
  if (Number.isNaN(now.getTime())) usageError(`--now takes an ISO time, got "${values.now}"`);

  const repo = resolve(values.repo ?? toolRoot);
  const paths = repoPaths(repo);
  const base: BaseSpec = values.from !== undefined ? { kind: 'version', version: versionNumber('--from', values.from) } : { kind: 'git', ref: values.base ?? 'HEAD' };
  const head: HeadSpec = values.to !== undefined ? { kind: 'version', version: versionNumber('--to', values.to) } : { kind: 'working-tree' };
  const approvalsFile = resolve(values.approvals ?? paths.approvals);

  const outcome = await checkSchemaChanges({
    repo,
    base,
    head,
    clientsDir: resolve(values.clients ?? paths.clients),
    usagePaths: (values.usage ?? []).map((p) => resolve(p)),
    configFile: resolve(values.config ?? paths.config),
    approvalsFile,
    historyDir: resolve(values.history ?? paths.history),
    now,
    cacheDir: values['no-cache'] ? undefined : defaultCacheDir,
    log: (message) => process.stderr.write(`${message}\n`),
  });
  const color = format === 'text' && process.stdout.isTTY === true && !process.env['NO_COLOR'];
  process.stdout.write(formatReport(outcome, format, { color, approvalsFile: values.approvals ?? 'schema/approvals.yaml' }));
  return outcome.report.verdict === 'pass' ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CheckInputError) process.stderr.write(`schema check could not run: ${error.message}\n`);
    else if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) process.stderr.write(`schema check could not run: ${error.message}\n${USAGE}\n`);
    else process.stderr.write(`schema check crashed: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 2;
  },
);
