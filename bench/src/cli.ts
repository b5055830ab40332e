// `npm run bench [-- options]`: this router against stock @apollo/gateway and Hive Gateway on the
// same subgraphs, plus the floor; see bench/README.md. `--smoke`: correctness only, seconds.
import { mkdirSync, readdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { summariseCpuProfile } from './lib/cpu-profile.ts';
import { CONTENDERS, hiveInstalled, processTree, startContender, type ContenderId } from './lib/contenders.ts';
import { startCountingProxy } from './lib/counting-proxy.ts';
import { ensureBenchInstalled } from './lib/install.ts';
import { buildRouter, routerBuildStale } from '../../router/scripts/build.ts';
import { correctnessPass, runLoad } from './lib/load.ts';
import { hashData } from './lib/oracle.ts';
import { cpuMs, machineBusyMs, peakRssMiB } from './lib/proc-stats.ts';
import { describeMachine, profileTable, workloadTable, type Row, type RunReport, type WorkloadReport } from './lib/report.ts';
import { BENCH_DIR } from './lib/root.ts';
import { supergraphUrls, withSubgraphUrls } from './lib/supergraph-urls.ts';
import type { PreparedWorkload } from './lib/workload.ts';

const USAGE = `usage: npm run bench -- [--smoke] [--workload 1|2|all] [--duration s] [--warmup s] [--rounds n]
                       [--connections n] [--rate rps] [--contenders router,router-prod,router-unbatched,router-dedup,router-tsx,stock,hive,floor] [--no-hive] [--profile] [--update-readme]`;

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    workload: { type: 'string', default: 'all' },
    duration: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    // Open loop: this many requests per second in all (autocannon's overallRate), and each
    // round also reports the whole machine's CPU per request.
    rate: { type: 'string' },
    contenders: { type: 'string', default: 'router,router-prod,stock,hive,floor' },
    'no-hive': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'update-readme': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const smoke = values.smoke!;
const durationSeconds = Number(values.duration);
const warmupSeconds = Number(values.warmup);
const rounds = Number(values.rounds);
const connections = Number(values.connections);
const rate = values.rate === undefined ? undefined : Number(values.rate);
if (![durationSeconds, warmupSeconds, rounds, connections].every((n) => Number.isFinite(n) && n >= 0) || rounds < 1 || durationSeconds < 1 || (rate !== undefined && !(rate > 0))) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}
if (!smoke && durationSeconds < 20) process.stderr.write(`[bench] note: ${durationSeconds} s per round is below the 20 s the published summary uses\n`);

const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);

// The smoke mode needs nothing installed: no load generator, no Hive Gateway (unless present).
if (!smoke) ensureBenchInstalled();
let contenderIds = values.contenders!.split(',').map((s) => s.trim()) as ContenderId[];
for (const id of contenderIds) if (!CONTENDERS.some((c) => c.id === id)) throw new Error(`unknown contender ${id}`);
const skipHive = values['no-hive'] || (smoke && !hiveInstalled());
if (skipHive) contenderIds = contenderIds.filter((id) => id !== 'hive');
if (contenderIds.some((id) => id.startsWith('router') && id !== 'router-tsx')) {
  const stale = routerBuildStale();
  if (stale) {
    say(`building the router (npm run build:router): ${stale}`);
    await buildRouter();
  }
}

const startedAt = new Date();
const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
const runDir = join(BENCH_DIR, 'results', stamp);
mkdirSync(runDir, { recursive: true });

const report: RunReport = {
  startedAt: startedAt.toISOString(),
  mode: smoke ? 'smoke' : 'full',
  settings: { connections, warmupSeconds, durationSeconds, rounds, order: `interleaved: ${contenderIds.join(' ')} × ${rounds}` },
  machine: describeMachine(),
  workloads: [],
};

async function prepare(id: string): Promise<PreparedWorkload> {
  if (id === '1') return (await import('./workload1/index.ts')).prepareWorkload1();
  return (await import('./workload2/index.ts')).prepareWorkload2({ smoke });
}

