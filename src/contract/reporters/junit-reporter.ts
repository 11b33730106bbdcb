import type { ContractResult, Totals } from '../contract-result.js';
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

/** Renders JUnit XML: one testsuite per operation, one testcase per check and case (`classname` = operationId); warnings pass with a note. */
export function renderJunit(result: ContractResult): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(`<testsuites name="iwkit contract" ${counts(result.totals)} time="${seconds(result.durationMs)}" timestamp="${xml(result.startedAt)}">`);
  for (const op of result.operations) {
    const outcomes = result.outcomes.filter((o) => o.operationId === op.operationId && o.results.length > 0);
    const totals = emptyTotals();
    for (const o of outcomes) for (const r of o.results) countResult(totals, r);
    const time = outcomes.reduce((sum, o) => sum + o.elapsedMs, 0);
    lines.push(`  <testsuite name="${xml(op.operationId)}" ${counts(totals)} time="${seconds(time)}">`);
    lines.push(`    <properties><property name="method" value="${xml(op.method)}"/><property name="path" value="${xml(op.path)}"/><property name="baseUrl" value="${xml(result.baseUrl)}"/><property name="seed" value="${result.seed}"/></properties>`);
    for (const o of outcomes) {
      for (const r of o.results) {
        const open = `    <testcase classname="${xml(op.operationId)}" name="${xml(`${r.check} · ${o.name}`)}" time="${seconds(o.elapsedMs)}"`;
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
