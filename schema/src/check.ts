// `checkSchemaChanges`: composition → API-schema diff → client usage → contracts → lint →
// approvals → verdict. Expected failures (composition errors, blocking changes) are a verdict;
// a check that cannot run throws CheckInputError.
import { join, relative } from 'node:path';
import { buildSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';
import { approvalFor, loadApprovals, type Approval } from './approvals.ts';
import { indexDefinitions, subgraphsBehind, type DefinitionIndex } from './attribution.ts';
import { formatProblem, type CompositionProblem } from './problems.ts';
import { composeForCheck, compositionKey } from './composition.ts';
import { loadChecksConfig, type ChecksConfig } from './config.ts';
import { buildContractSchema } from './contracts.ts';
import { diffApiSchemas, type ApiChange, type Criticality } from './diff.ts';
import { CheckInputError } from './errors.ts';
import { isHeadRelative, isInsideWorkTree, readSubgraphsAtCommit, resolveCommit, shortCommit } from './git.ts';
import { listVersions, readVersionRecord, readVersionSource } from './history.ts';
import { lintApiSchema } from './lint.ts';
import { readWorkingTree, type SchemaSource } from './sources.ts';
import { coordinatesOf, loadPersistedOperations, loadUsageLogs, validateOperation, type KnownOperation } from './usage.ts';

export type BaseSpec = { kind: 'git'; ref: string } | { kind: 'version'; version: number };
export type HeadSpec = { kind: 'working-tree' } | { kind: 'version'; version: number };

export interface CheckOptions {
  /** Repository root: `subgraphs/`, and by default `clients/` and `schema/…` are read from here. */
  repo: string;
  base: BaseSpec;
  head: HeadSpec;
  clientsDir: string;
  /**
   * Subgraphs that call the router as clients, with their own `persisted-operations.json`
   * (`subgraphs/<name>/`). Default: `<repo>/subgraphs`.
   */
  serviceClientsDir?: string;
  /** NDJSON usage-log files or folders (`--usage`). */
  usagePaths: string[];
  configFile: string;
  approvalsFile: string;
  historyDir: string;
  now: Date;
  /** Where compositions are memoised (undefined: compose every time). */
  cacheDir: string | undefined;
  log: (message: string) => void;
}

export interface OperationUse {
  client: string;
  name: string;
  hash: string;
  source: 'persisted' | 'usage-log';
  clientVersion?: string;
  count?: number;
  lastSeen?: string;
}

export interface ReportedChange {
  id: string;
  type: string;
  criticality: Criticality;
  coordinate: string;
  subgraphs: string[];
  blocking: boolean;
  reason: string;
  usage: { operations: OperationUse[] };
}

export interface LintFinding {
  id: string;
  rule: string;
  severity: 'error' | 'warning' | 'info';
  coordinate: string | null;
  subgraphs: string[];
  blocking: boolean;
  message: string;
}

export interface ReportedProblem extends CompositionProblem {
  /** Set when the problem is in a contract rather than the full API schema. */
  contract?: string;
}

/** The JSON report (`--format json` prints exactly this object). */
export interface CheckReport {
  verdict: 'pass' | 'fail';
  composition: { errors: ReportedProblem[]; hints: ReportedProblem[] };
  changes: ReportedChange[];
  lint: LintFinding[];
  contracts: Record<string, { changes: ReportedChange[] }>;
}

/** What the text and markdown reports say around the JSON report. */
export interface CheckContext {
  base: string;
  head: string;
  subgraphs: string[];
  clients: string[];
  persistedOperations: number;
  loggedOperations: number;
  notes: string[];
}

export interface CheckOutcome {
  report: CheckReport;
  context: CheckContext;
}

const DAY = 86_400_000;
const REMOVALS = new Set(['FIELD_REMOVED', 'ENUM_VALUE_REMOVED', 'INPUT_FIELD_REMOVED', 'FIELD_ARGUMENT_REMOVED']);

interface ResolvedBase {
  source: SchemaSource | undefined;
  /** Coordinate → when it was first published as deprecated (for the removal grace period). */
  deprecations: Record<string, string>;
}

function latestDeprecations(historyDir: string, upTo?: number): Record<string, string> {
  const versions = listVersions(historyDir).filter((v) => upTo === undefined || v <= upTo);
  const latest = versions.at(-1);
  return latest === undefined ? {} : readVersionRecord(historyDir, latest).deprecations;
}

function resolveBase(options: CheckOptions, notes: string[]): ResolvedBase {
  const { base, historyDir, repo } = options;
  if (base.kind === 'version') {
    return { source: readVersionSource(historyDir, base.version), deprecations: readVersionRecord(historyDir, base.version).deprecations };
  }
  const commit = resolveCommit(repo, base.ref);
  if (commit) {
    return { source: { label: `${base.ref} (${shortCommit(commit)})`, subgraphs: readSubgraphsAtCommit(repo, commit, base.ref) }, deprecations: latestDeprecations(historyDir) };
  }
  const inWorkTree = isInsideWorkTree(repo);
  if (!isHeadRelative(base.ref)) throw new CheckInputError(`unknown git ref "${base.ref}" in ${repo}${inWorkTree ? '' : ' (not a git work tree)'}`);
  // A first commit, a shallow clone or no repository at all: the latest published version is the base.
  const why = inWorkTree ? `${base.ref} names no commit here (a first commit or a shallow clone)` : `${repo} is not a git work tree`;
  const latest = listVersions(historyDir).at(-1);
  if (latest === undefined) {
    notes.push(`${why}, and ${historyDir} holds no published version: nothing to compare with.`);
    return { source: undefined, deprecations: {} };
  }
  notes.push(`${why}: comparing with the latest published version, ${latest}.`);
  return { source: readVersionSource(historyDir, latest), deprecations: readVersionRecord(historyDir, latest).deprecations };
}

/** Every deprecated field, argument, input field and enum value of a schema. */
export function deprecatedCoordinates(schema: GraphQLSchema): Set<string> {
  const out = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (field.deprecationReason != null) out.add(`${type.name}.${field.name}`);
        for (const arg of field.args) if (arg.deprecationReason != null) out.add(`${type.name}.${field.name}(${arg.name}:)`);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) if (field.deprecationReason != null) out.add(`${type.name}.${field.name}`);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) if (value.deprecationReason != null) out.add(`${type.name}.${value.name}`);
    }
  }
  return out;
}

