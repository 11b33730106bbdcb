import type { Operation } from '../openapi/api-model.js';
import type { OperationSummary, Totals } from './contract-result.js';
import { countResult, emptyTotals } from './contract-result.js';
import type { CaseOutcome } from './contract-types.js';

/** Counts every outcome's results: in all, per operation and per check (operations listed even without a case). */
export function summariseOutcomes(operations: readonly Pick<Operation, 'operationId' | 'method' | 'path'>[], outcomes: readonly CaseOutcome[]): { totals: Totals; operations: OperationSummary[] } {
  const totals = emptyTotals();
  const summaries = new Map<string, OperationSummary>();
  for (const op of operations) {
    summaries.set(op.operationId, { operationId: op.operationId, method: op.method.toUpperCase(), path: op.path, cases: 0, casesSent: 0, checks: {}, totals: emptyTotals() });
  }
  for (const outcome of outcomes) {
    let summary = summaries.get(outcome.operationId);
    if (!summary) summaries.set(outcome.operationId, (summary = { operationId: outcome.operationId, method: outcome.method, path: outcome.path, cases: 0, casesSent: 0, checks: {}, totals: emptyTotals() }));
    summary.cases++;
    if (outcome.sent) summary.casesSent++;
    for (const r of outcome.results) {
      countResult(totals, r);
      countResult(summary.totals, r);
      countResult((summary.checks[r.check] ??= emptyTotals()), r);
    }
  }
  return { totals, operations: [...summaries.values()] };
}
