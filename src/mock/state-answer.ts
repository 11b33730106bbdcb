import { isJsonMediaType } from '../openapi/media-type.js';
import { StateLimitError, StateUnavailableError } from '../state/state-store.js';
import { findResponse, type CompiledOperation } from './compile-operation.js';
import type { MockAnswer } from './mock-answer.js';
import { problemAnswer, type ProblemContext } from './problem-answer.js';
import { limitProblem } from './limits.js';
import { problem, type Problem, type ProblemFieldError } from './problem.js';

// Small pieces the stateful answers share: reading and replacing a JSON answer body, checking a value
// against the schema an operation answers with, and the store's own refusals.

// A repeated request is answered from the response cache with the very same body string, so its parsed
// value is kept too (bounded: small bodies, few of them). Callers treat the value as read-only.
const parsedBodies = new Map<string, unknown>();
const maxParsedBodyChars = 8192;

/** The answer's JSON body (read-only: it may be shared), or undefined when it has none or it is not JSON. */
export function jsonBodyOf(answer: MockAnswer): unknown {
  const text = answer.body;
  if (typeof text !== 'string' || !isJsonMediaType(answer.headers['content-type'])) return undefined;
  if (parsedBodies.has(text)) return parsedBodies.get(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (text.length <= maxParsedBodyChars) {
    if (parsedBodies.size >= 256) parsedBodies.clear();
    parsedBodies.set(text, value);
  }
  return value;
}

/** The same answer with another JSON body (given as its JSON text when the caller has it already). */
export function withJsonBody(answer: MockAnswer, value: unknown, scenario: string, text = JSON.stringify(value)): MockAnswer {
  return { ...answer, headers: { ...answer.headers, 'iwkit-scenario': scenario }, body: text, scenario };
}

/** What breaks `value` for the JSON schema `op` answers `status` with (nothing when it declares none). */
export function schemaIssues(op: CompiledOperation, status: number, value: unknown): ProblemFieldError[] {
  const media = findResponse(op.responses, status)?.media.find((m) => m.validator);
  if (!media?.validator) return [];
  return media.validator.errors(value).map((e) => ({ in: 'body', pointer: e.pointer, message: e.message }));
}

/** The store's refusals as problems: a full store is 507 naming the bound, an unreachable one 503 naming the store. */
export function storeProblem(error: unknown): Problem {
  if (error instanceof StateLimitError) {
    // Named as the option that raises it (limits.maxStateItems, --max-state-items).
    const name = error.limit === 'maxItems' ? 'maxStateItems' : 'maxStateBytes';
    return limitProblem(507, name, error.bound, `${error.message}; raise ${name} or clear state`, { in: 'request', pointer: '' });
  }
  const store = error instanceof StateUnavailableError ? error.store : 'state store';
  const reason = error instanceof Error ? error.message : String(error);
  return problem(503, reason.startsWith('the state store') ? reason : `the state store ${store} is unavailable: ${reason}`, [], { store });
}

/** A store refusal as the operation's answer (a 503 says when to retry). */
export function storeRefusal(error: unknown, context: ProblemContext): MockAnswer {
  const body = storeProblem(error);
  const answer = problemAnswer(body, context);
  return { ...answer, headers: { ...answer.headers, ...(body.status === 503 ? { 'retry-after': '1' } : {}) }, delayMs: 0 };
}

/** The request's state scope: its `iwkit-client` value, or '' (capped so a hostile header cannot make huge keys). */
export function scopeOf(client: string | undefined): string {
  return client ? client.slice(0, 200) : '';
}
