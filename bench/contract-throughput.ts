import { join } from 'node:path';
import type { Api } from '../src/openapi/api-model.js';
import { loadApi } from '../src/openapi/load-api.js';
import { runContract } from '../src/contract/run-contract.js';
import { benchToken } from './login-request.js';
import { readProcCpuMs } from './proc-cpu.js';
import { repoRoot } from './spawn-server.js';

/** What the contract runner achieved against the mock. */
export interface ContractFigures {
  casesSent: number;
  casesPerSecond: number;
  /** The whole run, case building included. */
  durationMs: number;
  checksFailed: number;
  checksPassed: number;
  concurrency: number;
  /** The first run's rate, in a process that had not run the runner yet (what one CI job sees). */
  firstRunCasesPerSecond: number;
  /** CPU per case of the measured run, in µs: the runner's own process, and the mock's when its pid was given. */
  cpuUsPerCase: { runner: number; mock?: number };
}

/**
 * Runs the contract runner against a live mock for `cases` cases. `--cases` stops at 1,000 generated
 * requests per operation, so the login is listed under two operationIds: two full case sets, one run.
 */
export async function measureContractRunner(baseUrl: string, cases: number, concurrency: number, mockPid?: number): Promise<ContractFigures> {
  // The load rows are measured after warm-up rounds; the runner gets one warm-up run too, and its rate is kept.
  const first = await runOnce(baseUrl, cases, concurrency);
  const before = { runner: process.cpuUsage(), mock: mockPid === undefined ? undefined : readProcCpuMs(mockPid) };
  const measured = await runOnce(baseUrl, cases, concurrency);
  const runner = process.cpuUsage(before.runner);
  const mockAfter = mockPid === undefined ? undefined : readProcCpuMs(mockPid);
  const perCase = (us: number): number => Math.round(us / Math.max(measured.casesSent, 1));
  const cpuUsPerCase = { runner: perCase(runner.user + runner.system), ...(before.mock !== undefined && mockAfter !== undefined ? { mock: perCase((mockAfter - before.mock) * 1000) } : {}) };
  return { ...measured, firstRunCasesPerSecond: first.casesPerSecond, cpuUsPerCase };
}

async function runOnce(baseUrl: string, cases: number, concurrency: number): Promise<Omit<ContractFigures, 'firstRunCasesPerSecond' | 'cpuUsPerCase'>> {
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
