import type { ContractResult, ContractRunFailure } from '../contract-result.js';
import { groupFailures } from '../group-failures.js';

/** Renders the JSON report: options, every case sent (redacted), every check result, timings and the grouped failures. */
export function renderJson(result: ContractResult): string {
  const groups = groupFailures(result).map((g) => ({
    check: g.check,
    severity: g.severity,
    operationId: g.operationId,
    problems: g.result.problems,
    cases: g.outcomes.map((o) => o.id),
    curl: g.outcomes[0].curl,
  }));
  return `${JSON.stringify({ tool: 'iwkit contract', ...result, failureGroups: groups }, null, 2)}\n`;
}

/** Renders the JSON report of a run that ended in a toolkit error: `ok: false` and the error's code and message. */
export function renderJsonFailure(failure: ContractRunFailure): string {
  return `${JSON.stringify({ tool: 'iwkit contract', ok: false, ...failure }, null, 2)}\n`;
}
