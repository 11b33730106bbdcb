import type { ContractEvent } from '../run-contract.js';
import type { ContractResult, Totals } from '../contract-result.js';
import { groupFailures } from '../group-failures.js';
import { describeFailure } from './describe-failure.js';
import { escapeControls as safe } from '../excerpt.js';

/** How the console report is drawn. */
export interface ConsoleStyle {
  color: boolean;
}

type Paint = (text: string) => string;

function palette(color: boolean): Record<'red' | 'green' | 'yellow' | 'dim' | 'bold', Paint> {
  const wrap = (open: number, close: number): Paint => (color ? (t) => `\u001b[${open}m${t}\u001b[${close}m` : (t) => t);
  return { red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}

function countsText(t: Totals): string {
  const parts: string[] = [];
  if (t.passed) parts.push(`${t.passed} passed`);
  if (t.failed) parts.push(`${t.failed} failed`);
  if (t.warnings) parts.push(`${t.warnings} warning${t.warnings === 1 ? '' : 's'}`);
  if (t.skipped) parts.push(`${t.skipped} skipped`);
  return parts.join(', ') || 'no results';
}

/** Lines about the run itself: logins through --auth-from, the shard, flows. */
export function runNotes(result: ContractResult): string[] {
  const notes: string[] = [];
  const a = result.auth;
  if (a) {
    const where = a.header ? `sent as ${a.header}` : "sent where each operation's security scheme says";
    const again = a.relogins > 0 ? `, ${a.relogins} re-login${a.relogins === 1 ? '' : 's'} after a 401 (retried: ${a.retried.slice(0, 5).join(', ')}${a.retried.length > 5 ? ', …' : ''})` : '';
    notes.push(`authenticated through ${a.from} (token at ${a.pointer}, ${where}): ${a.logins} login${a.logins === 1 ? '' : 's'}${again}`);
  }
  if (result.shard) notes.push(`shard ${result.shard.index}/${result.shard.count} of the cases (merge the JSON reports with iwkit contract merge)`);
  if (result.flows) notes.push(`${result.flows.planned} flow${result.flows.planned === 1 ? '' : 's'}: ${result.flows.stepsSent} of ${result.flows.steps} steps sent`);
  return notes;
}

/** True when colours should be used for a stream: a TTY, and `NO_COLOR` unset or empty. */
export function shouldUseColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR;
}

/** Renders the final console report: a summary per operation and check, each failure cause once with a curl line, then the totals. */
export function formatConsoleReport(result: ContractResult, style: ConsoleStyle): string {
  const c = palette(style.color);
  const out: string[] = [];
  out.push(c.bold(`iwkit contract · ${safe(result.baseUrl)} · ${safe(result.spec)} · seed ${result.seed}`), '');
  const width = Math.max(0, ...result.checks.map((k) => k.name.length)) + 2;
  for (const op of result.operations) {
    out.push(`${c.bold(safe(op.operationId))}  ${op.method} ${safe(op.path)}  ${c.dim(`${op.cases} cases, ${op.casesSent} sent`)}`);
    for (const check of result.checks) {
      const t = op.checks[check.name];
      if (!t) continue;
      const mark = t.failed ? c.red('✘') : t.warnings ? c.yellow('!') : t.passed ? c.green('✔') : c.dim('-');
      out.push(`  ${mark} ${check.name.padEnd(width)}${countsText(t)}`);
    }
    out.push('');
  }

  const groups = groupFailures(result);
  const errors = groups.filter((g) => g.severity === 'error');
  const warnings = groups.filter((g) => g.severity === 'warning');
  const section = (title: string, list: typeof groups, paint: (t: string) => string, mark: string): void => {
    if (list.length === 0) return;
    out.push(paint(c.bold(`${title} (${list.length} cause${list.length === 1 ? '' : 's'})`)), '');
    list.forEach((g, i) => {
      const first = g.outcomes[0];
      const names = g.outcomes.slice(0, 4).map((o) => safe(o.name));
      const more = g.outcomes.length > 4 ? `, … (+${g.outcomes.length - 4} more)` : '';
      out.push(`${i + 1}) ${paint(mark)} ${c.bold(g.check)} · ${safe(g.operationId)} · ${g.outcomes.length} case${g.outcomes.length === 1 ? '' : 's'}`);
      const lines = describeFailure(first, g.result);
      for (const line of lines) out.push(`   ${line.startsWith('reproduce:') ? c.dim(line) : line}`);
      if (g.outcomes.length > 1) out.push(`   all cases: ${names.join(', ')}${more}`);
      out.push('');
    });
  };
  section('Failures', errors, c.red, '✘');
  section('Warnings', warnings, c.yellow, '!');

  const notSent = result.outcomes.filter((o) => !o.sent);
  if (notSent.length > 0) {
    const reasons = [...new Set(notSent.map((o) => o.notSentReason ?? 'not sent'))];
    out.push(c.yellow(`${notSent.length} case${notSent.length === 1 ? '' : 's'} not sent: ${safe(reasons.join('; '))}`));
  }
  for (const w of result.warnings) out.push(c.yellow(`warning: ${safe(w)}`));
  const notes = runNotes(result);
  for (const note of notes) out.push(c.dim(safe(note)));
  if (notSent.length > 0 || result.warnings.length > 0 || notes.length > 0) out.push('');

  const t = result.totals;
  const verdict = result.ok ? c.green(c.bold('PASSED')) : c.red(c.bold('FAILED'));
  // Every warning printed above is counted: checks that warned and the run's own warnings (spec, credential, ...).
  const warned = t.warnings ? `${t.warnings} warned, ` : '';
  const allWarnings = t.warnings + result.warnings.length;
  out.push(
    `${verdict} · ${t.total} checks: ${t.passed} passed, ${t.failed} failed, ${warned}${t.skipped} skipped · ${allWarnings} warning${allWarnings === 1 ? '' : 's'} · ` +
      `${result.requestsSent} requests sent (limit ${result.maxRequests}) · ${(result.durationMs / 1000).toFixed(1)} s · seed ${result.seed}`,
  );
  return `${out.join('\n')}\n`;
}

/** A progress line on a TTY (silent when not a TTY or when `CI` is set); returns the event listener and a function that clears the line. */
export function createProgressLine(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): { onEvent: (event: ContractEvent) => void; clear: () => void } {
  const active = Boolean(stream.isTTY) && !env.CI;
  let shown = false;
  const clear = (): void => {
    if (active && shown) stream.write('\r\u001b[2K');
    shown = false;
  };
  return {
    clear,
    onEvent(event) {
      if (!active) return;
      if (event.type === 'case') {
        const o = event.outcome;
        const failed = o.results.some((r) => r.status === 'failed' && r.severity === 'error');
        const line = safe(`[${event.done}/${event.planned}] ${o.operationId} · ${o.name}${failed ? ' ✘' : ''}`);
        const columns = stream.columns || 80;
        stream.write(`\r\u001b[2K${line.slice(0, columns - 1)}`);
        shown = true;
      } else if (event.type === 'finish') clear();
    },
  };
}
