import { randomInt } from 'node:crypto';
import { toolkitError } from '../errors.js';
import { parseEdgeProfiles, type EdgeProfile } from '../fake/edge-profiles.js';
import type { Api } from '../openapi/api-model.js';
import { loadApi } from '../openapi/load-api.js';
import { buildCases } from './build-cases.js';
import { buildHttpRequest } from './build-http-request.js';
import type { Check, CheckContext } from './checks/check-types.js';
import { selectChecks } from './checks/all-checks.js';
import type { ContractResult, OperationSummary } from './contract-result.js';
import { countResult, emptyTotals } from './contract-result.js';
import type { CaseOutcome, CheckResult, ContractCase, ParsedResponse, TransportFailure } from './contract-types.js';
import { curlCommand, redactRequest } from './display-request.js';
import { createHttpTransport } from './http-transport.js';
import { parseResponse, summariseResponse } from './parse-response.js';
import { probeTarget } from './probe-target.js';
import { createRateLimiter } from './rate-limiter.js';
import { isSecretHeader, scrubSecrets } from './redact.js';
import { createSchemaValidation } from './schema-validation.js';
import { credentialHeaderNames, needsCredential } from './security-credentials.js';
import type { Transport } from './transport.js';
import { TransportError, transportErrorKind } from './transport.js';

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
  const only = options.checks ?? [];
  if (only.length > 0 && only.every((c) => c === 'max-response-time') && options.maxResponseTimeMs === undefined) {
    throw toolkitError('IWKIT_ERR_OPTION_INVALID', '--checks', 'max-response-time checks nothing without --max-response-time');
  }
}

