import type { AuthPlan } from './auth-from.js';
import type { AuthSession } from './auth-session.js';
import { buildHttpRequest, type BuiltRequest } from './build-http-request.js';
import type { Check, CheckContext, FlowView } from './checks/check-types.js';
import type { CaseOutcome, CheckResult, ContractCase, ParsedResponse, TransportFailure } from './contract-types.js';
import { defineShownRequest } from './display-request.js';
import type { PlannedFlow } from './flows/flow-types.js';
import { resolveBinding, type StepAnswer } from './flows/resolve-binding.js';
import { summariseResponse } from './parse-response.js';
import { scrubSecrets } from './redact.js';
import type { SchemaValidation } from './schema-validation.js';
import { credentialHeaderNames, needsCredential } from './security-credentials.js';
import { transportErrorKind } from './transport.js';
import type { Operation } from '../openapi/api-model.js';

// Sends the planned cases and flows and judges each answer: the part of a run that talks to the target.

/** A piece of work: one case, or a flow whose steps run in order. */
export type Unit = { id: string; cases: ContractCase[]; flow?: PlannedFlow };

/** What sending one case gave, before the checks. */
interface Sent {
  case: ContractCase;
  base: Omit<CaseOutcome, 'sent' | 'elapsedMs' | 'results'>;
  response?: ParsedResponse;
  transportError?: TransportFailure;
  elapsedMs: number;
  startedAt: string;
  relogin: boolean;
  /** The login generation the case was sent with (see AuthSession). */
  generation: number;
  session?: { from: string; firstUse: boolean };
}

/** What a runner needs: where and how to send, what to check, and every secret to hide. */
export interface CaseRunnerSetup {
  baseUrl: string;
  token?: string;
  headers: Record<string, string>;
  authPlan?: AuthPlan;
  checks: Check[];
  schemas: SchemaValidation;
  strict: boolean;
  timeoutMs: number;
  maxResponseTimeMs?: number;
  /** After this many transport failures in a row nothing more is sent. */
  maxConsecutiveTransportErrors: number;
  /** Grows as logins hand out tokens. */
  secrets: string[];
  send: (request: ReturnType<typeof buildHttpRequest>['request']) => Promise<ParsedResponse>;
  rate: () => Promise<void>;
}

/** Runs each check, turning a check that throws into a failure and scrubbing secrets from what it says. */
export function runChecks(checks: Check[], context: CheckContext, secrets: readonly string[]): CheckResult[] {
  const results: CheckResult[] = [];
  for (const check of checks) {
    let verdict;
    try {
      verdict = check.run(context);
    } catch (error) {
      // A response that breaks the check itself (e.g. nesting deep enough to overflow the stack) is not a pass.
      const message = `the check could not run on this response: ${error instanceof Error ? error.message : String(error)}`;
      verdict = { status: 'failed' as const, problems: [{ message, expected: 'a response the check can read', actual: 'the check threw' }] };
    }
    if (!verdict) continue;
    const problems = verdict.problems.map((p) => ({
      ...p,
      message: scrubSecrets(p.message, secrets),
      ...(p.actual !== undefined ? { actual: scrubSecrets(p.actual, secrets) } : {}),
    }));
    results.push({ check: check.name, severity: check.severity, ...verdict, problems });
  }
  return results;
}

/** Sends cases within the rate limit, logs in again on a 401 when a session is set, and records each outcome with its check results. */
export class CaseRunner {
  /** Requests sent so far, logins included. */
  sent = 0;
  /** Set once the target is considered down; nothing more is sent. */
  stoppedEarly: string | undefined;
  /** Ids of the cases sent again after a re-login. */
  readonly retried: string[] = [];
  session: AuthSession | undefined;
  private consecutiveTransportErrors = 0;
  private readonly credentialByHeader = new WeakMap<Operation, boolean>();

  constructor(private readonly setup: CaseRunnerSetup) {}

  /** The token sent now: the session's, else the configured one. */
  token(): string | undefined {
    return this.session?.token() ?? this.setup.token;
  }

