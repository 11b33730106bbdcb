import autocannon, { type AutocannonRequest } from 'autocannon';

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
}

/** One load run against `url` with the given request shapes. */
export interface LoadSpec {
  url: string;
  durationS: number;
  connections: number;
  requests: AutocannonRequest[];
  /** Stop after this many requests (or at the duration, whichever comes first). */
  amount?: number;
}

/** Drives a server with autocannon and returns its figures (latency percentiles in ms, 1 ms resolution). */
export async function runLoad(spec: LoadSpec): Promise<LoadFigures> {
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
  };
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
  };
}
