import { randomInt } from 'node:crypto';
import { planAuth, tokenFromResponse, type AuthOptions, type AuthPlan } from './auth-from.js';
import { createAuthSession, type AuthSession } from './auth-session.js';
import type { FlowView } from './checks/check-types.js';
import type { PlannedFlow } from './flows/flow-types.js';
import { planFlows } from './flows/plan-flows.js';
import { resolveBinding, type StepAnswer } from './flows/resolve-binding.js';
import { createSender } from './send-request.js';
import { parseShard, shardUnits } from './shard-cases.js';
import { summariseOutcomes } from './summarise-run.js';
import { toolkitError } from '../errors.js';
import { parseEdgeProfiles, type EdgeProfile } from '../fake/edge-profiles.js';
import type { Api } from '../openapi/api-model.js';
import { loadApi } from '../openapi/load-api.js';
import { buildCases } from './build-cases.js';
import { buildHttpRequest } from './build-http-request.js';
import type { Check, CheckContext } from './checks/check-types.js';
import { selectChecks } from './checks/all-checks.js';
import type { ContractResult } from './contract-result.js';
import type { CaseOutcome, CheckResult, ContractCase, ParsedResponse, TransportFailure } from './contract-types.js';
import { curlCommand, redactRequest } from './display-request.js';
import { createHttpTransport } from './http-transport.js';
import { summariseResponse } from './parse-response.js';
import { probeTarget } from './probe-target.js';
import { createRateLimiter } from './rate-limiter.js';
import { isSecretHeader, scrubSecrets } from './redact.js';
import { createSchemaValidation } from './schema-validation.js';
import { credentialHeaderNames, needsCredential } from './security-credentials.js';
import type { Transport } from './transport.js';
import { transportErrorKind } from './transport.js';

// The loader's options plus `strict`, which the loader is gaining (an intersection, so no cast either way).
type LoadOptions = NonNullable<Parameters<typeof loadApi>[1]> & { strict?: boolean };

/** Safe defaults: a login can lock accounts, so little is sent, slowly, with a hard cap. */
export const contractDefaults = {
  cases: 5,
  timeoutMs: 5000,
  ratePerSecond: 5,
  maxRequests: 100,
  concurrency: 2,
  maxBodyBytes: 10 * 1024 * 1024,
  /** After this many transport failures in a row the target is considered down and nothing more is sent. */
  maxConsecutiveTransportErrors: 5,
  /** Re-logins (--auth-from) after a 401, in the whole run; each retries the case that saw the 401 once. */
  maxRelogins: 5,
  /** Flows per resource (create → read → update → read → delete → read). */
  flows: 2,
  /** Flows in the whole run, whatever --flows says. */
  maxFlows: 200,
} as const;

/** Options of {@link runContract}. */
export interface ContractOptions {
  /** A spec path or http(s) URL, or an already loaded API. */
  spec: string | Api;
  /** The server under test, e.g. `https://erp.example`. */
  baseUrl: string;
  /** How requests travel; real HTTP by default. A custom transport skips the reachability probe. */
  transport?: Transport;
  /** The credential for secured operations (never printed). */
  token?: string;
  /** Extra headers sent on every request. */
  headers?: Record<string, string>;
  checks?: string[];
  excludeChecks?: string[];
  /** Only these operationIds (all when absent). */
  operations?: string[];
  cases?: number;
  seed?: number;
  timeoutMs?: number;
  maxResponseTimeMs?: number;
  ratePerSecond?: number;
  maxRequests?: number;
  concurrency?: number;
  strict?: boolean;
  /** Load the spec in the loader's strict mode (`--strict-spec`): a document that only loads leniently is refused. */
  strictSpec?: boolean;
  fixturesDir?: string;
  maxBodyBytes?: number;
  /** Reference time for generated timestamps (default: now). */
  now?: number;
  /** Edge profiles (min, max, unicode, dates, nulls, random): each adds one valid boundary request per operation. */
  edge?: readonly EdgeProfile[];
  /** Log in through one of the contract's operations before the run, and again once on a 401 (`--auth-from`). */
  auth?: AuthOptions;
  /** Where `$NAME` in `auth.body` is read from (default: process.env). */
  env?: Record<string, string | undefined>;
  /** Run only share `index` (1-based) of `count` of the cases and flows (`--shard i/n`), stable for a given seed. */
  shard?: { index: number; count: number } | string;
  /** Flows per resource group (default 2); 0 turns flows off (`--no-flows`). */
  flows?: number;
  /** Receives progress events; reporters listen here. */
  onEvent?: (event: ContractEvent) => void;
}

