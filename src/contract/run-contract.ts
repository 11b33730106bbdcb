import { randomInt } from 'node:crypto';
import { planAuth, tokenFromResponse, type AuthPlan } from './auth-from.js';
import { createAuthSession } from './auth-session.js';
import { CaseRunner, type Unit } from './case-runner.js';
import type { PlannedFlow } from './flows/flow-types.js';
import { planFlows } from './flows/plan-flows.js';
import { createSender } from './send-request.js';
import { parseShard, shardUnits } from './shard-cases.js';
import { summariseOutcomes } from './summarise-run.js';
import { optionError } from '../options/check-options.js';
import { checkContractOptions, contractDefaults, type ContractOptions } from './contract-options.js';
import { toolkitError } from '../errors.js';
import type { Api } from '../openapi/api-model.js';
import { loadApi } from '../openapi/load-api.js';
import { buildCases } from './build-cases.js';
import type { Check } from './checks/check-types.js';
import { selectChecks } from './checks/all-checks.js';
import type { ContractResult } from './contract-result.js';
import type { CaseOutcome, ContractCase } from './contract-types.js';
import { createHttpTransport } from './http-transport.js';
import { probeTarget } from './probe-target.js';
import { createRateLimiter } from './rate-limiter.js';
import { isSecretHeader, scrubSecrets } from './redact.js';
import { createSchemaValidation, type SchemaValidation } from './schema-validation.js';
import { credentialHeaderNames } from './security-credentials.js';
import { transportErrorKind } from './transport.js';

// The loader's options plus `strict`, which the loader is gaining (an intersection, so no cast either way).
type LoadOptions = NonNullable<Parameters<typeof loadApi>[1]> & { strict?: boolean };

export { contractDefaults, type ContractOptions } from './contract-options.js';

/** What the runner tells listeners while it works. */
export type ContractEvent =
  | { type: 'start'; planned: number; operations: number; seed: number }
  | { type: 'case'; outcome: CaseOutcome; done: number; planned: number }
  | { type: 'finish'; result: ContractResult };

// Round-robin over operations so a small --max-requests still reaches every operation.
function interleave<T>(perOperation: T[][]): T[] {
  const out: T[] = [];
  const longest = Math.max(0, ...perOperation.map((l) => l.length));
  for (let i = 0; i < longest; i++) for (const list of perOperation) if (i < list.length) out.push(list[i]);
  return out;
}

/** What a run sends, decided before anything is sent. */
interface RunPlan {
  api: Api;
  operations: Api['operations'];
  schemas: SchemaValidation;
  authPlan?: AuthPlan;
  checks: Check[];
  seed: number;
  shard?: { index: number; count: number };
  flows: PlannedFlow[];
  /** The units that fit the request budget, in sending order. */
  planned: Unit[];
  overBudget: Unit[];
  plannedCases: number;
  warnings: string[];
}

/** The API and the operations in scope (`--operation`); an unknown operationId is an option error. */
async function loadScope(options: ContractOptions): Promise<{ api: Api; operations: Api['operations'] }> {
  const loadOptions: LoadOptions = { strict: options.strictSpec === true };
  const api = typeof options.spec === 'string' ? await loadApi(options.spec, loadOptions) : options.spec;
  const only = options.operations ?? [];
  if (only.length === 0) return { api, operations: api.operations };
  const known = api.operations.map((o) => o.operationId);
  const unknown = only.filter((id) => !known.includes(id));
  if (unknown.length > 0) throw optionError('operations', `unknown operationId ${unknown.join(', ')} (known: ${known.join(', ')})`);
  return { api, operations: api.operations.filter((o) => only.includes(o.operationId)) };
}

// Whole units within the budget: a flow is sent complete or not at all.
function fitBudget(all: Unit[], maxRequests: number): { planned: Unit[]; overBudget: Unit[] } {
  const planned: Unit[] = [];
  const overBudget: Unit[] = [];
  let budget = maxRequests;
  for (const unit of all) {
    if (unit.cases.length <= budget) {
      planned.push(unit);
      budget -= unit.cases.length;
    } else overBudget.push(unit);
  }
  return { planned, overBudget };
}

