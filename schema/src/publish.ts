// `publishSchema`: records the working tree's schema as the next numbered version in
// schema/history/ with its change list (against the previous version) and regenerates
// schema/CHANGELOG.md. The caller then runs `npm run compose`.
import { writeFileSync } from 'node:fs';
import { buildSchema } from 'graphql';
import { deprecatedCoordinates, diffSources } from './check.ts';
import { composeForCheck, compositionKey } from './composition.ts';
import { loadChecksConfig } from './config.ts';
import { isInsideWorkTree, resolveCommit } from './git.ts';
import { listVersions, readVersionRecord, readVersionSource, renderChangelog, writeVersion, type VersionRecord } from './history.ts';
import type { CompositionProblem } from './problems.ts';
import { readWorkingTree } from './sources.ts';

export interface PublishOptions {
  repo: string;
  historyDir: string;
  changelogFile: string;
  configFile: string;
  now: Date;
  cacheDir: string | undefined;
}

export type PublishResult =
  | { ok: true; published: VersionRecord; dir: string }
  | { ok: true; published: undefined; latest: number }
  | { ok: false; errors: CompositionProblem[] };

export async function publishSchema(options: PublishOptions): Promise<PublishResult> {
  const config = loadChecksConfig(options.configFile);
  const head = readWorkingTree(options.repo);
  const composition = await composeForCheck(head.subgraphs, options.cacheDir);
  if (!composition.ok) return { ok: false, errors: composition.errors };

  const latest = listVersions(options.historyDir).at(-1);
  let changes: VersionRecord['changes'] = [];
  let previousDeprecations: Record<string, string> = {};
  if (latest !== undefined) {
    const previous = readVersionSource(options.historyDir, latest);
    if (compositionKey(previous.subgraphs) === compositionKey(head.subgraphs)) {
      writeFileSync(options.changelogFile, renderChangelog(listVersions(options.historyDir).map((v) => readVersionRecord(options.historyDir, v))));
      return { ok: true, published: undefined, latest };
    }
    const previousComposition = await composeForCheck(previous.subgraphs, options.cacheDir);
    if (previousComposition.ok) {
      changes = (await diffSources(previous, head, previousComposition.apiSchemaSdl, composition.apiSchemaSdl, config)).map((c) => ({
        id: c.id,
        type: c.type,
        criticality: c.criticality,
        coordinate: c.coordinate,
        subgraphs: c.subgraphs,
        message: c.message,
      }));
    }
    previousDeprecations = readVersionRecord(options.historyDir, latest).deprecations;
  }

  const publishedAt = options.now.toISOString();
  const deprecations: Record<string, string> = {};
  for (const coordinate of [...deprecatedCoordinates(buildSchema(composition.apiSchemaSdl))].sort()) {
    deprecations[coordinate] = previousDeprecations[coordinate] ?? publishedAt;
  }
  const record: VersionRecord = {
    version: (latest ?? 0) + 1,
    publishedAt,
    commit: isInsideWorkTree(options.repo) ? (resolveCommit(options.repo, 'HEAD') ?? null) : null,
    subgraphs: head.subgraphs.map((s) => s.name),
    changes,
    deprecations,
  };
  const dir = writeVersion(options.historyDir, record, head, composition.apiSchemaSdl);
  writeFileSync(options.changelogFile, renderChangelog(listVersions(options.historyDir).map((v) => readVersionRecord(options.historyDir, v))));
  return { ok: true, published: record, dir };
}