async function runWorkload(workload: PreparedWorkload): Promise<WorkloadReport> {
  const dir = join(runDir, workload.id);
  mkdirSync(dir, { recursive: true });
  const supergraphFile = join(dir, 'supergraph.graphql');
  writeFileSync(supergraphFile, workload.supergraphSdl);

  // Expected answers: the workload's own oracle, or else stock @apollo/gateway's (checked stable).
  if (workload.variants.some((v) => v.expectedHash === undefined)) {
    say(`${workload.id}: expected answers from stock @apollo/gateway (${workload.variants.length} requests, asked twice)`);
    const reference = await startContender('stock', supergraphFile, '');
    try {
      for (const variant of workload.variants) {
        const hashes: string[] = [];
        for (let i = 0; i < 2; i++) {
          const response = await fetch(reference.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: variant.body });
          const body = (await response.json()) as { data?: unknown; errors?: unknown };
          if (response.status !== 200 || body.errors || !body.data) throw new Error(`reference answer for ${variant.label} is not clean: ${JSON.stringify(body).slice(0, 300)}`);
          hashes.push(hashData(body.data));
        }
        if (hashes[0] !== hashes[1]) throw new Error(`the answer to ${variant.label} is not deterministic`);
        variant.expectedHash = hashes[0];
      }
    } finally {
      await reference.stop();
    }
  }
  const variantsFile = join(dir, 'variants.json');
  writeFileSync(variantsFile, JSON.stringify(workload.variants, null, 1));

  // Correctness and subgraph requests per operation, through counting proxies (never under load).
  const urls = supergraphUrls(workload.supergraphSdl);
  const proxies = new Map<string, Awaited<ReturnType<typeof startCountingProxy>>>();
  for (const [name, url] of urls) proxies.set(name, await startCountingProxy(url));
  const proxiedFile = join(dir, 'supergraph.counted.graphql');
  writeFileSync(proxiedFile, withSubgraphUrls(workload.supergraphSdl, new Map([...proxies].map(([name, p]) => [name, p.url]))));
  const rows = new Map<ContenderId, Row>();
  for (const id of contenderIds) {
    const label = CONTENDERS.find((c) => c.id === id)!.label;
    const row: Row = { contender: id, label, status: 'ok' };
    rows.set(id, row);
    let running;
    try {
      running = await startContender(id, proxiedFile, variantsFile);
    } catch (error) {
      row.status = 'failed';
      row.note = (error as Error).message.split('\n')[0];
      say(`${workload.id}: ${id} failed to start: ${(error as Error).message}`);
      continue;
    }
    try {
      await correctnessPass(running.url, workload.variants, 1, 1); // warms plans and connections
      for (const p of proxies.values()) p.reset();
      const pass = await correctnessPass(running.url, workload.variants, 1, 1);
      let counted = 0;
      for (const p of proxies.values()) counted += p.count();
      row.subgraphRequestsPerOperation = counted / pass.requests;
      const concurrent = await correctnessPass(running.url, workload.variants, smoke ? 3 : 2, 8);
      const wrong = [...pass.wrong, ...concurrent.wrong];
      if (wrong.length > 0) {
        row.status = 'WRONG';
        row.note = `${wrong[0]!.label}: ${wrong[0]!.why}`;
      }
      say(`${workload.id}: ${id}: ${row.status === 'ok' ? 'answers right' : `WRONG (${row.note})`}, ${row.subgraphRequestsPerOperation.toFixed(2)} subgraph requests / operation`);
    } finally {
      await running.stop();
    }
  }
  for (const p of proxies.values()) await p.close();

  if (!smoke) {
    for (let round = 1; round <= rounds; round++) {
      for (const id of contenderIds) {
        const row = rows.get(id)!;
        if (row.status !== 'ok') continue;
        const running = await startContender(id, supergraphFile, variantsFile);
        try {
          const warm = await correctnessPass(running.url, workload.variants, 1, 4);
          if (warm.wrong.length > 0) throw new Error(`${id}: ${warm.wrong[0]!.why}`);
          const loadOptions = { connections, ...(rate !== undefined && { rate }) };
          if (warmupSeconds > 0) await runLoad(running.url, workload.variants, { ...loadOptions, durationSeconds: warmupSeconds });
          const tree = () => processTree(running.pid);
          const cpuBefore = tree().reduce((sum, pid) => sum + cpuMs(pid), 0);
          const machineBefore = machineBusyMs();
          const load = await runLoad(running.url, workload.variants, { ...loadOptions, durationSeconds });
          const machineCpuMs = machineBusyMs() - machineBefore;
          const cpuAfter = tree().reduce((sum, pid) => sum + cpuMs(pid), 0);
          const rss = tree().reduce((sum, pid) => sum + peakRssMiB(pid), 0);
          row.rounds ??= [];
          row.rounds.push({ rps: load.rps, p50: load.p50, p99: load.p99, requests: load.requests, cpuMs: cpuAfter - cpuBefore, machineCpuMs });
          row.errors = (row.errors ?? 0) + load.errors;
          row.wrong = (row.wrong ?? 0) + load.wrong;
          row.peakRssMiB = Math.max(row.peakRssMiB ?? 0, rss);
          if (load.wrong > 0) {
            row.status = 'WRONG';
            row.note = load.firstWrong;
          }
          say(`${workload.id} round ${round}: ${id}: ${load.rps.toFixed(1)} RPS, p50 ${load.p50} ms, p99 ${load.p99} ms, ${load.errors} errors, ${load.wrong} wrong, ${((cpuAfter - cpuBefore) / Math.max(1, load.requests)).toFixed(2)} CPU ms/request, machine ${(machineCpuMs / Math.max(1, load.requests)).toFixed(2)} CPU ms/request`);
        } finally {
          await running.stop();
        }
      }
    }
    for (const row of rows.values()) {
      if (!row.rounds?.length) continue;
      const requests = row.rounds.reduce((n, r) => n + r.requests, 0);
      row.rps = row.rounds.reduce((n, r) => n + r.rps, 0) / row.rounds.length;
      row.p50 = row.rounds.reduce((n, r) => n + r.p50, 0) / row.rounds.length;
      row.p99 = Math.max(...row.rounds.map((r) => r.p99));
      row.cpuMsPerRequest = row.rounds.reduce((n, r) => n + r.cpuMs, 0) / Math.max(1, requests);
    }
  }

  const result: WorkloadReport = { id: workload.id, title: workload.title, oracle: workload.oracle, variants: workload.variants.length, rows: [...rows.values()] };
  if (values.profile && !smoke && (rows.get('router') ?? rows.get('router-tsx'))?.status === 'ok') {
    const profileDir = join(dir, 'router-profile');
    say(`${workload.id}: CPU profile of this router (${durationSeconds} s under the same load)`);
    // From the TypeScript sources under tsx, so that frames name router/src files, not the bundle.
    const running = await startContender('router-tsx', supergraphFile, variantsFile, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
    try {
      await runLoad(running.url, workload.variants, { connections, durationSeconds: Math.max(1, warmupSeconds) });
      await runLoad(running.url, workload.variants, { connections, durationSeconds });
    } finally {
      await running.stop();
    }
    const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
    if (file) result.profile = summariseCpuProfile(join(profileDir, file), 25);
  }
  return result;
}

