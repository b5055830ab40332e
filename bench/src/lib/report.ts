import { cpus, release, totalmem, loadavg } from 'node:os';
import type { ContenderId } from './contenders.ts';

export interface Row {
  contender: ContenderId;
  label: string;
  status: 'ok' | 'WRONG' | 'skipped' | 'failed';
  note?: string;
  rps?: number;
  p50?: number;
  p99?: number;
  errors?: number;
  wrong?: number;
  peakRssMiB?: number;
  cpuMsPerRequest?: number;
  subgraphRequestsPerOperation?: number;
  rounds?: { rps: number; p50: number; p99: number; requests: number; cpuMs: number; machineCpuMs?: number }[];
}

export interface WorkloadReport {
  id: string;
  title: string;
  oracle: string;
  variants: number;
  rows: Row[];
  profile?: { totalMs: number; byArea: { area: string; share: number }[]; byFunction: { fn: string; area: string; share: number }[] };
}

export interface RunReport {
  startedAt: string;
  mode: 'full' | 'smoke';
  settings: { connections: number; warmupSeconds: number; durationSeconds: number; rounds: number; order: string };
  machine: { cpu: string; cores: number; memoryGiB: number; node: string; kernel: string; loadAverageAtStart: number[] };
  workloads: WorkloadReport[];
}

export function describeMachine(): RunReport['machine'] {
  const list = cpus();
  return {
    cpu: list[0]?.model ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    kernel: release(),
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

const fmt = (value: number | undefined, digits = 0) => (value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits));

function ratio(value: number | undefined, base: number | undefined, digits = 2): string {
  if (value === undefined || base === undefined || base === 0) return '—';
  return `${(value / base).toFixed(digits)}×`;
}

/** The results table of one workload, as Markdown. */
export function workloadTable(report: WorkloadReport, mode: 'full' | 'smoke'): string {
  const stock = report.rows.find((r) => r.contender === 'stock' && r.status === 'ok');
  const lines = [`### ${report.title}`, ''];
  if (mode === 'smoke') {
    lines.push('| contender | answers | subgraph requests / operation |', '|---|---|---|');
    for (const row of report.rows) lines.push(`| ${row.label} | ${row.status === 'ok' ? 'right' : row.status}${row.note ? ` (${row.note})` : ''} | ${fmt(row.subgraphRequestsPerOperation, 1)} |`);
    return lines.join('\n');
  }
  lines.push(
    '| contender | RPS | p50 ms | p99 ms | errors | peak RSS MiB | CPU ms / request | subgraph requests / operation | RPS vs stock | p99 vs stock | RSS vs stock |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const row of report.rows) {
    if (row.status !== 'ok') {
      lines.push(`| ${row.label} | **${row.status}**${row.note ? ` ${row.note}` : ''} | | | | | | | | | |`);
      continue;
    }
    lines.push(
      `| ${row.label} | ${fmt(row.rps, 1)} | ${fmt(row.p50)} | ${fmt(row.p99)} | ${fmt(row.errors)} | ${fmt(row.peakRssMiB)} | ${fmt(row.cpuMsPerRequest, 2)} | ${fmt(row.subgraphRequestsPerOperation, 1)} | ${ratio(row.rps, stock?.rps)} | ${ratio(row.p99, stock?.p99)} | ${ratio(row.peakRssMiB, stock?.peakRssMiB)} |`,
    );
  }
  return lines.join('\n');
}

export function profileTable(report: WorkloadReport): string {
  if (!report.profile) return '';
  const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
  return [
    `CPU profile of this router under the same load (its TypeScript sources under tsx, so that frames name files; ${report.profile.totalMs.toFixed(0)} ms of samples, idle excluded). Self time by area:`,
    '',
    '| area | share |',
    '|---|---:|',
    ...report.profile.byArea.slice(0, 12).map((a) => `| ${a.area} | ${pct(a.share)} |`),
    '',
    'Hottest functions (self time):',
    '',
    '| function | area | share |',
    '|---|---|---:|',
    ...report.profile.byFunction.slice(0, 15).map((f) => `| \`${f.fn.replace(/\|/g, '\\|')}\` | ${f.area} | ${pct(f.share)} |`),
  ].join('\n');
}
