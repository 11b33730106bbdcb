import { parseCookie } from 'cookie';
import { singleHeader, clientHeader } from './client-header.js';
import type { CompiledOperation } from './compile-operation.js';
import type { SessionState } from './match-rule.js';
import type { MockAnswer, MockRequest } from './mock-answer.js';
import type { MockRuntime } from './mock-runtime.js';
import type { OperationState } from './plan-state.js';
import { problemAnswer, type ProblemContext } from './problem-answer.js';
import { problem, type ProblemFieldError } from './problem.js';
import { declaresNotFound, resourceAnswer } from './resource-state.js';
import { loginAnswer, sessionRefusal } from './session-state.js';
import type { StateRuntime } from './state-runtime.js';
import { ensureInitialState } from './initial-state.js';
import { scopeOf, storeRefusal } from './state-answer.js';

// The state step of the pipeline, after security, validation, preferences and rules: a request the
// stateless pipeline answered with a plain 2xx is answered from the store instead. What a tester
// scripted (a rule, an override, Prefer: code=…, a fault) and every refusal stand as they are.

/** The answer the spec declares for `status` (exactly or by range), or undefined when it declares none. */
export type DeclaredAnswer = (request: MockRequest, status: number) => MockAnswer | undefined;

const scripted = (answer: MockAnswer): boolean => /^(rule|override|fault):/.test(answer.scenario);

function refusal(op: CompiledOperation, request: MockRequest, declared: DeclaredAnswer, status: 401 | 404, detail: string, where: Omit<ProblemFieldError, 'message'>): MockAnswer {
  const own = declared(request, status);
  if (own) return { ...own, scenario: `state:${status}`, headers: { ...own.headers, 'iwkit-scenario': `state:${status}` } };
  return { ...problemAnswer(problem(status, detail, [{ ...where, message: detail }]), { op, now: 0 }), delayMs: 0 };
}

/** What the session lookup found before the rules ran: the session's state (and why it is refused), or the store's failure. */
export type SessionCheck = { session: SessionState; refused?: { reason: string; where?: ProblemFieldError } } | { error: unknown };

/** Looks up the session a request to a protected operation presents. */
export async function checkSession(op: CompiledOperation, request: MockRequest, state: StateRuntime): Promise<SessionCheck> {
  const cookieHeader = singleHeader(request.headers.cookie);
  const cookies = request.cookies ?? (cookieHeader ? parseCookie(cookieHeader) : {});
  try {
    const refused = await sessionRefusal(op, { headers: request.headers, query: request.query, cookies }, state, scopeOf(singleHeader(request.headers[clientHeader])));
    return refused ? { session: refused.reason as SessionState, refused } : { session: 'live' };
  } catch (error) {
    // Answered as the store's refusal only where state is needed: a request the stateless steps refuse keeps its refusal.
    return { error };
  }
}

/** Wraps an operation's stateless answer with its state decision: sessions, then resources. */
export function answerWithState(
  op: CompiledOperation,
  opState: OperationState,
  runtime: MockRuntime,
  state: StateRuntime,
  declared: DeclaredAnswer,
): (request: MockRequest, answer: MockAnswer, check?: SessionCheck) => Promise<MockAnswer> {
  const context: ProblemContext = { op, now: runtime.now };
  return async function decide(request, answer, check) {
    if (answer.problem || answer.fault || scripted(answer) || answer.status < 200 || answer.status >= 300) return answer;
    const scope = scopeOf(singleHeader(request.headers[clientHeader]));
    try {
      await ensureInitialState(state.store, scope, state.initial);
      if (opState.protected) {
        const known = check ?? (await checkSession(op, request, state));
        if ('error' in known) throw known.error;
        const refused = known.refused;
        if (refused) {
          const detail = refused.reason === 'missing' ? 'no session credential was presented' : `the session is ${refused.reason}: log in again`;
          return withDelay(refusal(op, request, declared, 401, detail, refused.where ?? { in: 'header', pointer: '' }), answer);
        }
      }
      if (opState.login) return await loginAnswer(op, request, answer, state, scope, opState.login.credentialProperty, runtime.now);
      if (!opState.resource) return answer;
      const outcome = await resourceAnswer(op, opState.resource.role, opState.resource.group, request, answer, state, scope, runtime.references ?? []);
      if ('answer' in outcome) return outcome.answer;
      if ('problem' in outcome) return withDelay({ ...problemAnswer(outcome.problem, context), delayMs: 0 }, answer);
      // Deleting what is not there, where the spec documents no 404: done already (idempotent), not an undocumented status.
      if (opState.resource.role === 'remove' && !declaresNotFound(op)) return answer;
      return withDelay(refusal(op, request, declared, 404, outcome.notFound, { in: 'path', pointer: `/${opState.resource.group.param}` }), answer);
    } catch (error) {
      return storeRefusal(error, context);
    }
  };
}

/** A refusal keeps the delay the answer it replaces would have had. */
function withDelay(answer: MockAnswer, replaced: MockAnswer): MockAnswer {
  return { ...answer, delayMs: replaced.delayMs };
}