/** What the runner tells listeners while it works. */
export type ContractEvent =
  | { type: 'start'; planned: number; operations: number; seed: number }
  | { type: 'case'; outcome: CaseOutcome; done: number; planned: number }
  | { type: 'finish'; result: ContractResult };

function requireInteger(option: string, value: number | undefined, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw toolkitError('IWKIT_ERR_OPTION_INVALID', option, `expected an integer from ${min} to ${max}, got ${String(value)}`);
  }
}

function validateOptions(options: ContractOptions): void {
  let url: URL | undefined;
  try {
    url = new URL(options.baseUrl);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw toolkitError('IWKIT_ERR_OPTION_INVALID', '--base-url', `expected an http(s) URL, got "${options.baseUrl}"`);
  }
  // Reports print the base URL and curl lines; a password inside it would be printed with them.
  if (url.username || url.password) {
    throw toolkitError('IWKIT_ERR_OPTION_INVALID', '--base-url', 'credentials in the URL would be printed in every report; pass them with --token, IWKIT_TOKEN or --header');
  }
  requireInteger('--cases', options.cases, 0, 1000);
  requireInteger('--seed', options.seed, 0);
  requireInteger('--timeout', options.timeoutMs, 1);
  requireInteger('--max-response-time', options.maxResponseTimeMs, 1);
  requireInteger('--max-requests', options.maxRequests, 1);
  requireInteger('--concurrency', options.concurrency, 1, 64);
  if (options.ratePerSecond !== undefined && !(options.ratePerSecond > 0)) {
    throw toolkitError('IWKIT_ERR_OPTION_INVALID', '--rate', `expected a positive rate, got ${String(options.ratePerSecond)}`);
  }
  if (options.token !== undefined && options.token === '') throw toolkitError('IWKIT_ERR_OPTION_INVALID', '--token', 'the token is empty');
  if (options.edge !== undefined && options.edge.length > 0) parseEdgeProfiles(options.edge, '--edge');
  requireInteger('--flows', options.flows, 0, contractDefaults.maxFlows);
  if (options.auth !== undefined && (typeof options.auth.from !== 'string' || options.auth.from === '')) {
    throw toolkitError('IWKIT_ERR_OPTION_INVALID', '--auth-from', 'expected an operationId');
  }
  if (options.shard !== undefined) parseShard(options.shard);
  const only = options.checks ?? [];
  if (only.length > 0 && only.every((c) => c === 'max-response-time') && options.maxResponseTimeMs === undefined) {
    throw toolkitError('IWKIT_ERR_OPTION_INVALID', '--checks', 'max-response-time checks nothing without --max-response-time');
  }
}

// Round-robin over operations so a small --max-requests still reaches every operation.
function interleave<T>(perOperation: T[][]): T[] {
  const out: T[] = [];
  const longest = Math.max(0, ...perOperation.map((l) => l.length));
  for (let i = 0; i < longest; i++) for (const list of perOperation) if (i < list.length) out.push(list[i]);
  return out;
}

