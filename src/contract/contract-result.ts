import type { CaseOutcome, CheckResult, Severity } from './contract-types.js';

/** Check counts: `failed` are error-severity failures (they fail the run), `warnings` are warning-severity failures. */
export interface Totals {
  total: number;
  passed: number;
  failed: number;
  warnings: number;
  skipped: number;
}

/** Counts for one operation: per check, and in all. */
export interface OperationSummary {
  operationId: string;
  method: string;
  path: string;
  cases: number;
  casesSent: number;
  checks: Record<string, Totals>;
  totals: Totals;
}

/** Everything a run produced; holds no secret, so it can be written as JSON as is. */
export interface ContractResult {
  baseUrl: string;
  spec: string;
  seed: number;
  startedAt: string;
  durationMs: number;
  requestsSent: number;
  maxRequests: number;
  casesPlanned: number;
  casesNotSent: number;
  /** Set when the run stopped sending because the target stopped answering. */
  stoppedEarly?: string;
  checks: { name: string; severity: Severity; description: string }[];
  operations: OperationSummary[];
  outcomes: CaseOutcome[];
  totals: Totals;
  warnings: string[];
  /** With --auth-from: where the token came from and how often the runner logged in. */
  auth?: AuthSummary;
  /** With --shard: which share of the cases this run sent. */
  shard?: { index: number; count: number };
  /** Flows planned and how many of their steps were sent. */
  flows?: { planned: number; steps: number; stepsSent: number };
  /** True when no error-severity check failed. */
  ok: boolean;
}

/** What a run says about its logins through `--auth-from`. */
export interface AuthSummary {
  from: string;
  pointer: string;
  /** The header the token was sent in; absent when each operation's security scheme placed it. */
  header?: string;
  logins: number;
  relogins: number;
  /** Cases answered 401 and sent again after a re-login. */
  retried: string[];
  reloginFailure?: string;
}

/** Zeroed counts. */
export function emptyTotals(): Totals {
  return { total: 0, passed: 0, failed: 0, warnings: 0, skipped: 0 };
}

/** Adds one check result to a count. */
export function countResult(totals: Totals, result: CheckResult): void {
  totals.total++;
  if (result.status === 'passed') totals.passed++;
  else if (result.status === 'skipped') totals.skipped++;
  else if (result.severity === 'warning') totals.warnings++;
  else totals.failed++;
}

/** The verdict of a result as counted: passed, failed, warning or skipped. */
export function verdictOf(result: CheckResult): 'passed' | 'failed' | 'warning' | 'skipped' {
  if (result.status === 'failed') return result.severity === 'warning' ? 'warning' : 'failed';
  return result.status;
}

/** A run that ended in a toolkit error (bad option or spec, unreachable target) before it had a result: what reports say of it. */
export interface ContractRunFailure {
  baseUrl: string;
  spec: string;
  startedAt: string;
  durationMs: number;
  error: { code: string; message: string };
}