/** Plans a run: loads the spec, builds the cases and flows, shards them and fits them to the request budget. */
async function planRun(options: ContractOptions): Promise<RunPlan> {
  const seed = options.seed ?? randomInt(1, 2_147_483_647);
  const checks = selectChecks(options.checks, options.excludeChecks);
  const shard = options.shard !== undefined ? parseShard(options.shard) : undefined;
  const { api, operations } = await loadScope(options);
  const scoped: Api = { ...api, operations };
  const schemas = createSchemaValidation(api.references, options.strict ?? false);
  const authPlan = options.auth ? await planAuth(api, options.auth, schemas, options.env ?? process.env) : undefined;
  const edge = options.edge?.length ? { edge: [...new Set(options.edge)] } : {};
  const caseOptions = { cases: options.cases ?? contractDefaults.cases, seed, now: options.now ?? Date.now(), ...(options.fixturesDir ? { fixturesDir: options.fixturesDir } : {}), ...edge };
  const built = await buildCases(scoped, caseOptions, schemas);
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
  const { planned, overBudget } = fitBudget(all, options.maxRequests ?? contractDefaults.maxRequests);
  const plannedCases = planned.reduce((n, u) => n + u.cases.length, 0);
  const warnings = [...api.warnings, ...built.warnings, ...flowWarnings];
  return { api, operations, schemas, ...(authPlan ? { authPlan } : {}), checks, seed, ...(shard ? { shard } : {}), flows, planned, overBudget, plannedCases, warnings };
}

const secretsOf = (token: string): string[] => [token, Buffer.from(token).toString('base64')];

// Every credential the user hands over is hidden wherever it shows up: the token, its Basic encoding,
// headers that look secret or that the spec names as apiKey headers, and the bare token after a scheme word.
function collectSecrets(options: ContractOptions, plan: RunPlan): string[] {
  const specCredentialHeaders = new Set(plan.operations.flatMap(credentialHeaderNames));
  const headerSecrets = Object.entries(options.headers ?? {})
    .filter(([name]) => isSecretHeader(name) || specCredentialHeaders.has(name.toLowerCase()) || name.toLowerCase() === plan.authPlan?.header?.toLowerCase())
    .flatMap(([, value]) => {
      const bare = /^\S+\s+(\S.*)$/.exec(value)?.[1];
      return bare && bare.length >= 8 ? [value, bare] : [value];
    });
  return [...(options.token ? secretsOf(options.token) : []), ...headerSecrets, ...(plan.authPlan?.envValues ?? [])];
}

/** Logs in through the auth operation and starts the session that logs in again on a 401. */
async function startSession(runner: CaseRunner, plan: AuthPlan, secrets: string[]): Promise<void> {
  const login = async (): Promise<string> => {
    const where = plan.operation.operationId;
    let response;
    try {
      response = await runner.sendLogin(plan);
    } catch (error) {
      throw toolkitError('IWKIT_ERR_AUTH_FAILED', where, `no answer (${transportErrorKind(error)})`);
    }
    const found = tokenFromResponse(response, plan.pointer);
    if ('reason' in found) throw toolkitError('IWKIT_ERR_AUTH_FAILED', where, found.reason);
    secrets.push(...secretsOf(found.token));
    return found.token;
  };
  runner.session = createAuthSession(await login(), login, contractDefaults.maxRelogins);
}

/** Runs the planned units on `concurrency` workers, keeping outcomes in plan order and emitting each as it comes. */
async function runPool(runner: CaseRunner, plan: RunPlan, concurrency: number, emit: (event: ContractEvent) => void): Promise<CaseOutcome[]> {
  const outcomes: CaseOutcome[][] = new Array(plan.planned.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < plan.planned.length) {
      const index = next++;
      const list: CaseOutcome[] = (outcomes[index] = []);
      await runner.runUnit(plan.planned[index], (outcome) => {
        list.push(outcome);
        done++;
        emit({ type: 'case', outcome, done, planned: plan.plannedCases });
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(plan.planned.length, 1)) }, worker));
  return outcomes.flat();
}

/** The run's warnings: the spec's, the planning's, and what the outcomes say the run could not prove. */
function runWarnings(plan: RunPlan, runner: CaseRunner, totals: ContractResult['totals'], secrets: string[]): string[] {
  const warnings = [...plan.warnings];
  if (plan.operations.length === 0) warnings.push('the spec has no operations: nothing was checked');
  if (plan.plannedCases > 0 && totals.passed === 0 && totals.failed === 0) warnings.push('no check passed or failed: the run proves nothing, so it does not pass');
  const uncredentialed = plan.operations.filter((op) => !runner.hasCredential(op));
  if (uncredentialed.length > 0) {
    warnings.push(`no credential configured (IWKIT_TOKEN, --token or --auth-from) for ${uncredentialed.map((o) => o.operationId).join(', ')}: valid requests could not be tested`);
  }
  const failure = runner.session?.stats().reloginFailure;
  if (failure) warnings.push(`logging in again failed: ${scrubSecrets(failure, secrets)}`);
  return warnings;
}

