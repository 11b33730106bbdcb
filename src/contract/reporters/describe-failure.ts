import type { CaseOutcome, CheckResult } from '../contract-types.js';
import { escapeControls } from '../excerpt.js';

/** The lines that explain one failed result on one case: problems, response, curl; shared by the console and JUnit. Each line is one line, with no control character a terminal would act on. */
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
  if (outcome.relogin) lines.push('note: answered 401 first; the runner logged in again (--auth-from) and sent it once more: this is the second answer');
  if (outcome.flow && outcome.flow.steps.length > 1) {
    // The whole sequence up to the failing step: each later call depends on what the earlier ones created.
    lines.push(`reproduce (flow ${outcome.flow.id}, step ${outcome.flow.index + 1} ${outcome.flow.role}):`);
    outcome.flow.steps.forEach((curl, i) => lines.push(`  ${i + 1}. ${curl}`));
  } else lines.push(`reproduce: ${outcome.curl}`);
  // Every piece may come from the target (messages, headers, excerpts): it must not move the cursor or forge a line.
  return lines.map(escapeControls);
}
