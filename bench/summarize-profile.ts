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
}

/** One line of a profile summary: where the time went, as a share of busy (non-idle) time. */
export interface ProfileEntry {
  name: string;
  selfPercent: number;
  totalPercent?: number;
}

/** The hot spots of a V8 CPU profile. */
export interface ProfileSummary {
  busyMs: number;
  idlePercent: number;
  /** Self time grouped by area: iwkit/<dir>, a package name, node internals, GC. */
  areas: ProfileEntry[];
  /** Functions with the most self time. */
  functions: ProfileEntry[];
  /** Functions with the most inclusive time (callees counted), recursion counted once. */
  inclusive: ProfileEntry[];
}

function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const own = /\/dist\/(src\/[^/]+|bench)\//.exec(url);
  if (own) return `iwkit/${own[1].replace(/^src\//, '')}`;
  if (url.startsWith('node:')) return 'node internals';
  return url.replace(/^file:\/\//, '');
}

function labelOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^file:\/\/.*?\/(node_modules|dist)\//, '$1/').replace(/^file:\/\//, '');
  return `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
}

function top(map: Map<string, number>, busy: number, count: number): ProfileEntry[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, us]) => ({ name, selfPercent: Math.round((us / busy) * 1000) / 10 }));
}

/** Reads a `.cpuprofile` and summarises where the busy time went. */
export function summarizeProfile(file: string, count = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  let idle = 0;
  let busy = 0;
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    if (node.callFrame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    busy += us;
    const area = areaOf(node.callFrame.url, node.callFrame.functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const label = labelOf(node);
    functions.set(label, (functions.get(label) ?? 0) + us);
  }

  // Inclusive time: walk the call tree, counting a function once however deep it recurses.
  const inclusive = new Map<string, number>();
  const totalOf = new Map<number, number>();
  const subtotal = (id: number): number => {
    const cached = totalOf.get(id);
    if (cached !== undefined) return cached;
    const node = byId.get(id)!;
    let sum = node.callFrame.functionName === '(idle)' ? 0 : (selfUs.get(id) ?? 0);
    for (const child of node.children ?? []) sum += subtotal(child);
    totalOf.set(id, sum);
    return sum;
  };
  const root = profile.nodes[0];
  const stack: { id: number; active: Set<string> }[] = [{ id: root.id, active: new Set() }];
  while (stack.length > 0) {
    const { id, active } = stack.pop()!;
    const node = byId.get(id)!;
    const label = labelOf(node);
    let next = active;
    if (!label.startsWith('(') && !active.has(label)) {
      inclusive.set(label, (inclusive.get(label) ?? 0) + subtotal(id));
      next = new Set(active).add(label);
    }
    for (const child of node.children ?? []) stack.push({ id: child, active: next });
  }

  const total = busy + idle;
  return {
    busyMs: Math.round(busy / 1000),
    idlePercent: total > 0 ? Math.round((idle / total) * 1000) / 10 : 0,
    areas: top(areas, busy, count),
    functions: top(functions, busy, count),
    inclusive: top(inclusive, busy, count * 2).map((e) => ({ name: e.name, selfPercent: selfPercentOf(functions, e.name, busy), totalPercent: e.selfPercent })),
  };
}

function selfPercentOf(functions: Map<string, number>, name: string, busy: number): number {
  return Math.round(((functions.get(name) ?? 0) / busy) * 1000) / 10;
}