/** The `auth` and `flows` parts of the result, present only when the run had them. */
function runExtras(plan: RunPlan, runner: CaseRunner, flat: CaseOutcome[], secrets: string[]): Pick<ContractResult, 'auth' | 'flows'> {
  const stats = runner.session?.stats();
  const flowSteps = flat.filter((o) => o.flow);
  const { authPlan } = plan;
  return {
    ...(authPlan && stats
      ? {
          auth: {
            from: authPlan.operation.operationId,
            pointer: authPlan.pointer,
            ...(authPlan.header ? { header: authPlan.header } : {}),
            logins: stats.logins,
            relogins: stats.relogins,
            retried: runner.retried,
            ...(stats.reloginFailure ? { reloginFailure: scrubSecrets(stats.reloginFailure, secrets) } : {}),
          },
        }
      : {}),
    ...(plan.flows.length > 0 ? { flows: { planned: new Set(flowSteps.map((o) => o.flow!.id)).size, steps: flowSteps.length, stepsSent: flowSteps.filter((o) => o.sent).length } } : {}),
  };
}

/** Summarises a finished run: every outcome (not-sent ones included), totals per operation, warnings and the verdict. */
function summariseRun(options: ContractOptions, plan: RunPlan, runner: CaseRunner, sent: CaseOutcome[], started: number, secrets: string[]): ContractResult {
  const maxRequests = options.maxRequests ?? contractDefaults.maxRequests;
  const budgetReason = `request budget reached (--max-requests ${maxRequests})`;
  const flat = [...sent, ...plan.overBudget.flatMap((u) => u.cases.map((c: ContractCase) => runner.notSent(c, budgetReason)))];
  const { totals, operations: summaries } = summariseOutcomes(plan.operations, flat);
  const { stoppedEarly } = runner;
  return {
    baseUrl: options.baseUrl,
    spec: typeof options.spec === 'string' ? options.spec : (plan.api.source ?? plan.api.title),
    seed: plan.seed,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    requestsSent: runner.sent,
    maxRequests,
    casesPlanned: flat.length,
    casesNotSent: flat.filter((o) => !o.sent).length,
    ...(stoppedEarly ? { stoppedEarly } : {}),
    checks: plan.checks.map((c) => ({ name: c.name, severity: c.severity, description: c.description })),
    operations: summaries,
    outcomes: flat,
    totals,
    warnings: runWarnings(plan, runner, totals, secrets),
    ...runExtras(plan, runner, flat, secrets),
    ...(plan.shard ? { shard: plan.shard } : {}),
    ok: totals.failed === 0 && !stoppedEarly && (totals.passed > 0 || plan.plannedCases === 0),
  };
}

/** Runs the contract: plans cases and flows, sends them within the limits, runs the checks and returns the result (never throws for a misbehaving target). */
export async function runContract(options: ContractOptions): Promise<ContractResult> {
  checkContractOptions(options);
  const started = Date.now();
  const plan = await planRun(options);
  const timeoutMs = options.timeoutMs ?? contractDefaults.timeoutMs;
  const secrets = collectSecrets(options, plan);
  const transport = options.transport ?? createHttpTransport();
  const send = createSender(transport, { timeoutMs, maxBodyBytes: options.maxBodyBytes ?? contractDefaults.maxBodyBytes }, options.transport !== undefined);
  const close = () => (options.transport ? undefined : transport.close?.());
  if (!options.transport && (plan.plannedCases > 0 || plan.authPlan)) await probeTarget(options.baseUrl, Math.min(timeoutMs, 5000));
  const runner = new CaseRunner({
    baseUrl: options.baseUrl,
    ...(options.token ? { token: options.token } : {}),
    headers: options.headers ?? {},
    ...(plan.authPlan ? { authPlan: plan.authPlan } : {}),
    checks: plan.checks,
    schemas: plan.schemas,
    strict: options.strict ?? false,
    timeoutMs,
    ...(options.maxResponseTimeMs !== undefined ? { maxResponseTimeMs: options.maxResponseTimeMs } : {}),
    maxConsecutiveTransportErrors: contractDefaults.maxConsecutiveTransportErrors,
    secrets,
    send,
    rate: createRateLimiter(options.ratePerSecond ?? contractDefaults.ratePerSecond),
  });
  try {
    if (plan.authPlan) await startSession(runner, plan.authPlan, secrets);
  } catch (error) {
    close();
    throw error;
  }
  const emit = options.onEvent ?? (() => {});
  emit({ type: 'start', planned: plan.plannedCases, operations: plan.operations.length, seed: plan.seed });
  let outcomes: CaseOutcome[];
  try {
    outcomes = await runPool(runner, plan, options.concurrency ?? contractDefaults.concurrency, emit);
  } finally {
    close();
  }
  const result = summariseRun(options, plan, runner, outcomes, started, secrets);
  emit({ type: 'finish', result });
  return result;
}
