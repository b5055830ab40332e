// Reading subgraph SDL as it was at a commit, without touching the working tree.
import { spawnSync } from 'node:child_process';
import { CheckInputError } from './errors.ts';
import { fileLineCounts, isSubgraphName, joinSubgraphFiles, type SubgraphSdl } from './sources.ts';

interface GitResult {
  status: number | null;
  stdout: Buffer;
  stderr: string;
}

function git(repo: string, args: string[], input?: string): GitResult {
  const run = spawnSync('git', ['-C', repo, ...args], { input, maxBuffer: 512 * 1024 * 1024 });
  if (run.error) throw new CheckInputError(`cannot run git: ${run.error.message}`);
  return { status: run.status, stdout: run.stdout, stderr: run.stderr.toString('utf8').trim() };
}

/** The commit a ref names, or undefined when it names none (unknown ref, empty repo, not a repo). */
export function resolveCommit(repo: string, ref: string): string | undefined {
  const run = git(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  return run.status === 0 ? run.stdout.toString('utf8').trim() : undefined;
}

export function isInsideWorkTree(repo: string): boolean {
  const run = git(repo, ['rev-parse', '--is-inside-work-tree']);
  return run.status === 0 && run.stdout.toString('utf8').trim() === 'true';
}

/**
 * `HEAD`, `HEAD~n`, `HEAD^`…: refs that exist in any full clone with enough history. When one of
 * them names no commit (a first commit, an empty repository, a shallow clone, no repository at
 * all), the check falls back to the latest published version instead of failing.
 */
export function isHeadRelative(ref: string): boolean {
  return /^HEAD([~^]\d*)*$/.test(ref);
}

const SUBGRAPH_FILE = /^subgraphs\/([^/]+)\/([^/]+\.graphql)$/;

/**
 * The subgraph contract at a commit: `subgraphs/<name>/*.graphql`, in file-name order, joined as
 * `loadSubgraphSdl` joins them. Unparseable SDL throws a CheckInputError naming `<ref>:<path>:line`.
 */
export function readSubgraphsAtCommit(repo: string, commit: string, label: string): SubgraphSdl[] {
  const tree = git(repo, ['ls-tree', '-r', '-z', commit, '--', 'subgraphs']);
  if (tree.status !== 0) throw new CheckInputError(`git ls-tree ${label} failed: ${tree.stderr}`);
  const entries: { name: string; path: string; sha: string }[] = [];
  for (const line of tree.stdout.toString('utf8').split('\0')) {
    const match = /^(\d+) (\w+) ([0-9a-f]+)\t(.+)$/.exec(line);
    if (!match || match[1] === '120000' || match[2] !== 'blob') continue;
    const path = match[4]!;
    const file = SUBGRAPH_FILE.exec(path);
    if (!file || !isSubgraphName(file[1]!)) continue;
    entries.push({ name: file[1]!, path, sha: match[3]! });
  }
  if (entries.length === 0) return [];
  const contents = catFiles(repo, entries.map((e) => e.sha));
  const byName = new Map<string, { path: string; text: string }[]>();
  entries.forEach((entry, i) => {
    const list = byName.get(entry.name) ?? [];
    list.push({ path: entry.path, text: contents[i]! });
    byName.set(entry.name, list);
  });
  return [...byName.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, files]) => {
      const ordered = files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((f) => ({ path: `${label}:${f.path}`, text: f.text }));
      return { name, sdl: joinSubgraphFiles(ordered), files: ordered.map((f) => f.path), lines: fileLineCounts(ordered) };
    });
}

/** Blob contents for many object ids with one `git cat-file --batch`. */
function catFiles(repo: string, shas: string[]): string[] {
  const run = git(repo, ['cat-file', '--batch'], shas.join('\n') + '\n');
  if (run.status !== 0) throw new CheckInputError(`git cat-file failed: ${run.stderr}`);
  const out = run.stdout;
  const texts: string[] = [];
  let at = 0;
  for (let i = 0; i < shas.length; i++) {
    const eol = out.indexOf(0x0a, at);
    const header = out.subarray(at, eol).toString('utf8').split(' ');
    const size = Number(header[2]);
    if (header[1] !== 'blob' || !Number.isFinite(size)) throw new CheckInputError(`git cat-file: unexpected object ${header.join(' ')}`);
    texts.push(out.subarray(eol + 1, eol + 1 + size).toString('utf8'));
    at = eol + 1 + size + 1;
  }
  return texts;
}

export function shortCommit(commit: string): string {
  return commit.slice(0, 12);
}
