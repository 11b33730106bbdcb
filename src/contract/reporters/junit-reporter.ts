import type { ContractResult, ContractRunFailure, Totals } from '../contract-result.js';
import type { CaseOutcome } from '../contract-types.js';
import { countResult, emptyTotals, verdictOf } from '../contract-result.js';
import { describeFailure } from './describe-failure.js';

// XML 1.0 forbids most control characters even when escaped; response excerpts may contain them.
function xml(text: string): string {
  return text
    .replace(/[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function counts(t: Totals): string {
  return `tests="${t.total}" failures="${t.failed}" errors="0" skipped="${t.skipped}"`;
}

// A suite's time is the wall time its cases spanned (the rate limit's waits included), not the sum of their requests.
function span(outcomes: CaseOutcome[]): { start?: string; ms: number } {
  const sent = outcomes.filter((o) => o.startedAt !== undefined);
  if (sent.length === 0) return { ms: 0 };
  const starts = sent.map((o) => Date.parse(o.startedAt!));
  const first = Math.min(...starts);
  const last = Math.max(...sent.map((o, i) => starts[i] + o.elapsedMs));
  return { start: new Date(first).toISOString(), ms: last - first };
}

/** Renders JUnit XML: one testsuite per operation, one testcase per check and case (`classname` = operationId); warnings pass with a note. */
export function renderJunit(result: ContractResult): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(`<testsuites name="iwkit contract" ${counts(result.totals)} time="${seconds(result.durationMs)}" timestamp="${xml(result.startedAt)}">`);
  for (const op of result.operations) {
    const outcomes = result.outcomes.filter((o) => o.operationId === op.operationId && o.results.length > 0);
    const totals = emptyTotals();
    for (const o of outcomes) for (const r of o.results) countResult(totals, r);
    const time = span(outcomes);
    const stamp = time.start ? ` timestamp="${time.start}"` : '';
    lines.push(`  <testsuite name="${xml(op.operationId)}" ${counts(totals)} time="${seconds(time.ms)}"${stamp}>`);
    lines.push(`    <properties><property name="method" value="${xml(op.method)}"/><property name="path" value="${xml(op.path)}"/><property name="baseUrl" value="${xml(result.baseUrl)}"/><property name="seed" value="${result.seed}"/></properties>`);
    for (const o of outcomes) {
      for (const [index, r] of o.results.entries()) {
        // One request serves every check of a case: its time is counted once, on the first, so testcase times add up.
        const open = `    <testcase classname="${xml(op.operationId)}" name="${xml(`${r.check} · ${o.name}`)}" time="${seconds(index === 0 ? o.elapsedMs : 0)}"`;
        const verdict = verdictOf(r);
        if (verdict === 'passed') {
          lines.push(r.note ? `${open}><system-out>${xml(r.note)}</system-out></testcase>` : `${open}/>`);
        } else if (verdict === 'skipped') {
          lines.push(`${open}><skipped message="${xml(r.note ?? 'skipped')}"/></testcase>`);
        } else {
          const details = describeFailure(o, r).join('\n');
          const message = r.problems[0]?.message ?? r.note ?? 'failed';
          if (verdict === 'failed') lines.push(`${open}><failure message="${xml(message)}" type="${xml(r.check)}">${xml(details)}</failure></testcase>`);
          else lines.push(`${open}><system-out>${xml(`warning: ${details}`)}</system-out></testcase>`);
        }
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

/** Renders the JUnit XML of a run that ended in a toolkit error: one testcase whose `<error>` carries the code and message. */
export function renderJunitFailure(failure: ContractRunFailure): string {
  const { code, message } = failure.error;
  const time = seconds(failure.durationMs);
  const counts = 'tests="1" failures="0" errors="1" skipped="0"';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="iwkit contract" ${counts} time="${time}" timestamp="${xml(failure.startedAt)}">`,
    `  <testsuite name="iwkit contract" ${counts} time="${time}" timestamp="${xml(failure.startedAt)}">`,
    `    <properties><property name="baseUrl" value="${xml(failure.baseUrl)}"/><property name="spec" value="${xml(failure.spec)}"/></properties>`,
    `    <testcase classname="iwkit contract" name="run" time="${time}"><error message="${xml(message)}" type="${xml(code)}">${xml(`${code}: ${message}`)}</error></testcase>`,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
