import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time by area (package or our own folder), largest first. */
  byArea: { area: string; ms: number; share: number }[];
  /** Self time by function, largest first. */
  byFunction: { fn: string; area: string; ms: number; share: number }[];
}

/** Where a frame's code lives: an npm package, one of our folders, Node itself, or V8/GC. */
export function areaOf(url: string, functionName: string): string {
  if (url === '') {
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(idle)' || functionName === '(program)') return functionName;
    return 'V8 builtins';
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const ours = /\/(router\/src|packages\/[^/]+\/src|bench\/src)\/(.*)$/.exec(url);
  if (ours) return ours[1] === 'router/src' ? `router/src/${ours[2]!.split('/')[0]}` : ours[1]!;
  return url;
}

/** Self time per area and per function of a `.cpuprofile` (idle time excluded). */
export function summariseCpuProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const areas = new Map<string, number>();
  const fns = new Map<string, { area: string; us: number }>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    const area = areaOf(url, functionName);
    if (area === '(idle)') continue;
    total += us;
    areas.set(area, (areas.get(area) ?? 0) + us);
    const key = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
    const entry = fns.get(key) ?? { area, us: 0 };
    entry.us += us;
    fns.set(key, entry);
  }
  const ms = (us: number) => Math.round(us / 100) / 10;
  return {
    totalMs: ms(total),
    byArea: [...areas].sort((a, b) => b[1] - a[1]).slice(0, top).map(([area, us]) => ({ area, ms: ms(us), share: us / total })),
    byFunction: [...fns].sort((a, b) => b[1].us - a[1].us).slice(0, top).map(([fn, e]) => ({ fn, area: e.area, ms: ms(e.us), share: e.us / total })),
  };
}