function operationUse(op: KnownOperation): OperationUse {
  const use: OperationUse = { client: op.client, name: op.name, hash: op.hash, source: op.source };
  if (op.clientVersion) use.clientVersion = op.clientVersion;
  if (op.count !== undefined) use.count = op.count;
  if (op.lastSeen) use.lastSeen = op.lastSeen;
  return use;
}

export function describeOperation(op: OperationUse): string {
  const logged = op.source === 'usage-log' ? ` (usage log: ${op.count ?? 0} calls, last ${op.lastSeen?.slice(0, 10)})` : '';
  return `${op.client}/${op.name}${logged}`;
}

interface UsageData {
  operations: KnownOperation[];
  coordinates: Map<KnownOperation, Set<string>>;
  /** Whether there is any usage data at all (else every BREAKING change blocks). */
  known: boolean;
  description: string;
}

function classify(change: ApiChange, subgraphs: string[], usage: UsageData, config: ChecksConfig, approvals: Approval[], now: Date): ReportedChange {
  const ops = usage.operations
    .filter((op) => change.usageKeys.every((key) => usage.coordinates.get(op)?.has(key)))
    .sort((a, b) => `${a.client}/${a.name}`.localeCompare(`${b.client}/${b.name}`));
  let blocking = false;
  let why: string;
  const names = ops.map((op) => describeOperation(operationUse(op))).join(', ');
  const uses = change.usageKeys.map((key) => `\`${key}\``).join(' with ');
  switch (change.criticality) {
    case 'BREAKING':
      if (ops.length) {
        blocking = true;
        why = `Breaks ${ops.length} known operation${ops.length === 1 ? '' : 's'}: ${names}.`;
      } else if (!usage.known) {
        blocking = true;
        why = `No usage data (${usage.description}): every breaking change blocks.`;
      } else if (config.policy.unusedBreakingChanges === 'block') {
        blocking = true;
        why = `No known operation uses ${uses}, but the policy blocks unused breaking changes.`;
      } else {
        why = `No known operation uses ${uses} (${usage.description}): reported, not blocking.`;
      }
      break;
    case 'DANGEROUS':
      why = `Dangerous, does not block${change.detail ? `: ${change.detail}` : '.'}${ops.length ? ` Used by ${names}.` : ''}`;
      break;
    case 'SAFE':
      why = 'Safe.';
      break;
    default:
      throw new Error(`unknown criticality ${String(change.criticality)}`);
  }
  const approval = approvalFor(change.id, approvals, now);
  if (blocking && approval.state === 'valid') {
    blocking = false;
    why += ` Approved by ${approval.approval.author} until ${approval.approval.expires}: ${approval.approval.reason}`;
  } else if (blocking && approval.state === 'expired') {
    why += ` The approval by ${approval.approval.author} expired on ${approval.approval.expires}.`;
  }
  return {
    id: change.id,
    type: change.type,
    criticality: change.criticality,
    coordinate: change.coordinate,
    subgraphs,
    blocking,
    reason: `${change.message.replace(/\.$/, '')}. ${why}`,
    usage: { operations: ops.map(operationUse) },
  };
}