// Round-robin over operations so a small --max-requests still reaches every operation.
function interleave(perOperation: ContractCase[][]): ContractCase[] {
  const out: ContractCase[] = [];
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

/** Runs the contract: builds cases, sends them within the limits, runs the checks and returns the result (never throws for a misbehaving target). */
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
  const ordered = interleave(built.cases);
  const planned = ordered.slice(0, maxRequests);

  // Every credential the user hands over is hidden wherever it shows up: the token, its Basic encoding,
  // headers that look secret or that the spec names as apiKey headers, and the bare token after a scheme word.
  const specCredentialHeaders = new Set(operations.flatMap(credentialHeaderNames));
  const headerSecrets = Object.entries(headers)
    .filter(([name]) => isSecretHeader(name) || specCredentialHeaders.has(name.toLowerCase()))
    .flatMap(([, value]) => {
      const bare = /^\S+\s+(\S.*)$/.exec(value)?.[1];
      return bare && bare.length >= 8 ? [value, bare] : [value];
    });
  const secrets = [
    ...(options.token ? [options.token, Buffer.from(options.token).toString('base64')] : []),
    ...headerSecrets,
  ];
  const transport = options.transport ?? createHttpTransport();
  if (!options.transport && planned.length > 0) await probeTarget(options.baseUrl, Math.min(timeoutMs, 5000));

  const emit = options.onEvent ?? (() => {});
  emit({ type: 'start', planned: planned.length, operations: operations.length, seed });

  const outcomes: CaseOutcome[] = new Array(ordered.length);
  const rate = createRateLimiter(options.ratePerSecond ?? contractDefaults.ratePerSecond);
  let next = 0;
  let done = 0;
  let sent = 0;
  let consecutiveTransportErrors = 0;
  let stoppedEarly: string | undefined;

  const build = (c: ContractCase) => buildHttpRequest(c, { baseUrl: options.baseUrl, ...(options.token ? { token: options.token } : {}), headers });
  const describe = (c: ContractCase, builtRequest = build(c)): Omit<CaseOutcome, 'sent' | 'elapsedMs' | 'results'> => {
    const { display, marked } = redactRequest(builtRequest, options.token, secrets);
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

  const runOne = async (index: number): Promise<void> => {
    const c = planned[index];
    const builtRequest = build(c);
    const base = describe(c, builtRequest);
    if (stoppedEarly) {
      outcomes[index] = { ...base, sent: false, notSentReason: stoppedEarly, elapsedMs: 0, results: [] };
      return;
    }
    await rate();
    if (stoppedEarly) {
      outcomes[index] = { ...base, sent: false, notSentReason: stoppedEarly, elapsedMs: 0, results: [] };
      return;
    }
    const { request } = builtRequest;
    sent++;
    const startedAt = new Date().toISOString();
    const t0 = performance.now();
    let response: ParsedResponse | undefined;
    let transportError: TransportFailure | undefined;
    let guard: NodeJS.Timeout | undefined;
    try {
      // A custom transport that ignores its deadline must still not hang the run. The HTTP transport keeps its
      // own, which does not count the time this process was too busy to read (a wall-clock guard would).
      const hardStop = new Promise<never>((_, reject) => {
        if (options.transport) guard = setTimeout(() => reject(new TransportError('timeout', `no complete response within ${timeoutMs} ms`)), timeoutMs + 2000);
      });
      response = parseResponse(await Promise.race([transport(request, { timeoutMs, maxBodyBytes }), hardStop]));
      consecutiveTransportErrors = 0;
    } catch (error) {
      transportError = { kind: transportErrorKind(error), message: scrubSecrets(error instanceof Error ? error.message : String(error), secrets) };
      consecutiveTransportErrors++;
      if (consecutiveTransportErrors >= contractDefaults.maxConsecutiveTransportErrors && !stoppedEarly) {
        stoppedEarly = `the target stopped answering (${consecutiveTransportErrors} transport failures in a row)`;
      }
    } finally {
      clearTimeout(guard);
    }
    const elapsedMs = performance.now() - t0;
    const op = c.operation;
    const hasCredential =
      !needsCredential(op) || options.token !== undefined || Object.keys(headers).some((h) => credentialHeaderNames(op).includes(h.toLowerCase()));
    const context: CheckContext = {
      case: c,
      operation: op,
      ...(response ? { response } : {}),
      ...(transportError ? { transportError } : {}),
      elapsedMs,
      hasCredential,
      ...(options.maxResponseTimeMs !== undefined ? { maxResponseTimeMs: options.maxResponseTimeMs } : {}),
      timeoutMs,
      schemas,
      strict: options.strict ?? false,
    };
    outcomes[index] = {
      ...base,
      sent: true,
      startedAt,
      elapsedMs: Math.round(elapsedMs * 10) / 10,
      ...(response ? { response: summariseResponse(response, secrets) } : {}),
      ...(transportError ? { transportError } : {}),
      results: runChecks(checks, context, secrets),
    };
  };

  const worker = async (): Promise<void> => {
    while (next < planned.length) {
      const index = next++;
      await runOne(index);
      done++;
      emit({ type: 'case', outcome: outcomes[index], done, planned: planned.length });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(planned.length, 1)) }, worker));
  } finally {
    if (!options.transport) transport.close?.();
  }

  const budgetReason = `request budget reached (--max-requests ${maxRequests})`;
  for (let i = planned.length; i < ordered.length; i++) {
    outcomes[i] = { ...describe(ordered[i]), sent: false, notSentReason: budgetReason, elapsedMs: 0, results: [] };
  }

  const totals = emptyTotals();
  const summaries = new Map<string, OperationSummary>();
  for (const op of operations) {
    summaries.set(op.operationId, { operationId: op.operationId, method: op.method.toUpperCase(), path: op.path, cases: 0, casesSent: 0, checks: {}, totals: emptyTotals() });
  }
  for (const outcome of outcomes) {
    const summary = summaries.get(outcome.operationId)!;
    summary.cases++;
    if (outcome.sent) summary.casesSent++;
    for (const r of outcome.results) {
      countResult(totals, r);
      countResult(summary.totals, r);
      countResult((summary.checks[r.check] ??= emptyTotals()), r);
    }
  }
  const warnings = [...api.warnings, ...built.warnings];
  if (operations.length === 0) warnings.push('the spec has no operations: nothing was checked');
  if (planned.length > 0 && totals.passed === 0 && totals.failed === 0) warnings.push('no check passed or failed: the run proves nothing, so it does not pass');
  const uncredentialed = operations.filter(
    (op) => needsCredential(op) && options.token === undefined && !Object.keys(headers).some((h) => credentialHeaderNames(op).includes(h.toLowerCase())),
  );
  if (uncredentialed.length > 0) {
    warnings.push(`no credential configured (IWKIT_TOKEN or --token) for ${uncredentialed.map((o) => o.operationId).join(', ')}: valid requests could not be tested`);
  }
  const result: ContractResult = {
    baseUrl: options.baseUrl,
    spec: typeof options.spec === 'string' ? options.spec : (api.source ?? api.title),
    seed,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    requestsSent: sent,
    maxRequests,
    casesPlanned: ordered.length,
    casesNotSent: outcomes.filter((o) => !o.sent).length,
    ...(stoppedEarly ? { stoppedEarly } : {}),
    checks: checks.map((c) => ({ name: c.name, severity: c.severity, description: c.description })),
    operations: [...summaries.values()],
    outcomes,
    totals,
    warnings,
    ok: totals.failed === 0 && !stoppedEarly && (totals.passed > 0 || planned.length === 0),
  };
  emit({ type: 'finish', result });
  return result;
}