  /** True when a case of `op` carries a credential: it needs none, a token is configured, or a header the spec names as its credential is set. */
  hasCredential(op: Operation): boolean {
    let byHeader = this.credentialByHeader.get(op);
    if (byHeader === undefined) {
      // Asked for every case: what the operation and the fixed headers say is worked out once per operation.
      const names = credentialHeaderNames(op);
      byHeader = !needsCredential(op) || Object.keys(this.setup.headers).some((h) => names.includes(h.toLowerCase()));
      this.credentialByHeader.set(op, byHeader);
    }
    return byHeader || this.token() !== undefined;
  }

  /** Sends the login like a case (rate limit, request count), with the static token if one is configured. */
  async sendLogin(plan: AuthPlan): Promise<ParsedResponse> {
    await this.setup.rate();
    this.sent++;
    const loginCase: ContractCase = { ...plan.case, auth: this.setup.token ? 'valid' : 'none' };
    return this.setup.send(buildHttpRequest(loginCase, this.settings(this.setup.token)).request);
  }

  /** The outcome of a case that was never sent, and why. */
  notSent(c: ContractCase, reason: string): CaseOutcome {
    return Object.assign(this.describe(c), { sent: false, notSentReason: reason, elapsedMs: 0, results: [] });
  }

  /** Runs one unit: a flow step by step, or a single case (not sent once the target is down). */
  async runUnit(unit: Unit, add: (outcome: CaseOutcome) => void): Promise<void> {
    if (unit.flow) await this.runFlow(unit.flow, add);
    else if (this.stoppedEarly) add(this.notSent(unit.cases[0], this.stoppedEarly));
    else add(this.record(await this.sendCase(unit.cases[0])));
  }

  private settings(token: string | undefined) {
    const { baseUrl, headers, authPlan } = this.setup;
    return { baseUrl, ...(token ? { token } : {}), headers, ...(authPlan?.header ? { credentialHeader: authPlan.header } : {}) };
  }

  private build(c: ContractCase) {
    return buildHttpRequest(c, this.settings(this.token()));
  }

  // The shown request and curl line are worked out when a report reads them, not here in the hot loop.
  private describe(c: ContractCase, builtRequest?: BuiltRequest): Sent['base'] {
    const base = {
      id: c.id,
      operationId: c.operation.operationId,
      method: c.operation.method.toUpperCase(),
      path: c.operation.path,
      kind: c.kind,
      name: c.name,
      expectation: c.expectation,
      auth: c.auth,
      ...(c.mutation ? { mutation: c.mutation } : {}),
      ...(c.seed !== undefined ? { seed: c.seed } : {}),
      ...(c.profile !== undefined ? { profile: c.profile } : {}),
    };
    const token = this.token();
    const built = builtRequest ? () => builtRequest : () => buildHttpRequest(c, this.settings(token));
    return defineShownRequest(base, built, token, this.setup.secrets);
  }

  private async sendOnce(c: ContractCase): Promise<Sent> {
    const { session } = this;
    const usesSession = session !== undefined && c.auth === 'valid' && needsCredential(c.operation);
    const generation = session?.generation() ?? 0;
    const firstUse = usesSession ? session.claimUse() : false;
    const builtRequest = this.build(c);
    const base = this.describe(c, builtRequest);
    await this.setup.rate();
    this.sent++;
    const startedAt = new Date().toISOString();
    const t0 = performance.now();
    let response: ParsedResponse | undefined;
    let transportError: TransportFailure | undefined;
    try {
      response = await this.setup.send(builtRequest.request);
      this.consecutiveTransportErrors = 0;
    } catch (error) {
      transportError = { kind: transportErrorKind(error), message: scrubSecrets(error instanceof Error ? error.message : String(error), this.setup.secrets) };
      this.noteTransportError();
    }
    const sessionView = usesSession ? { session: { from: this.setup.authPlan!.operation.operationId, firstUse } } : {};
    return { case: c, base, ...(response ? { response } : {}), ...(transportError ? { transportError } : {}), elapsedMs: performance.now() - t0, startedAt, relogin: false, ...sessionView, generation };
  }