function usageFor(operations: KnownOperation[], coordinates: Map<KnownOperation, Set<string>>, windowDays: number, scope: string): UsageData {
  const persisted = operations.filter((o) => o.source === 'persisted').length;
  const logged = operations.length - persisted;
  const clients = new Set(operations.map((o) => o.client)).size;
  return {
    operations,
    coordinates,
    known: operations.length > 0,
    description: operations.length
      ? `${persisted} persisted and ${logged} logged operations of ${clients} client${clients === 1 ? '' : 's'} checked, usage window ${windowDays} days`
      : `no ${scope}client operations and no usage logs`,
  };
}

export async function checkSchemaChanges(options: CheckOptions): Promise<CheckOutcome> {
  const { now, log } = options;
  const config = loadChecksConfig(options.configFile);
  const approvals = loadApprovals(options.approvalsFile);
  const notes: string[] = [];

  const head = options.head.kind === 'working-tree' ? readWorkingTree(options.repo) : readVersionSource(options.historyDir, options.head.version);
  if (head.subgraphs.length === 0) throw new CheckInputError(`no subgraphs in ${options.head.kind === 'working-tree' ? `${options.repo}/subgraphs` : head.label}`);
  const base = resolveBase(options, notes);
  log(`schema check: ${head.label} (${head.subgraphs.length} subgraphs) against ${base.source?.label ?? 'nothing'}`);

  const persisted = [...loadPersistedOperations(options.clientsDir), ...loadPersistedOperations(options.serviceClientsDir ?? join(options.repo, 'subgraphs'))];
  const logs = loadUsageLogs(options.usagePaths, now, config.policy.usageWindowDays);
  if (logs.outsideWindow) notes.push(`${logs.outsideWindow} usage-log entries were last seen more than ${config.policy.usageWindowDays} days ago and do not count.`);
  const operations = [...persisted, ...logs.operations];
  const context: CheckContext = {
    base: base.source?.label ?? 'nothing',
    head: head.label,
    subgraphs: head.subgraphs.map((s) => s.name),
    clients: [...new Set(operations.map((o) => o.client))].sort(),
    persistedOperations: persisted.length,
    loggedOperations: logs.operations.length,
    notes,
  };

  const report: CheckReport = { verdict: 'pass', composition: { errors: [], hints: [] }, changes: [], lint: [], contracts: {} };
  const headComposition = await composeForCheck(head.subgraphs, options.cacheDir);
  if (!headComposition.ok) {
    // A hard stop: nothing to diff, and no approval can make a supergraph compose.
    report.composition.errors = headComposition.errors;
    report.lint.push(...notes.map(noteFinding));
    report.verdict = 'fail';
    return { report, context };
  }
  report.composition.hints = headComposition.hints;
  for (const hint of headComposition.hints) {
    report.lint.push({ id: `lint:composition-hint:${hint.code}`, rule: `composition-hint`, severity: 'info', coordinate: hint.coordinates[0] ?? null, subgraphs: hint.subgraphs, blocking: false, message: formatProblem(hint) });
  }

  const headApi = buildSchema(headComposition.apiSchemaSdl);
  let baseApi: GraphQLSchema | undefined;
  let baseComposition: Awaited<ReturnType<typeof composeForCheck>> | undefined;
  if (base.source && base.source.subgraphs.length === 0) {
    notes.push(`${base.source.label} has no subgraphs: nothing to compare with.`);
    base.source = undefined;
    context.base = 'nothing';
  }
  if (base.source) {
    baseComposition = compositionKey(base.source.subgraphs) === compositionKey(head.subgraphs) ? headComposition : await composeForCheck(base.source.subgraphs, options.cacheDir);
    if (!baseComposition.ok) {
      throw new CheckInputError(`the base, ${base.source.label}, does not compose (${baseComposition.errors.map(formatProblem).join('; ')}): check against another --base`);
    }
    baseApi = baseComposition.apiSchemaSdl === headComposition.apiSchemaSdl ? headApi : buildSchema(baseComposition.apiSchemaSdl);
  }

  // Usage is located in the base schema: the coordinates operations use today.
  const usageSchema = baseApi ?? headApi;
  const coordinates = new Map(operations.map((op) => [op, coordinatesOf(usageSchema, op)] as const));
  const usage = usageFor(operations, coordinates, config.policy.usageWindowDays, '');

  const baseIndex: DefinitionIndex = indexDefinitions(base.source?.subgraphs ?? []);
  const headIndex: DefinitionIndex = indexDefinitions(head.subgraphs);
  const attribute = (coordinate: string) => subgraphsBehind(coordinate, baseIndex, headIndex);

  const apiChanges = baseApi ? await diffApiSchemas(baseApi, headApi, config.policy) : [];
  report.changes = apiChanges.map((c) => classify(c, attribute(c.coordinate), usage, config, approvals, now));

  // Every known operation must still validate against the new API schema.
  // An operation a breaking change already names is reported there (and approved with it).
  const explained = new Set(report.changes.filter((c) => c.criticality === 'BREAKING').flatMap((c) => c.usage.operations.map((o) => `${o.client}\0${o.hash}`)));
  for (const op of persisted) {
    const errors = validateOperation(headApi, op);
    if (errors.length === 0 || explained.has(`${op.client}\0${op.hash}`)) continue;
    const first = errors[0]!.message;
    const match = /field "([^"]+)" on type "([^"]+)"/.exec(first);
    const coordinate = match ? `${match[2]}.${match[1]}` : `${op.client}/${op.name}`;
    const change: ApiChange = {
      id: `OPERATION_INVALID:${op.client}/${op.name}`,
      type: 'OPERATION_INVALID',
      criticality: 'BREAKING',
      coordinate,
      message: `Operation ${op.client}/${op.name} (${relative(options.repo, op.file)}) does not validate against the new API schema: ${first}`,
      detail: undefined,
      usageKeys: [`operation:${op.client}/${op.hash}`],
    };
    coordinates.get(op)?.add(change.usageKeys[0]!);
    // A field the base had was taken away by some subgraph; a field that never existed is the client's doing.
    const existed = match !== null && baseApi !== undefined && fieldExists(baseApi, match[2]!, match[1]!);
    report.changes.push(classify(change, existed ? attribute(coordinate) : [], usage, config, approvals, now));
  }

  // Contracts: the same diff on each filtered API schema.
  for (const [name, contract] of Object.entries(config.contracts)) {
    const headContract = buildContractSchema(headComposition.supergraphSdl, headComposition.apiSchemaSdl, contract);
    if (!headContract.ok) {
      report.composition.errors.push({ code: 'CONTRACT_INVALID', message: `contract ${name}: ${headContract.message}`, subgraphs: [], coordinates: [], contract: name });
      report.contracts[name] = { changes: [] };
      continue;
    }
    let changes: ReportedChange[] = [];
    if (baseComposition?.ok) {
      const baseContract = buildContractSchema(baseComposition.supergraphSdl, baseComposition.apiSchemaSdl, contract);
      if (baseContract.ok) {
        const clients = new Set(contract.clients);
        const contractOps = operations.filter((op) => clients.has(op.client));
        const contractUsage = usageFor(contractOps, coordinates, config.policy.usageWindowDays, `${name}-contract `);
        const diffs = baseContract.sdl === headContract.sdl ? [] : await diffApiSchemas(baseContract.schema, headContract.schema, config.policy);
        changes = diffs.map((c) => classify(c, attribute(c.coordinate), contractUsage, config, approvals, now));
      } else {
        notes.push(`contract ${name} of the base could not be built (${baseContract.message}): not diffed.`);
      }
    }
    report.contracts[name] = { changes };
  }

  report.lint.push(...lintChanges(report.changes, baseApi, headComposition.apiSchemaSdl, baseComposition?.ok ? baseComposition.apiSchemaSdl : undefined, base.deprecations, config, attribute, now));
  for (const finding of report.lint) {
    if (!finding.blocking) continue;
    const approval = approvalFor(finding.id, approvals, now);
    if (approval.state === 'valid') {
      finding.blocking = false;
      finding.message += ` Approved by ${approval.approval.author} until ${approval.approval.expires}: ${approval.approval.reason}`;
    } else if (approval.state === 'expired') {
      finding.message += ` The approval by ${approval.approval.author} expired on ${approval.approval.expires}.`;
    }
  }
  const ids = new Set([...report.changes, ...Object.values(report.contracts).flatMap((c) => c.changes), ...report.lint].map((x) => x.id));
  for (const approval of approvals) {
    if (approval.expiresAt.getTime() < now.getTime() && !ids.has(approval.id)) {
      report.lint.push({ id: `lint:expired-approval:${approval.id}`, rule: 'expired-approval', severity: 'warning', coordinate: null, subgraphs: [], blocking: false, message: `The approval of ${approval.id} expired on ${approval.expires}: remove it from ${options.approvalsFile}.` });
    }
  }

  report.lint.push(...notes.map(noteFinding));
  const blocking =
    report.composition.errors.length > 0 ||
    report.changes.some((c) => c.blocking) ||
    Object.values(report.contracts).some((c) => c.changes.some((x) => x.blocking)) ||
    report.lint.some((l) => l.blocking);
  report.verdict = blocking ? 'fail' : 'pass';
  return { report, context };
}

