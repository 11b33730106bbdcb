import type { ContractResult, OperationSummary, Totals } from '../contract/contract-result.js';
import { countResult, emptyTotals } from '../contract/contract-result.js';
import type { CaseOutcome, CheckResult, Severity } from '../contract/contract-types.js';
import { formatConsoleReport } from '../contract/reporters/console-reporter.js';
import { renderJson } from '../contract/reporters/json-reporter.js';
import { renderJunit } from '../contract/reporters/junit-reporter.js';
import { proxyChecks } from './check-response.js';

// The proxy's exchanges in the contract runner's result shape, so its own reporters (console, JUnit, JSON)
// draw the summary: each operation seen is a suite, each exchange that broke the contract an outcome.

/** The proxy's own checks, beside the runner's. */
export const proxyOwnChecks = [
  { name: 'request-validation', severity: 'error' as Severity, description: 'The request honours the contract (credential, media type, parameters, body), checked with the mock\'s validators.' },
  { name: 'undocumented-request', severity: 'error' as Severity, description: 'The request matches an operation the contract declares.' },
];

interface OperationStats {
  method: string;
  path: string;
  exchanges: number;
  checks: Record<string, Totals>;
  totals: Totals;
}

/** Counts every exchange and keeps the last `capacity` that broke the contract. */
export class ExchangeStats {
  private readonly operations = new Map<string, OperationStats>();
  private readonly outcomes: CaseOutcome[] = [];
  private sent = 0;
  readonly startedAt = new Date();

  constructor(private readonly capacity: number) {}

  /** Counts one exchange's check results; true when any failed (then {@link keep} its outcome). */
  count(operationId: string, method: string, path: string, results: readonly CheckResult[]): boolean {
    this.sent++;
    let stats = this.operations.get(operationId);
    if (!stats) this.operations.set(operationId, (stats = { method, path, exchanges: 0, checks: {}, totals: emptyTotals() }));
    stats.exchanges++;
    let failed = false;
    for (const r of results) {
      countResult((stats.checks[r.check] ??= emptyTotals()), r);
      countResult(stats.totals, r);
      if (r.status === 'failed') failed = true;
    }
    return failed;
  }

  /** Keeps the outcome of an exchange that broke the contract, the last `capacity` of them. */
  keep(outcome: CaseOutcome): void {
    this.outcomes.push(outcome);
    if (this.outcomes.length > this.capacity) this.outcomes.shift();
  }

  /** Exchanges seen. */
  get exchanges(): number {
    return this.sent;
  }

  /** The run so far as a contract result. */
  result(upstream: string, spec: string): ContractResult {
    const operations: OperationSummary[] = [...this.operations].map(([operationId, s]) => ({
      operationId, method: s.method, path: s.path, cases: s.exchanges, casesSent: s.exchanges, checks: s.checks, totals: s.totals,
    }));
    const totals = emptyTotals();
    for (const op of operations) for (const key of Object.keys(totals) as (keyof Totals)[]) totals[key] += op.totals[key];
    return {
      baseUrl: upstream,
      spec,
      seed: 0,
      startedAt: this.startedAt.toISOString(),
      durationMs: Date.now() - this.startedAt.getTime(),
      requestsSent: this.sent,
      maxRequests: this.sent,
      casesPlanned: this.sent,
      casesNotSent: 0,
      checks: [...proxyChecks.map((c) => ({ name: c.name, severity: c.severity, description: c.description })), ...proxyOwnChecks],
      operations,
      outcomes: [...this.outcomes],
      totals,
      warnings: [],
      ok: totals.failed === 0,
    };
  }
}

/** The console summary, titled for the proxy. */
export function proxyConsoleReport(result: ContractResult, color: boolean): string {
  return formatConsoleReport(result, { color }).replace('iwkit contract', 'iwkit proxy').replace(/ · seed 0/g, '').replace(/requests sent \(limit \d+\)/, 'exchanges');
}

/** The JUnit summary, titled for the proxy. */
export function proxyJunitReport(result: ContractResult): string {
  return renderJunit(result).replace('<testsuites name="iwkit contract"', '<testsuites name="iwkit proxy"');
}

/** The JSON summary, titled for the proxy. */
export function proxyJsonReport(result: ContractResult): string {
  const data = JSON.parse(renderJson(result)) as Record<string, unknown>;
  return `${JSON.stringify({ ...data, tool: 'iwkit proxy' }, null, 2)}\n`;
}
