import { parseArgs } from 'node:util';

/** Options of `npm run bench`. */
export interface BenchOptions {
  /** Seconds per measured load run. */
  durationS: number;
  connections: number;
  /** Baseline/mock alternations per scenario. */
  rounds: number;
  /** Seconds of warm-up per server before measuring. */
  warmupS: number;
  /** Starts per server for the time-to-first-200 figure. */
  startRuns: number;
  /** Cases of the contract-runner run (0 skips it). */
  contractCases: number;
  contractConcurrency: number;
  /** Also run the mock under `--cpu-prof` and summarise where its time goes. */
  profile: boolean;
  seed: number;
  /** Where the figures are written. */
  out: string;
  /** A few seconds with bounded request counts and no Prism: proves the bench runs (`npm run bench:smoke`). */
  smoke: boolean;
  /** Requests per load run (bounded runs for the smoke test); undefined: as many as the duration allows. */
  amount?: number;
}

const usage = `usage: npm run bench -- [--duration S] [--connections N] [--rounds N] [--warmup S]
       [--start-runs N] [--contract-cases N] [--contract-concurrency N] [--profile] [--seed N] [--out FILE] [--smoke]`;

function positive(name: string, raw: string | undefined, fallback: number, allowZero = false): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) throw new Error(`--${name} expects a ${allowZero ? 'non-negative' : 'positive'} number, got "${raw}"\n${usage}`);
  return value;
}

/** Parses the command line; the defaults finish in about eight minutes on two cores. */
export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string' },
      connections: { type: 'string' },
      rounds: { type: 'string' },
      warmup: { type: 'string' },
      'start-runs': { type: 'string' },
      'contract-cases': { type: 'string' },
      'contract-concurrency': { type: 'string' },
      profile: { type: 'boolean', default: false },
      seed: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
      smoke: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  if (values.smoke) {
    return { durationS: 1, connections: 4, rounds: 1, warmupS: 0, startRuns: 1, contractCases: 100, contractConcurrency: 4, profile: false, seed: 1, out: values.out ?? 'bench/results.json', smoke: true, amount: 200 };
  }
  return {
    smoke: false,
    durationS: positive('duration', values.duration, 4),
    connections: Math.round(positive('connections', values.connections, 50)),
    rounds: Math.round(positive('rounds', values.rounds, 3)),
    warmupS: positive('warmup', values.warmup, 2, true),
    startRuns: Math.round(positive('start-runs', values['start-runs'], 9)),
    contractCases: Math.round(positive('contract-cases', values['contract-cases'], 2000, true)),
    contractConcurrency: Math.round(positive('contract-concurrency', values['contract-concurrency'], 16)),
    profile: values.profile ?? false,
    seed: Math.round(positive('seed', values.seed, 1, true)),
    out: values.out ?? 'bench/results.json',
  };
}