function fieldExists(schema: GraphQLSchema, typeName: string, fieldName: string): boolean {
  const type = schema.getType(typeName);
  return type !== undefined && (isObjectType(type) || isInterfaceType(type)) && fieldName in type.getFields();
}

function noteFinding(note: string): LintFinding {
  return { id: 'lint:check-note', rule: 'check-note', severity: 'info', coordinate: null, subgraphs: [], blocking: false, message: note };
}

function lintChanges(
  changes: ReportedChange[],
  baseApi: GraphQLSchema | undefined,
  headApiSdl: string,
  baseApiSdl: string | undefined,
  deprecations: Record<string, string>,
  config: ChecksConfig,
  attribute: (coordinate: string) => string[],
  now: Date,
): LintFinding[] {
  const findings: LintFinding[] = [];
  // Naming and deprecation rules: a finding that is new in this change blocks; one the base already had is a warning.
  const existing = new Set(baseApiSdl ? lintApiSchema(baseApiSdl, config.lint.rules).map((f) => `${f.rule}\0${f.coordinate}\0${f.message}`) : []);
  for (const f of lintApiSchema(headApiSdl, config.lint.rules)) {
    const isNew = !existing.has(`${f.rule}\0${f.coordinate}\0${f.message}`);
    findings.push({
      id: `lint:${f.rule}:${f.coordinate ?? ''}`,
      rule: f.rule,
      severity: isNew ? 'error' : 'warning',
      coordinate: f.coordinate,
      subgraphs: f.coordinate ? attribute(f.coordinate) : [],
      blocking: isNew,
      message: isNew ? f.message : `${f.message} (already in the base)`,
    });
  }
  // Removal after deprecation: only once it was published as deprecated for the grace period.
  if (baseApi) {
    const deprecated = deprecatedCoordinates(baseApi);
    const grace = config.lint.deprecationGraceDays;
    for (const change of changes) {
      if (!REMOVALS.has(change.type)) continue;
      const rule = 'deprecated-removal-grace-period';
      const at = (severity: LintFinding['severity'], message: string): LintFinding => ({
        id: `lint:${rule}:${change.coordinate}`,
        rule,
        severity,
        coordinate: change.coordinate,
        subgraphs: change.subgraphs,
        blocking: severity === 'error',
        message,
      });
      if (!deprecated.has(change.coordinate)) {
        if (config.lint.requireDeprecationBeforeRemoval) {
          findings.push(at('error', `\`${change.coordinate}\` is removed without being deprecated first: deprecate it, publish, and remove it ${grace} days later.`));
        }
        continue;
      }
      const since = deprecations[change.coordinate];
      if (!since) {
        findings.push(at('error', `\`${change.coordinate}\` is deprecated but no published version has it deprecated yet: publish the deprecation (npm run schema:publish) and remove it ${grace} days later.`));
        continue;
      }
      const days = Math.floor((now.getTime() - Date.parse(since)) / DAY);
      const allowedFrom = new Date(Date.parse(since) + grace * DAY).toISOString().slice(0, 10);
      if (days < grace) {
        findings.push(at('error', `\`${change.coordinate}\` was first published as deprecated on ${since.slice(0, 10)}, ${days} days ago: it may be removed from ${allowedFrom} (grace period ${grace} days).`));
      } else {
        findings.push(at('info', `\`${change.coordinate}\` is removed ${days} days after it was first published as deprecated (grace period ${grace} days).`));
      }
    }
  }
  return findings;
}

/** Used by publish: the plain API-schema changes between two sources, attributed. */
export async function diffSources(base: SchemaSource, head: SchemaSource, baseApiSdl: string, headApiSdl: string, config: ChecksConfig): Promise<(ApiChange & { subgraphs: string[] })[]> {
  const baseIndex = indexDefinitions(base.subgraphs);
  const headIndex = indexDefinitions(head.subgraphs);
  const changes = await diffApiSchemas(buildSchema(baseApiSdl), buildSchema(headApiSdl), config.policy);
  return changes.map((c) => ({ ...c, subgraphs: subgraphsBehind(c.coordinate, baseIndex, headIndex) }));
}

