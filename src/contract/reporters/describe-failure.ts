import type { CaseOutcome, CheckResult } from '../contract-types.js';

/** The lines that explain one failed result on one case: problems, response, curl; shared by the console and JUnit. */
export function describeFailure(outcome: CaseOutcome, result: CheckResult): string[] {
  const lines: string[] = [];
  for (const p of result.problems) {
    lines.push(`${p.pointer !== undefined ? `${p.pointer || '(root)'}: ` : ''}${p.message}`);
    if (p.expected !== undefined) lines.push(`  expected: ${p.expected}`);
    if (p.actual !== undefined) lines.push(`  actual:   ${p.actual}`);
  }
  if (result.note) lines.push(`note: ${result.note}`);
  lines.push(`case: ${outcome.name} (${outcome.kind})`);
  if (outcome.response) {
    const r = outcome.response;
    lines.push(`response: ${r.status} ${r.mediaType ?? '(no content type)'}, ${r.bodyBytes} bytes${r.bodyProblem ? ` (${r.bodyProblem})` : ''}${r.bodyExcerpt ? `: ${r.bodyExcerpt}` : ''}`);
  } else if (outcome.transportError) {
    lines.push(`response: none (${outcome.transportError.kind})`);
  }
  lines.push(`time: ${Math.round(outcome.elapsedMs)} ms`);
  lines.push(`reproduce: ${outcome.curl}`);
  return lines;
}