  private noteTransportError(): void {
    this.consecutiveTransportErrors++;
    if (this.consecutiveTransportErrors >= this.setup.maxConsecutiveTransportErrors && !this.stoppedEarly) {
      this.stoppedEarly = `the target stopped answering (${this.consecutiveTransportErrors} transport failures in a row)`;
    }
  }

  // A 401 on a case that sent the login's token: log in again (bounded) and send the case once more.
  private async sendCase(c: ContractCase): Promise<Sent> {
    const first = await this.sendOnce(c);
    if (!first.session || first.response?.status !== 401 || this.stoppedEarly) return first;
    if (!(await this.session!.relogin(first.generation))) return first;
    this.retried.push(c.id);
    return { ...(await this.sendOnce(c)), relogin: true };
  }

  private record(s: Sent, flow?: FlowView): CaseOutcome {
    const { checks, schemas, strict, timeoutMs, maxResponseTimeMs, secrets } = this.setup;
    const context: CheckContext = {
      case: s.case,
      operation: s.case.operation,
      ...(s.response ? { response: s.response } : {}),
      ...(s.transportError ? { transportError: s.transportError } : {}),
      elapsedMs: s.elapsedMs,
      hasCredential: this.hasCredential(s.case.operation),
      ...(maxResponseTimeMs !== undefined ? { maxResponseTimeMs } : {}),
      timeoutMs,
      schemas,
      strict,
      ...(s.session ? { session: s.session } : {}),
      ...(flow ? { flow } : {}),
    };
    // Assigned onto the base, not spread from it: a spread would work out its shown request now.
    return Object.assign(s.base, {
      sent: true,
      startedAt: s.startedAt,
      elapsedMs: Math.round(s.elapsedMs * 10) / 10,
      ...(s.response ? { response: summariseResponse(s.response, secrets) } : {}),
      ...(s.transportError ? { transportError: s.transportError } : {}),
      ...(s.relogin ? { relogin: true } : {}),
      results: runChecks(checks, context, secrets),
    });
  }

  private async runFlow(flow: PlannedFlow, emitOne: (o: CaseOutcome) => void): Promise<void> {
    const answers: StepAnswer[] = [];
    const curls: string[] = [];
    let halted: string | undefined;
    for (const [index, step] of flow.steps.entries()) {
      const ref = { ...step.case.flow!, index };
      if (!halted && this.stoppedEarly) halted = this.stoppedEarly;
      const bound = halted ? { case: step.case } : bindStep(flow, index, answers);
      halted ??= bound.halted;
      if (halted) {
        const outcome = this.notSent(bound.case, `flow stopped: ${halted}`);
        emitOne({ ...outcome, flow: { ...ref, steps: [...curls, outcome.curl] } });
        continue;
      }
      const s = await this.sendCase(bound.case);
      curls.push(s.base.curl);
      const view: FlowView = { role: step.role, previous: answers.map((a, k) => ({ role: flow.steps[k].role, case: a.case, ...(a.response ? { response: a.response } : {}) })) };
      answers.push({ case: bound.case, ...(s.response ? { response: s.response } : {}) });
      emitOne({ ...this.record(s, view), flow: { ...ref, steps: [...curls] } });
      if (!s.response) halted = `step ${index + 1} (${step.role}) got no answer`;
    }
  }
}

/** The step's case with its path filled from earlier answers, or why the flow stops here. */
function bindStep(flow: PlannedFlow, index: number, answers: StepAnswer[]): { case: ContractCase; halted?: string } {
  const step = flow.steps[index];
  const path = { ...step.case.request.path };
  let halted: string | undefined;
  for (const b of step.bindings) {
    const value = resolveBinding(b, answers);
    if (value === undefined || value === null || typeof value === 'object') {
      halted = `step ${b.step + 1} (${flow.steps[b.step].role}) gave no value for {${b.parameter}} (${b.expression})`;
      break;
    }
    path[b.parameter] = value;
  }
  return { case: { ...step.case, request: { ...step.case.request, path } }, ...(halted ? { halted } : {}) };
}
