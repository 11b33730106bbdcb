import autocannon, { type AutocannonRequest } from 'autocannon';
import { readProcCpuMs } from './proc-cpu.js';

/** What one autocannon run measured. */
export interface LoadFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  durationS: number;
  /** CPU the server used during the run (user + system, all its threads), when its pid was given. */
  serverCpuMs?: number;
}

/** One load run against `url` with the given request shapes. */
export interface LoadSpec {
  url: string;
  durationS: number;
  connections: number;
  requests: AutocannonRequest[];
  /** Stop after this many requests (or at the duration, whichever comes first). */
  amount?: number;
  /** The server's pid, to read the CPU it spends on the run (Linux /proc). */
  pid?: number;
}

/** Drives a server with autocannon and returns its figures (latency percentiles in ms, 1 ms resolution). */
export async function runLoad(spec: LoadSpec): Promise<LoadFigures> {
  const cpuBefore = spec.pid === undefined ? undefined : readProcCpuMs(spec.pid);
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationS,
    requests: spec.requests,
    ...(spec.amount !== undefined ? { amount: spec.amount } : {}),
    timeout: 10,
  });
  const durationS = result.duration > 0 ? result.duration : spec.durationS;
  return {
    requestsPerSecond: Math.round(result.latency.totalCount / durationS),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.latency.totalCount,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    durationS,
    ...serverCpu(spec.pid, cpuBefore),
  };
}

function serverCpu(pid: number | undefined, before: number | undefined): { serverCpuMs?: number } {
  const after = pid === undefined ? undefined : readProcCpuMs(pid);
  return before === undefined || after === undefined ? {} : { serverCpuMs: after - before };
}

/**
 * The server's CPU per request in µs: unlike throughput, it barely moves when other processes take
 * turns on the cores, so it shows what a change costs on a shared machine.
 */
export function cpuUsPerRequest(figures: LoadFigures): number | undefined {
  return figures.serverCpuMs === undefined || figures.requests === 0 ? undefined : Math.round((figures.serverCpuMs * 1000) / figures.requests);
}

/** The baseline's CPU per request over the mock's (the throughput ratio a CPU-bound mock would show); undefined without CPU figures. */
export function cpuPerRequestRatio(baseline: LoadFigures, mock: LoadFigures): number | undefined {
  const [b, m] = [cpuUsPerRequest(baseline), cpuUsPerRequest(mock)];
  return b !== undefined && m ? b / m : undefined;
}

/** The median of a list of numbers (the mean of the middle two for even lengths). */
export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Folds the rounds of one server in one scenario: medians of rates and percentiles, sums of failures. */
export function combineRounds(rounds: LoadFigures[]): LoadFigures {
  return {
    requestsPerSecond: Math.round(median(rounds.map((r) => r.requestsPerSecond))),
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
    requests: rounds.reduce((n, r) => n + r.requests, 0),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    timeouts: rounds.reduce((n, r) => n + r.timeouts, 0),
    non2xx: rounds.reduce((n, r) => n + r.non2xx, 0),
    durationS: rounds.reduce((n, r) => n + r.durationS, 0),
    ...(rounds.every((r) => r.serverCpuMs !== undefined) ? { serverCpuMs: rounds.reduce((n, r) => n + (r.serverCpuMs ?? 0), 0) } : {}),
  };
}
