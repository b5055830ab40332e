// Scenario plumbing for the schema-check tests: fixture subgraphs copied into a temporary git
// repository (base committed, scenario edits in the working tree) and the real CLIs spawned on it.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkSchemaChanges, type CheckOptions, type CheckReport, type ReportedChange } from '../src/check.ts';
import { defaultCacheDir, repoPaths } from '../src/paths.ts';

export const toolRoot = join(import.meta.dirname, '..', '..');
export const fixturesDir = join(import.meta.dirname, 'fixtures');
/** Every scenario is evaluated at this instant (`--now`): approvals, grace periods, usage windows. */
export const NOW = '2026-11-26T12:00:00.000Z';

/** Subgraph name → SDL; `undefined` removes the subgraph. */
export type Store = Record<string, string | undefined>;

export function fixtureStore(): Store {
  const dir = join(fixturesDir, 'store');
  return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name, 'schema.graphql'), 'utf8')]));
}

/** Replaces text in one subgraph's SDL, failing loudly when the fixture no longer has it. */
export function edit(store: Store, subgraph: string, from: string | RegExp, to: string): void {
  const sdl = store[subgraph];
  if (sdl === undefined) throw new Error(`fixture has no subgraph ${subgraph}`);
  const next = sdl.replace(from, to);
  if (next === sdl) throw new Error(`fixture ${subgraph} has no ${String(from)}`);
  store[subgraph] = next;
}

const scratch = mkdtempSync(join(tmpdir(), 'store-schema-check-'));
export function removeScratch(): void {
  rmSync(scratch, { recursive: true, force: true });
}

function git(repo: string, ...args: string[]): string {
  const run = spawnSync('git', ['-C', repo, '-c', 'user.name=Schema Check Test', '-c', 'user.email=test@store.example', '-c', 'commit.gpgsign=false', ...args], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr}`);
  return run.stdout.trim();
}

function writeStore(repo: string, store: Store): void {
  rmSync(join(repo, 'subgraphs'), { recursive: true, force: true });
  for (const [name, sdl] of Object.entries(store)) {
    if (sdl === undefined) continue;
    mkdirSync(join(repo, 'subgraphs', name), { recursive: true });
    writeFileSync(join(repo, 'subgraphs', name, 'schema.graphql'), sdl);
  }
}

export function writeFiles(repo: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
}

export interface RepoSpec {
  /** The committed base (default: the fixture store). */
  before?: Store;
  /** The working tree (default: the base). */
  after?: Store;
  /** Files committed with the base (e.g. schema/checks.yaml), paths relative to the repo. */
  committed?: Record<string, string>;
  /** Files written to the working tree only (e.g. schema/approvals.yaml). */
  working?: Record<string, string>;
  /** Copy the fixture storefront client into clients/ (default true). */
  storefront?: boolean;
  /** `false`: a folder with no git repository; `'empty'`: `git init` without a commit. */
  git?: true | false | 'empty';
}

/** A temporary repository for one scenario; returns its path. */
export function makeRepo(spec: RepoSpec = {}): string {
  const repo = mkdtempSync(join(scratch, 'repo-'));
  const before = spec.before ?? fixtureStore();
  const mode = spec.git ?? true;
  if (mode !== false) git(repo, 'init', '-q', '-b', 'main');
  if (mode === true) {
    writeStore(repo, before);
    writeFiles(repo, spec.committed ?? {});
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'base');
  } else {
    writeFiles(repo, spec.committed ?? {});
  }
  writeStore(repo, spec.after ?? before);
  writeFiles(repo, spec.working ?? {});
  if (spec.storefront ?? true) cpSync(join(fixturesDir, 'clients'), join(repo, 'clients'), { recursive: true });
  return repo;
}

export function commitAll(repo: string, message: string): void {
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', message);
}

/** Writes a published version the way `schema:publish` lays it out (for history-based scenarios). */
export function writeVersion(repo: string, version: number, store: Store, meta: { publishedAt: string; deprecations?: Record<string, string> }): void {
  const dir = join(repo, 'schema', 'history', String(version).padStart(4, '0'));
  const subgraphs = Object.entries(store).filter((e): e is [string, string] => e[1] !== undefined);
  for (const [name, sdl] of subgraphs) writeFiles(dir, { [`subgraphs/${name}.graphql`]: sdl });
  const record = { version, publishedAt: meta.publishedAt, commit: null, subgraphs: subgraphs.map(([n]) => n).sort(), changes: [], deprecations: meta.deprecations ?? {} };
  writeFiles(dir, { 'version.json': JSON.stringify(record, null, 2), 'api.graphql': '' });
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Spawns a CLI of schema/src (the real command, through tsx) and collects its output. */
export function runCli(script: 'check-cli.ts' | 'publish-cli.ts', args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join('schema', 'src', script), ...args], {
      cwd: toolRoot,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** `schema:check --format json` on a repository; stdout must be exactly one JSON object. */
export async function check(repo: string, ...args: string[]): Promise<CliRun & { report: CheckReport }> {
  const run = await runCli('check-cli.ts', ['--repo', repo, '--format', 'json', '--now', NOW, ...args]);
  if (run.status === 2) return { ...run, report: undefined as unknown as CheckReport };
  let report: CheckReport;
  try {
    report = JSON.parse(run.stdout) as CheckReport;
  } catch {
    throw new Error(`stdout is not one JSON object (exit ${run.status}):\n${run.stdout}\nstderr:\n${run.stderr}`);
  }
  return { ...run, report };
}

/** A change reduced to what the scenarios assert. */
export function summarize(changes: ReportedChange[]): { id: string; criticality: string; blocking: boolean; subgraphs: string[] }[] {
  return changes.map((c) => ({ id: c.id, criticality: c.criticality, blocking: c.blocking, subgraphs: c.subgraphs })).sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The same check in process, for scenarios where the command line is not the point (policy
 * variants, input errors beyond the ones the CLI scenarios cover): no process start-up per case.
 */
export async function checkInProcess(repo: string, options: Partial<CheckOptions> = {}): Promise<CheckReport> {
  const paths = repoPaths(repo);
  const outcome = await checkSchemaChanges({
    repo,
    base: { kind: 'git', ref: 'HEAD' },
    head: { kind: 'working-tree' },
    clientsDir: paths.clients,
    usagePaths: [],
    configFile: paths.config,
    approvalsFile: paths.approvals,
    historyDir: paths.history,
    now: new Date(NOW),
    cacheDir: defaultCacheDir,
    log: () => {},
    ...options,
  });
  return outcome.report;
}