let failed = false;
const ids = values.workload === 'all' ? ['1', '2'] : [values.workload!];
for (const id of ids) {
  say(`preparing workload ${id}`);
  const workload = await prepare(id);
  try {
    const result = await runWorkload(workload);
    report.workloads.push(result);
    if (result.rows.some((r) => r.status === 'WRONG' || r.status === 'failed')) failed = true;
  } finally {
    await workload.stop();
  }
}

const markdown = renderMarkdown(report);
process.stdout.write(`\n${markdown}\n`);
const jsonFile = join(runDir, 'results.json');
writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
copyFileSync(jsonFile, join(BENCH_DIR, 'results', `latest-${report.mode}.json`));
say(`results: ${jsonFile}`);
if (values['update-readme'] && !smoke) updateReadme(markdown);
if (failed) {
  process.stderr.write('[bench] FAILED: a contender answered wrongly (WRONG row) or did not start\n');
  process.exit(1);
}
process.exit(0);

function renderMarkdown(run: RunReport): string {
  const m = run.machine;
  const lines = [
    `Run of ${run.startedAt.slice(0, 16).replace('T', ' ')} UTC (${run.mode}): ${m.cores} × ${m.cpu}, ${m.memoryGiB} GiB, Node ${m.node}, Linux ${m.kernel}; load average at start ${m.loadAverageAtStart.join(' / ')}.`,
    run.mode === 'full'
      ? `Settings: autocannon, ${run.settings.connections} connections, ${run.settings.warmupSeconds} s warm-up then ${run.settings.durationSeconds} s measured per round, ${run.settings.rounds} rounds, ${run.settings.order}. Every answer checked against the expected data.`
      : 'Smoke: correctness only (no load).',
    '',
  ];
  for (const workload of run.workloads) {
    lines.push(workloadTable(workload, run.mode), '', `Expected answers: ${workload.oracle}; ${workload.variants} distinct request(s).`, '');
    const profile = profileTable(workload);
    if (profile) lines.push(profile, '');
  }
  return lines.join('\n');
}

function updateReadme(markdown: string): void {
  const file = join(BENCH_DIR, 'README.md');
  const text = readFileSync(file, 'utf8');
  const start = '<!-- bench:latest:start -->';
  const end = '<!-- bench:latest:end -->';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < 0) throw new Error('bench/README.md has no results markers');
  writeFileSync(file, `${text.slice(0, from + start.length)}\n${markdown}\n${text.slice(to)}`);
  say('bench/README.md updated');
}
