// The three faces of a check report: JSON (machines), text (a terminal, grouped by subgraph) and
// markdown (a PR comment a reviewer reads in ten seconds).
import { describeOperation, type CheckOutcome, type LintFinding, type ReportedChange, type ReportedProblem } from './check.ts';
import { formatProblem } from './problems.ts';

export type ReportFormat = 'text' | 'markdown' | 'json';

export function formatReport(outcome: CheckOutcome, format: ReportFormat, options: { color?: boolean; approvalsFile?: string } = {}): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(outcome.report, null, 2)}\n`;
    case 'text':
      return formatText(outcome, options.color ?? false, options.approvalsFile ?? 'schema/approvals.yaml');
    case 'markdown':
      return formatMarkdown(outcome, options.approvalsFile ?? 'schema/approvals.yaml');
    default:
      throw new Error(`unknown format ${String(format)}`);
  }
}

function allChanges(outcome: CheckOutcome): ReportedChange[] {
  return [...outcome.report.changes, ...Object.values(outcome.report.contracts).flatMap((c) => c.changes)];
}

function summary(outcome: CheckOutcome): { blocking: number; changes: number; line: string } {
  const { report, context } = outcome;
  const blocking = allChanges(outcome).filter((c) => c.blocking).length + report.lint.filter((l) => l.blocking).length + report.composition.errors.length;
  const ops = context.persistedOperations + context.loggedOperations;
  const usage = ops ? `${ops} operation${ops === 1 ? '' : 's'} from ${context.clients.length} client${context.clients.length === 1 ? '' : 's'}` : 'no usage data';
  const line = `${context.head} vs ${context.base} · ${context.subgraphs.length} subgraphs · ${usage}`;
  return { blocking, changes: report.changes.length, line };
}

/** Approval entries a team can paste for the blocking, approvable items. */
function approvalTemplate(outcome: CheckOutcome): string[] {
  const ids = [...new Set([...allChanges(outcome).filter((c) => c.blocking).map((c) => c.id), ...outcome.report.lint.filter((l) => l.blocking).map((l) => l.id)])];
  if (ids.length === 0 || outcome.report.composition.errors.length > 0) return [];
  const lines = ['approvals:'];
  for (const id of ids) lines.push(`  - id: ${id}`, '    reason: <why every client is fine>', '    author: <you>', '    expires: <YYYY-MM-DD>');
  return lines;
}

// ---------------------------------------------------------------------------------------------- text

function formatText(outcome: CheckOutcome, color: boolean, approvalsFile: string): string {
  const paint = (code: string) => (text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const red = paint('31');
  const yellow = paint('33');
  const green = paint('32');
  const dim = paint('2');
  const bold = paint('1');
  const { report, context } = outcome;
  const { blocking, line } = summary(outcome);
  const out: string[] = [];
  out.push(report.verdict === 'pass' ? green(bold('schema check: PASS')) : red(bold(`schema check: FAIL (${blocking} blocking)`)), dim(line));
  for (const note of context.notes) out.push(yellow(`note: ${note}`));

  if (report.composition.errors.length) {
    out.push('', bold('composition failed (a hard stop: no approval overrides it)'));
    for (const e of report.composition.errors) out.push(`  ${red('✖')} ${e.contract ? `[contract ${e.contract}] ` : ''}${formatProblem(e)}`);
  }

  const changeLine = (c: ReportedChange) => {
    const mark = c.blocking ? red('✖') : c.criticality === 'BREAKING' ? yellow('!') : c.criticality === 'DANGEROUS' ? yellow('!') : dim('·');
    const level = c.criticality === 'BREAKING' ? (c.blocking ? red : yellow)(c.criticality.padEnd(9)) : c.criticality === 'DANGEROUS' ? yellow(c.criticality.padEnd(9)) : dim(c.criticality.padEnd(9));
    return [`  ${mark} ${level} ${c.id}`, `      ${dim(c.reason)}`];
  };
  const grouped = (changes: ReportedChange[]) => {
    const groups = new Map<string, ReportedChange[]>();
    for (const c of changes) {
      const key = c.subgraphs.length ? c.subgraphs.join(', ') : '(no subgraph)';
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    for (const [subgraphs, list] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      out.push(`  ${bold(subgraphs)}`);
      for (const c of list.sort((a, b) => Number(b.blocking) - Number(a.blocking))) out.push(...changeLine(c).map((l) => `  ${l}`));
    }
  };

  if (!report.composition.errors.length) {
    out.push('', bold(`API schema: ${report.changes.length ? `${report.changes.length} change${report.changes.length === 1 ? '' : 's'}` : 'no changes'}`));
    grouped(report.changes);
    for (const [name, contract] of Object.entries(report.contracts)) {
      out.push('', bold(`contract ${name}: ${contract.changes.length ? `${contract.changes.length} change${contract.changes.length === 1 ? '' : 's'}` : 'no changes'}`));
      grouped(contract.changes);
    }
  }

  const lint = report.lint.filter((l) => l.severity !== 'info' || l.rule === 'deprecated-removal-grace-period');
  if (lint.length) {
    out.push('', bold('lint'));
    for (const l of lint) {
      const mark = l.blocking ? red('✖') : l.severity === 'warning' ? yellow('!') : dim('·');
      out.push(`  ${mark} ${l.rule}${l.coordinate ? ` ${l.coordinate}` : ''}${l.subgraphs.length ? ` [${l.subgraphs.join(', ')}]` : ''}: ${l.message}`);
    }
  }
  const template = approvalTemplate(outcome);
  if (template.length) out.push('', `To ship a blocking change on purpose, approve it in ${approvalsFile}:`, ...template.map((l) => `  ${l}`));
  return `${out.join('\n')}\n`;
}

// ------------------------------------------------------------------------------------------ markdown

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

function changeRows(changes: ReportedChange[]): string[] {
  const rows = ['| | Change | Coordinate | Subgraph | Why |', '|---|---|---|---|---|'];
  for (const c of changes) {
    const mark = c.blocking ? '⛔' : c.criticality === 'BREAKING' ? '⚠️' : c.criticality === 'DANGEROUS' ? '⚠️' : '✅';
    const breaks = c.usage.operations.length ? ` Operations: ${c.usage.operations.map((o) => `**${describeOperation(o)}**`).join(', ')}.` : '';
    rows.push(`| ${mark} | ${code(c.type)} | ${code(c.coordinate)} | ${cell(c.subgraphs.join(', ') || '—')} | ${cell(c.reason.replace(/ Breaks \d+ known operations?: .*?\.(?= |$)/, ''))}${cell(breaks)} |`);
  }
  return rows;
}

function problemRows(problems: ReportedProblem[]): string[] {
  return problems.map((p) => `- ⛔ ${p.contract ? `contract ${code(p.contract)}: ` : ''}**${p.code}**${p.subgraphs.length ? ` in ${p.subgraphs.join(', ')}` : ''}${p.coordinates.length ? ` at ${p.coordinates.map(code).join(', ')}` : ''}: ${cell(p.message)}${p.locations?.length ? ` (${p.locations.map(code).join(', ')})` : ''}`);
}

function lintRows(lint: LintFinding[]): string[] {
  return lint.map((l) => `- ${l.blocking ? '⛔' : l.severity === 'warning' ? '⚠️' : 'ℹ️'} **${l.rule}**${l.coordinate ? ` ${code(l.coordinate)}` : ''}${l.subgraphs.length ? ` (${l.subgraphs.join(', ')})` : ''}: ${cell(l.message)}`);
}

function formatMarkdown(outcome: CheckOutcome, approvalsFile: string): string {
  const { report, context } = outcome;
  const { blocking, line } = summary(outcome);
  const out: string[] = [];
  out.push(report.verdict === 'pass' ? '### ✅ Schema check passed' : `### ❌ Schema check blocked: ${blocking} blocking item${blocking === 1 ? '' : 's'}`, '', line.replace(/ vs (.*?) ·/, ' vs `$1` ·'), '');
  for (const note of context.notes) out.push(`> ${note}`, '');

  if (report.composition.errors.length) {
    out.push('**Composition failed.** This is a hard stop; no approval overrides it.', '', ...problemRows(report.composition.errors), '');
  } else {
    const blockingChanges = report.changes.filter((c) => c.blocking);
    const others = report.changes.filter((c) => !c.blocking);
    if (report.changes.length === 0) out.push('No change to the API schema.', '');
    if (blockingChanges.length) out.push(...changeRows(blockingChanges), '');
    if (others.length) {
      const rows = changeRows(others);
      if (blockingChanges.length) out.push(`<details><summary>${others.length} non-blocking change${others.length === 1 ? '' : 's'}</summary>`, '', ...rows, '', '</details>', '');
      else out.push(...rows, '');
    }
    for (const [name, contract] of Object.entries(report.contracts)) {
      if (contract.changes.length === 0) continue;
      out.push(`**Contract ${code(name)}**: ${contract.changes.length} change${contract.changes.length === 1 ? '' : 's'}`, '', ...changeRows(contract.changes), '');
    }
    const quiet = Object.entries(report.contracts).filter(([, c]) => c.changes.length === 0).map(([n]) => code(n));
    if (quiet.length) out.push(`Contracts without changes: ${quiet.join(', ')}.`, '');
  }
  const lint = report.lint.filter((l) => l.severity !== 'info' || l.rule === 'deprecated-removal-grace-period');
  if (lint.length) out.push('**Lint**', '', ...lintRows(lint), '');
  const template = approvalTemplate(outcome);
  if (template.length) out.push(`To ship a blocking change on purpose, approve it in ${code(approvalsFile)}:`, '', '```yaml', ...template, '```', '');
  return `${out.join('\n')}`;
}
