import type { CaseOutcome, CheckResult } from './contract-types.js';
import type { ContractResult } from './contract-result.js';

/** Failures with one cause, across the cases that showed it. */
export interface FailureGroup {
  check: string;
  severity: CheckResult['severity'];
  operationId: string;
  /** The problems, identical for every case in the group (values may differ; the first case's are shown). */
  result: CheckResult;
  outcomes: CaseOutcome[];
}

// Same check, severity, operation and problems (pointer + message) = same cause; actual values may differ between
// cases. Checks keep case details (which mutation, which credential) out of messages: the grouped case names carry them.
function causeKey(outcome: CaseOutcome, result: CheckResult): string {
  const problems = result.problems.map((p) => `${p.pointer ?? ''}\u0001${p.message.replace(/\d+(\.\d+)? ms/g, 'N ms')}`).sort();
  return [result.check, result.severity, outcome.operationId, ...problems].join('\u0002');
}

/** Groups every failed result (errors first, then warnings) by cause, in first-seen order. */
export function groupFailures(result: ContractResult): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const outcome of result.outcomes) {
    for (const r of outcome.results) {
      if (r.status !== 'failed') continue;
      const key = causeKey(outcome, r);
      const group = groups.get(key);
      if (group) group.outcomes.push(outcome);
      else groups.set(key, { check: r.check, severity: r.severity, operationId: outcome.operationId, result: r, outcomes: [outcome] });
    }
  }
  const list = [...groups.values()];
  return [...list.filter((g) => g.severity === 'error'), ...list.filter((g) => g.severity === 'warning')];
}
