import { join } from 'node:path';
import type { Api } from '../src/openapi/api-model.js';
import { loadApi } from '../src/openapi/load-api.js';
import { runContract } from '../src/contract/run-contract.js';
import { benchToken } from './login-request.js';
import { readProcCpuMs } from './proc-cpu.js';
import { repoRoot } from './spawn-server.js';

/** What the contract runner achieved against the mock. */
export interface ContractFigures {
  /** Cases of one measured run. */
  casesSent: number;
  /** The median rate of the measured runs, once warm. */
  casesPerSecond: number;
  /** The median measured run, case building included. */
  durationMs: number;
  checksFailed: number;
  checksPassed: number;
  concurrency: number;
  /** The first run's rate, in a process that had not run the runner yet (what one CI job of this size sees). */
  firstRunCasesPerSecond: number;
  /** The rates of the first run and of every warm-up run after it, in order. */
  warmupCasesPerSecond: number[];
  /** The rates of the measured runs. */
  measuredCasesPerSecond: number[];
  /** CPU per case over the measured runs, in µs: the runner's own process, and the mock's when its pid was given. */
  cpuUsPerCase: { runner: number; mock?: number };
}

/** Measured runs once the runner is warm; their median is the figure. */
const MEASURED_RUNS = 3;
/** Warm-up stops when a run's rate is within this fraction of the run before it... */
const STEADY_WITHIN = 0.1;
/** ...or after this many runs, whichever comes first. */
const MAX_WARMUP_RUNS = 6;

/**
 * Runs the contract runner against a live mock for `cases` cases per run. `--cases` stops at 1,000
 * generated requests per operation, so the login is listed under two operationIds: two full case sets, one run.
 * Like the servers of the load rows, the runner is measured warm: it repeats runs until two in a row agree
 * within 10% (V8 is still compiling the runner through its first few thousand cases), then the median of three
 * runs is the figure. The first run's rate is kept apart: it is what a single cold run of this size gets.
 */
export async function measureContractRunner(baseUrl: string, cases: number, concurrency: number, mockPid?: number): Promise<ContractFigures> {
  const warmup = [await runOnce(baseUrl, cases, concurrency)];
  while (warmup.length < MAX_WARMUP_RUNS && !isSteady(warmup)) warmup.push(await runOnce(baseUrl, cases, concurrency));
  const before = { runner: process.cpuUsage(), mock: mockPid === undefined ? undefined : readProcCpuMs(mockPid) };
  const measured: RunFigures[] = [];
  for (let i = 0; i < MEASURED_RUNS; i++) measured.push(await runOnce(baseUrl, cases, concurrency));
  const runner = process.cpuUsage(before.runner);
  const mockAfter = mockPid === undefined ? undefined : readProcCpuMs(mockPid);
  const sent = measured.reduce((n, r) => n + r.casesSent, 0);
  const perCase = (us: number): number => Math.round(us / Math.max(sent, 1));
  const cpuUsPerCase = { runner: perCase(runner.user + runner.system), ...(before.mock !== undefined && mockAfter !== undefined ? { mock: perCase((mockAfter - before.mock) * 1000) } : {}) };
  const middle = [...measured].sort((a, b) => a.casesPerSecond - b.casesPerSecond)[Math.floor(measured.length / 2)];
  return {
    ...middle,
    firstRunCasesPerSecond: warmup[0].casesPerSecond,
    warmupCasesPerSecond: warmup.map((r) => r.casesPerSecond),
    measuredCasesPerSecond: measured.map((r) => r.casesPerSecond),
    cpuUsPerCase,
  };
}

type RunFigures = Omit<ContractFigures, 'firstRunCasesPerSecond' | 'warmupCasesPerSecond' | 'measuredCasesPerSecond' | 'cpuUsPerCase'>;

/** True once the last run's rate is within STEADY_WITHIN of the one before it. */
function isSteady(runs: RunFigures[]): boolean {
  if (runs.length < 2) return false;
  const [previous, last] = runs.slice(-2).map((r) => r.casesPerSecond);
  return Math.abs(last - previous) <= STEADY_WITHIN * previous;
}

async function runOnce(baseUrl: string, cases: number, concurrency: number): Promise<RunFigures> {
  const api = await loadApi(join(repoRoot, 'schema', 'openapi.yaml'));
  const copies = Math.max(1, Math.ceil(cases / 1000));
  const operations = Array.from({ length: copies }, (_, i) =>
    api.operations.map((op) => ({ ...op, operationId: i === 0 ? op.operationId : `${op.operationId}Copy${i}` })),
  ).flat();
  const spec: Api = { ...api, operations };
  const result = await runContract({
    spec,
    baseUrl,
    token: benchToken,
    cases: Math.min(1000, Math.ceil(cases / copies)),
    maxRequests: cases,
    ratePerSecond: Number.POSITIVE_INFINITY,
    concurrency,
    seed: 12345,
    timeoutMs: 10_000,
  });
  return {
    casesSent: result.requestsSent,
    casesPerSecond: Math.round((result.requestsSent * 1000) / result.durationMs),
    durationMs: result.durationMs,
    checksFailed: result.totals.failed,
    checksPassed: result.totals.passed,
    concurrency,
  };
}