function runChecks(checks: Check[], context: CheckContext, secrets: readonly string[]): CheckResult[] {
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

/** A piece of work: one case, or a flow whose steps run in order. */
type Unit = { id: string; cases: ContractCase[]; flow?: PlannedFlow };

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

/** Runs the contract: builds cases and flows, sends them within the limits, runs the checks and returns the result (never throws for a misbehaving target). */
export async function runContract(options: ContractOptions): Promise<ContractResult> {
  validateOptions(options);
  const started = Date.now();
  const seed = options.seed ?? randomInt(1, 2_147_483_647);
  const timeoutMs = options.timeoutMs ?? contractDefaults.timeoutMs;
  const maxRequests = options.maxRequests ?? contractDefaults.maxRequests;
  const concurrency = options.concurrency ?? contractDefaults.concurrency;
  const maxBodyBytes = options.maxBodyBytes ?? contractDefaults.maxBodyBytes;
  const headers = options.headers ?? {};
  const checks = selectChecks(options.checks, options.excludeChecks);
  const shard = options.shard !== undefined ? parseShard(options.shard) : undefined;

  const loadOptions: LoadOptions = { strict: options.strictSpec === true };
  const api = typeof options.spec === 'string' ? await loadApi(options.spec, loadOptions) : options.spec;
  if (options.operations && options.operations.length > 0) {
    const known = api.operations.map((o) => o.operationId);
    const unknown = options.operations.filter((id) => !known.includes(id));
    if (unknown.length > 0) throw toolkitError('IWKIT_ERR_OPTION_INVALID', '--operation', `unknown operationId ${unknown.join(', ')} (known: ${known.join(', ')})`);
  }
  const operations = options.operations?.length ? api.operations.filter((o) => options.operations!.includes(o.operationId)) : api.operations;
  const scoped: Api = { ...api, operations };
  const schemas = createSchemaValidation(api.references, options.strict ?? false);
  const authPlan: AuthPlan | undefined = options.auth ? await planAuth(api, options.auth, schemas, options.env ?? process.env) : undefined;
  const built = await buildCases(
    scoped,
    {
      cases: options.cases ?? contractDefaults.cases,
      seed,
      now: options.now ?? Date.now(),
      ...(options.fixturesDir ? { fixturesDir: options.fixturesDir } : {}),
      ...(options.edge?.length ? { edge: parseEdgeProfiles(options.edge, '--edge') } : {}),
    },
    schemas,
  );
  const { flows, warnings: flowWarnings } = planFlows(scoped, built.cases, {
    perGroup: options.flows ?? contractDefaults.flows,
    max: contractDefaults.maxFlows,
    authFrom: authPlan?.operation.operationId,
    resolve: (schema) => schemas.resolve(schema),
  });
  const units: Unit[][] = built.cases.map((list) => list.map((c) => ({ id: c.id, cases: [c] })));
  // Flows take turns with the operations, so a small budget still reaches some of them.
  if (flows.length > 0) units.push(flows.map((f) => ({ id: f.id, cases: f.steps.map((s) => s.case), flow: f })));
  const all = shard ? shardUnits(interleave(units), shard, seed) : interleave(units);
  // Whole units within the budget: a flow is sent complete or not at all.
  const planned: Unit[] = [];
  const overBudget: Unit[] = [];
  let budget = maxRequests;
  for (const unit of all) {
    if (unit.cases.length <= budget) {
      planned.push(unit);
      budget -= unit.cases.length;
    } else overBudget.push(unit);
  }
  const plannedCases = planned.reduce((n, u) => n + u.cases.length, 0);

  // Every credential the user hands over is hidden wherever it shows up: the token, its Basic encoding,
  // headers that look secret or that the spec names as apiKey headers, and the bare token after a scheme word.
  const specCredentialHeaders = new Set(operations.flatMap(credentialHeaderNames));
  const headerSecrets = Object.entries(headers)
    .filter(([name]) => isSecretHeader(name) || specCredentialHeaders.has(name.toLowerCase()) || name.toLowerCase() === authPlan?.header?.toLowerCase())
    .flatMap(([, value]) => {
      const bare = /^\S+\s+(\S.*)$/.exec(value)?.[1];
      return bare && bare.length >= 8 ? [value, bare] : [value];
    });
  const secretsOf = (token: string): string[] => [token, Buffer.from(token).toString('base64')];
  const secrets = [...(options.token ? secretsOf(options.token) : []), ...headerSecrets, ...(authPlan?.envValues ?? [])];
  const transport = options.transport ?? createHttpTransport();
  const send = createSender(transport, { timeoutMs, maxBodyBytes }, options.transport !== undefined);
  if (!options.transport && (plannedCases > 0 || authPlan)) await probeTarget(options.baseUrl, Math.min(timeoutMs, 5000));

  const rate = createRateLimiter(options.ratePerSecond ?? contractDefaults.ratePerSecond);
  let sent = 0;
  const settings = (token: string | undefined) => ({
    baseUrl: options.baseUrl,
    ...(token ? { token } : {}),
    headers,
    ...(authPlan?.header ? { credentialHeader: authPlan.header } : {}),
  });

  // The login is sent like a case (rate limit, request count), with the static token if one is configured.
  const login = async (plan: AuthPlan): Promise<string> => {
    await rate();
    sent++;
    const loginCase: ContractCase = { ...plan.case, auth: options.token ? 'valid' : 'none' };
    const where = plan.operation.operationId;
    let response: ParsedResponse;
    try {
      response = await send(buildHttpRequest(loginCase, settings(options.token)).request);
    } catch (error) {
      throw toolkitError('IWKIT_ERR_AUTH_FAILED', where, `no answer (${transportErrorKind(error)})`);
    }
    const found = tokenFromResponse(response, plan.pointer);
    if ('reason' in found) throw toolkitError('IWKIT_ERR_AUTH_FAILED', where, found.reason);
    secrets.push(...secretsOf(found.token));
    return found.token;
  };
  let session: AuthSession | undefined;
  try {
    if (authPlan) session = createAuthSession(await login(authPlan), () => login(authPlan), contractDefaults.maxRelogins);
  } catch (error) {
    if (!options.transport) transport.close?.();
    throw error;
  }
  const tokenNow = (): string | undefined => session?.token() ?? options.token;
  const retried: string[] = [];

  const emit = options.onEvent ?? (() => {});
  emit({ type: 'start', planned: plannedCases, operations: operations.length, seed });

  let consecutiveTransportErrors = 0;
  let stoppedEarly: string | undefined;

  const build = (c: ContractCase) => buildHttpRequest(c, settings(tokenNow()));
  const describe = (c: ContractCase, builtRequest = build(c)): Sent['base'] => {
    const { display, marked } = redactRequest(builtRequest, tokenNow(), secrets);
    return {
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
      request: display,
      curl: curlCommand(marked),
    };
  };
  const notSent = (c: ContractCase, reason: string): CaseOutcome => ({ ...describe(c), sent: false, notSentReason: reason, elapsedMs: 0, results: [] });

  const sendOnce = async (c: ContractCase): Promise<Sent> => {
    const usesSession = session !== undefined && c.auth === 'valid' && needsCredential(c.operation);
    const generation = session?.generation() ?? 0;
    const firstUse = usesSession ? session!.claimUse() : false;
    const builtRequest = build(c);
    const base = describe(c, builtRequest);
    await rate();
    sent++;
    const startedAt = new Date().toISOString();
    const t0 = performance.now();
    let response: ParsedResponse | undefined;
    let transportError: TransportFailure | undefined;
    try {
      response = await send(builtRequest.request);
      consecutiveTransportErrors = 0;
    } catch (error) {
      transportError = { kind: transportErrorKind(error), message: scrubSecrets(error instanceof Error ? error.message : String(error), secrets) };
      consecutiveTransportErrors++;
      if (consecutiveTransportErrors >= contractDefaults.maxConsecutiveTransportErrors && !stoppedEarly) {
        stoppedEarly = `the target stopped answering (${consecutiveTransportErrors} transport failures in a row)`;
      }
    }
    const sessionView = usesSession ? { session: { from: authPlan!.operation.operationId, firstUse } } : {};
    return { case: c, base, ...(response ? { response } : {}), ...(transportError ? { transportError } : {}), elapsedMs: performance.now() - t0, startedAt, relogin: false, ...sessionView, generation };
  };

  // A 401 on a case that sent the login's token: log in again (bounded) and send the case once more.
  const sendCase = async (c: ContractCase): Promise<Sent> => {
    const first = await sendOnce(c);
    if (!first.session || first.response?.status !== 401 || stoppedEarly) return first;
    if (!(await session!.relogin(first.generation))) return first;
    retried.push(c.id);
    return { ...(await sendOnce(c)), relogin: true };
  };

  const record = (s: Sent, flow?: FlowView): CaseOutcome => {
    const c = s.case;
    const op = c.operation;
    const token = tokenNow();
    const hasCredential = !needsCredential(op) || token !== undefined || Object.keys(headers).some((h) => credentialHeaderNames(op).includes(h.toLowerCase()));
    const context: CheckContext = {
      case: c,
      operation: op,
      ...(s.response ? { response: s.response } : {}),
      ...(s.transportError ? { transportError: s.transportError } : {}),
      elapsedMs: s.elapsedMs,
      hasCredential,
      ...(options.maxResponseTimeMs !== undefined ? { maxResponseTimeMs: options.maxResponseTimeMs } : {}),
      timeoutMs,
      schemas,
      strict: options.strict ?? false,
      ...(s.session ? { session: s.session } : {}),
      ...(flow ? { flow } : {}),
    };
    return {
      ...s.base,
      sent: true,
      startedAt: s.startedAt,
      elapsedMs: Math.round(s.elapsedMs * 10) / 10,
      ...(s.response ? { response: summariseResponse(s.response, secrets) } : {}),
      ...(s.transportError ? { transportError: s.transportError } : {}),
      ...(s.relogin ? { relogin: true } : {}),
      results: runChecks(checks, context, secrets),
    };
  };

  const runFlow = async (flow: PlannedFlow, emitOne: (o: CaseOutcome) => void): Promise<void> => {
    const answers: StepAnswer[] = [];
    const curls: string[] = [];
    let halted: string | undefined;
    for (const [index, step] of flow.steps.entries()) {
      const ref = { ...step.case.flow!, index };
      let c: ContractCase = step.case;
      if (!halted && stoppedEarly) halted = stoppedEarly;
      if (!halted) {
        const path = { ...c.request.path };
        for (const b of step.bindings) {
          const value = resolveBinding(b, answers);
          if (value === undefined || value === null || typeof value === 'object') {
            halted = `step ${b.step + 1} (${flow.steps[b.step].role}) gave no value for {${b.parameter}} (${b.expression})`;
            break;
          }
          path[b.parameter] = value;
        }
        c = { ...c, request: { ...c.request, path } };
      }
      if (halted) {
        const outcome = notSent(c, `flow stopped: ${halted}`);
        emitOne({ ...outcome, flow: { ...ref, steps: [...curls, outcome.curl] } });
        continue;
      }
      const s = await sendCase(c);
      curls.push(s.base.curl);
      const view: FlowView = { role: step.role, previous: answers.map((a, k) => ({ role: flow.steps[k].role, case: a.case, ...(a.response ? { response: a.response } : {}) })) };
      answers.push({ case: c, ...(s.response ? { response: s.response } : {}) });
      emitOne({ ...record(s, view), flow: { ...ref, steps: [...curls] } });
      if (!s.response) halted = `step ${index + 1} (${step.role}) got no answer`;
    }
  };

  const outcomes: CaseOutcome[][] = new Array(planned.length);
  let next = 0;
  let done = 0;
  const emitCase = (list: CaseOutcome[]) => (o: CaseOutcome) => {
    list.push(o);
    done++;
    emit({ type: 'case', outcome: o, done, planned: plannedCases });
  };
  const worker = async (): Promise<void> => {
    while (next < planned.length) {
      const index = next++;
      const unit = planned[index];
      const list: CaseOutcome[] = (outcomes[index] = []);
      const add = emitCase(list);
      if (unit.flow) await runFlow(unit.flow, add);
      else if (stoppedEarly) add(notSent(unit.cases[0], stoppedEarly));
      else add(record(await sendCase(unit.cases[0])));
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(planned.length, 1)) }, worker));
  } finally {
    if (!options.transport) transport.close?.();
  }

  const budgetReason = `request budget reached (--max-requests ${maxRequests})`;
  const flat = [...outcomes.flat(), ...overBudget.flatMap((u) => u.cases.map((c) => notSent(c, budgetReason)))];
  const { totals, operations: summaries } = summariseOutcomes(operations, flat);
  const warnings = [...api.warnings, ...built.warnings, ...flowWarnings];
  if (operations.length === 0) warnings.push('the spec has no operations: nothing was checked');
  if (plannedCases > 0 && totals.passed === 0 && totals.failed === 0) warnings.push('no check passed or failed: the run proves nothing, so it does not pass');
  const uncredentialed = operations.filter(
    (op) => needsCredential(op) && tokenNow() === undefined && !Object.keys(headers).some((h) => credentialHeaderNames(op).includes(h.toLowerCase())),
  );
  if (uncredentialed.length > 0) {
    warnings.push(`no credential configured (IWKIT_TOKEN, --token or --auth-from) for ${uncredentialed.map((o) => o.operationId).join(', ')}: valid requests could not be tested`);
  }
  const stats = session?.stats();
  if (stats?.reloginFailure) warnings.push(`logging in again failed: ${scrubSecrets(stats.reloginFailure, secrets)}`);
  const flowSteps = flat.filter((o) => o.flow);
  const result: ContractResult = {
    baseUrl: options.baseUrl,
    spec: typeof options.spec === 'string' ? options.spec : (api.source ?? api.title),
    seed,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    requestsSent: sent,
    maxRequests,
    casesPlanned: flat.length,
    casesNotSent: flat.filter((o) => !o.sent).length,
    ...(stoppedEarly ? { stoppedEarly } : {}),
    checks: checks.map((c) => ({ name: c.name, severity: c.severity, description: c.description })),
    operations: summaries,
    outcomes: flat,
    totals,
    warnings,
    ...(authPlan && stats
      ? {
          auth: {
            from: authPlan.operation.operationId,
            pointer: authPlan.pointer,
            ...(authPlan.header ? { header: authPlan.header } : {}),
            logins: stats.logins,
            relogins: stats.relogins,
            retried,
            ...(stats.reloginFailure ? { reloginFailure: scrubSecrets(stats.reloginFailure, secrets) } : {}),
          },
        }
      : {}),
    ...(shard ? { shard } : {}),
    ...(flows.length > 0 ? { flows: { planned: new Set(flowSteps.map((o) => o.flow!.id)).size, steps: flowSteps.length, stepsSent: flowSteps.filter((o) => o.sent).length } } : {}),
    ok: totals.failed === 0 && !stoppedEarly && (totals.passed > 0 || plannedCases === 0),
  };
  emit({ type: 'finish', result });
  return result;
}
