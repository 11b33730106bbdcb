import { cpuPerRequestRatio, cpuUsPerRequest, type LoadFigures } from './load.js';

/** One target of the benchmark issue and whether this run met it. */
export interface TargetCheck {
  name: string;
  target: string;
  measured: string;
  met: boolean;
}

const pad = (text: string | number, width: number): string => String(text).padStart(width);
const padEnd = (text: string, width: number): string => text.padEnd(width);

/** A ratio rounded for display, e.g. `0.83×`. */
export function times(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : 'n/a';
}

/** The load table: one line per scenario and server, with the mock's ratios to the baseline. */
export function formatLoadTable(rows: { scenario: string; baseline: LoadFigures; mock: LoadFigures }[]): string {
  const lines = [`${padEnd('scenario', 10)} ${padEnd('server', 9)} ${pad('req/s', 8)} ${pad('p50 ms', 7)} ${pad('p99 ms', 7)} ${pad('CPU µs/req', 10)} ${pad('errors', 7)} ${pad('timeouts', 8)} ${pad('non-2xx', 8)}  mock/baseline`];
  for (const { scenario, baseline, mock } of rows) {
    const line = (label: string, server: string, f: LoadFigures, ratio: string): string =>
      `${padEnd(label, 10)} ${padEnd(server, 9)} ${pad(f.requestsPerSecond, 8)} ${pad(f.p50Ms, 7)} ${pad(f.p99Ms, 7)} ${pad(cpuUsPerRequest(f) ?? 'n/a', 10)} ${pad(f.errors, 7)} ${pad(f.timeouts, 8)} ${pad(f.non2xx, 8)}  ${ratio}`;
    const cpu = cpuPerRequestRatio(baseline, mock);
    const cpuRatio = cpu === undefined ? '' : `, CPU per request ${times(cpu)}`;
    lines.push(line(scenario, 'baseline', baseline, ''));
    lines.push(line('', 'mock', mock, `throughput ${times(mock.requestsPerSecond / baseline.requestsPerSecond)}, p99 ${times(mock.p99Ms / Math.max(baseline.p99Ms, 1))}${cpuRatio}`));
  }
  return lines.join('\n');
}

/** The targets, one line each with ✓ or ✗. */
export function formatTargets(targets: TargetCheck[]): string {
  return targets.map((t) => `${t.met ? '✓' : '✗'} ${padEnd(t.name, 34)} ${padEnd(t.measured, 22)} target ${t.target}`).join('\n');
}
