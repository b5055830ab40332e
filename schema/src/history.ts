// schema/history/: every published version of the schema, numbered, with its change list.
//   <NNNN>/version.json          number, date, commit, subgraphs, changes, deprecations
//   <NNNN>/api.graphql           the API schema clients saw (for people and diffs)
//   <NNNN>/subgraphs/<name>.graphql  each subgraph's SDL: the source the checks recompose
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type GraphQLError } from 'graphql';
import { z } from 'zod';
import { atFile, CheckInputError } from './errors.ts';
import type { SchemaSource } from './sources.ts';

const changeRecordSchema = z.object({
  id: z.string(),
  type: z.string(),
  criticality: z.enum(['BREAKING', 'DANGEROUS', 'SAFE']),
  coordinate: z.string(),
  subgraphs: z.array(z.string()),
  message: z.string(),
});

const versionRecordSchema = z.object({
  version: z.number().int().positive(),
  publishedAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO timestamp'),
  commit: z.string().nullable(),
  subgraphs: z.array(z.string()),
  changes: z.array(changeRecordSchema),
  /** Every deprecated coordinate of this version → when it was first published as deprecated. */
  deprecations: z.record(z.string(), z.string()),
});

export type VersionRecord = z.infer<typeof versionRecordSchema>;
export type ChangeRecord = z.infer<typeof changeRecordSchema>;

export function versionDir(historyDir: string, version: number): string {
  return join(historyDir, String(version).padStart(4, '0'));
}

/** Published version numbers, ascending. */
export function listVersions(historyDir: string): number[] {
  if (!existsSync(historyDir)) return [];
  return readdirSync(historyDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^\d{4,}$/.test(e.name) && existsSync(join(historyDir, e.name, 'version.json')))
    .map((e) => Number(e.name))
    .sort((a, b) => a - b);
}

export function readVersionRecord(historyDir: string, version: number): VersionRecord {
  const file = join(versionDir(historyDir, version), 'version.json');
  if (!existsSync(file)) throw new CheckInputError(`${file}: no published version ${version} (published: ${listVersions(historyDir).join(', ') || 'none'})`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CheckInputError(atFile(file, `invalid JSON: ${(error as Error).message}`));
  }
  const parsed = versionRecordSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CheckInputError(atFile(file, `${issue.path.join('.')}: ${issue.message}`));
  }
  return parsed.data;
}

export function readVersionSource(historyDir: string, version: number): SchemaSource {
  const record = readVersionRecord(historyDir, version);
  const dir = join(versionDir(historyDir, version), 'subgraphs');
  const subgraphs = record.subgraphs.map((name) => {
    const file = join(dir, `${name}.graphql`);
    if (!existsSync(file)) throw new CheckInputError(`${file}: missing (version ${version} lists subgraph ${name})`);
    const sdl = readFileSync(file, 'utf8');
    try {
      parse(sdl);
    } catch (error) {
      throw new CheckInputError(atFile(file, (error as Error).message, (error as GraphQLError).locations?.[0]));
    }
    return { name, sdl, files: [file] };
  });
  return { label: `version ${version}`, subgraphs };
}

/** Writes a version folder whole or not at all (temporary folder, then rename). */
export function writeVersion(historyDir: string, record: VersionRecord, source: SchemaSource, apiSchemaSdl: string): string {
  const dir = versionDir(historyDir, record.version);
  if (existsSync(dir)) throw new CheckInputError(`${dir} already exists`);
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, 'subgraphs'), { recursive: true });
  for (const s of source.subgraphs) writeFileSync(join(tmp, 'subgraphs', `${s.name}.graphql`), s.sdl.endsWith('\n') ? s.sdl : `${s.sdl}\n`);
  writeFileSync(join(tmp, 'api.graphql'), apiSchemaSdl);
  writeFileSync(join(tmp, 'version.json'), `${JSON.stringify(record, null, 2)}\n`);
  renameSync(tmp, dir);
  return dir;
}

const CRITICALITY_LABEL = { BREAKING: '**breaking**', DANGEROUS: 'dangerous', SAFE: 'safe' } as const;

/** schema/CHANGELOG.md, newest version first, generated from every version.json. */
export function renderChangelog(records: VersionRecord[]): string {
  const lines = [
    '# Schema changelog',
    '',
    'Every published version of the API schema (`npm run schema:publish`). Generated from',
    '`schema/history/*/version.json`: do not edit by hand.',
    '',
  ];
  for (const record of [...records].sort((a, b) => b.version - a.version)) {
    const commit = record.commit ? ` · commit \`${record.commit.slice(0, 12)}\`` : '';
    lines.push(`## Version ${record.version} — ${record.publishedAt.slice(0, 10)}${commit}`, '');
    if (record.version === 1 && record.changes.length === 0) {
      lines.push(`First published version: ${record.subgraphs.length} subgraphs (${record.subgraphs.join(', ')}).`, '');
      continue;
    }
    if (record.changes.length === 0) {
      lines.push(`No change to the API schema (subgraphs: ${record.subgraphs.join(', ')}).`, '');
      continue;
    }
    const breaking = record.changes.filter((c) => c.criticality === 'BREAKING').length;
    lines.push(`${record.changes.length} change${record.changes.length === 1 ? '' : 's'}${breaking ? `, ${breaking} breaking` : ''}:`, '');
    for (const c of record.changes) {
      const by = c.subgraphs.length ? ` (${c.subgraphs.join(', ')})` : '';
      lines.push(`- ${CRITICALITY_LABEL[c.criticality]} \`${c.coordinate}\`${by}: ${c.message}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
