import { parseCookie } from 'cookie';
import { answerWithRule } from './answer-rule.js';
import { addChoiceHeaders, buildPayload, contentTypeHeader, isBuilt, payloadContentType, toWire } from './build-payload.js';
import { checkSecurity } from './check-security.js';
import { chooseResponse, hasScenario } from './choose-response.js';
import { clientHeader, singleHeader } from './client-header.js';
import type { CompiledOperation } from './compile-operation.js';
import { delayFrom } from './delay.js';
import type { FixtureRequest } from './fixture.js';
import type { RequestView } from './match-rule.js';
import type { MockAnswer, MockRequest } from './mock-answer.js';
import type { MockRuntime } from './mock-runtime.js';
import { mediaEssence } from './media-kind.js';
import { edgeCookieName, parsePreferences, scenarioCookieName, type Preferences } from './preferences.js';
import { problemAnswer, type ProblemContext } from './problem-answer.js';
import { problem, type Problem, type ProblemFieldError } from './problem.js';
import { bodyIssues, defaultBodyType, findRequestBody, requestBodyKind, unsupportedMediaTypeProblem } from './request-body.js';
import { hashSeed } from './request-seed.js';
import { scenarioProblem } from './scenario-problem.js';
import { findRule, spendRule } from './select-rule.js';
import { answerWithState, checkSession } from './answer-stateful.js';
import { answerWithSharedOverrides } from './shared-overrides.js';
import { statusMatches } from './compile-operation.js';

// The whole request → answer decision for one operation: security, body type, validation, preferences,
// the browser scenario cookie, rules and overrides, the error rate, the response choice and its body.
// An adapter calls it once per request and writes what it returns.

/** Answers one request to an operation (already routed to it); a promise only where state is kept (`--stateful`). */
export type OperationAnswerer = (request: MockRequest) => MockAnswer | Promise<MockAnswer>;

/** The wire type of a request body: its Content-Type essence, or octet-stream when it has none. */
function bodyType(contentType: string | undefined): string {
  return mediaEssence(contentType) || defaultBodyType;
}

/** Collects every offending field of every part, so the problem names them all at once. */
function requestErrors(op: CompiledOperation, request: MockRequest, cookies: Record<string, string | undefined>): ProblemFieldError[] {
  const errors: ProblemFieldError[] = [];
  const raw = { path: request.params, query: request.query, header: request.headers as Record<string, unknown>, cookie: cookies };
  for (const location of ['path', 'query', 'header', 'cookie'] as const) {
    const part = op.parts[location];
    if (!part) continue;
    for (const e of part.validator.errors(part.read(raw[location] ?? {}))) errors.push({ in: location, pointer: e.pointer, message: e.message });
  }
  const body = request.body;
  const requestBody = op.operation.requestBody;
  if (requestBody) {
    if (body === undefined) {
      if (requestBody.required) errors.push({ in: 'body', pointer: '', message: 'a request body is required' });
    } else {
      const type = bodyType(singleHeader(request.headers['content-type']));
      const target = findRequestBody(op.bodies, type);
      const issues = target ? bodyIssues(target, requestBodyKind(target, type), body, requestBody.required) : [];
      for (const e of [...(request.bodyIssues ?? []), ...issues]) errors.push({ in: 'body', pointer: e.pointer, message: e.message });
    }
  }
  return errors;
}

function validationProblem(op: CompiledOperation, errors: ProblemFieldError[]): Problem {
  const detail = `${errors.length} invalid field${errors.length === 1 ? '' : 's'}: ${errors.map((e) => `${e.in} ${e.pointer || '/'} ${e.message}`).join('; ')}`;
  // When the spec documents its own 422 or 400, the mock answers with that status so clients see the contract's status.
  const declared = op.responses.find((r) => r.spec.status === '422') ?? op.responses.find((r) => r.spec.status === '400');
  return problem(declared ? Number(declared.spec.status) : 400, detail, errors);
}

/** The rule or override answering this request, if any. */
function matchingRule(operationId: string, request: MockRequest, cookies: () => Record<string, string | undefined>, runtime: MockRuntime) {
  const view: RequestView = { body: request.body, query: request.query, headers: request.headers, cookies, ...(request.session ? { session: request.session } : {}) };
  const client = runtime.overrides.size > 0 ? singleHeader(request.headers[clientHeader]) : undefined;
  return findRule(operationId, view, runtime.overrides.size > 0 ? runtime.overrides.candidates(client) : [], runtime.rules.forOperation(operationId));
}

/** A browser sends its scenario cookie to every operation; those that lack the name answer as usual. */
function withoutForeignCookie(op: CompiledOperation, preferences: Preferences): Preferences {
  if (!preferences.fromCookie || hasScenario(op, preferences.example!)) return preferences;
  const { example: _unused, fromCookie: _cookie, ...rest } = preferences;
  return rest;
}

/** Marks an answer as one an identical request would get again, unless a delay applies (a range may draw 0 this time only). */
function reusableUnlessDelayed(answer: MockAnswer, delayed: boolean): MockAnswer {
  if (!delayed) answer.reusable = true;
  return answer;
}

/** The answer for a response the spec declares: status, scenario, generated headers, fixture headers, body. */
function chosenAnswer(op: CompiledOperation, request: MockRequest, preferences: Preferences, runtime: MockRuntime, seed: number, fixtureRequest: FixtureRequest): MockAnswer {
  const decision = chooseResponse(op, preferences, singleHeader(request.headers.accept));
  const context = { op, now: runtime.now };
  if ('problem' in decision) return reusableUnlessDelayed({ ...problemAnswer(decision.problem, context), delayMs: runtime.delay ? delayFrom(runtime.random, { server: runtime.delay }) : 0 }, runtime.delay !== undefined);
  const { choice } = decision;
  const payload = buildPayload(op, choice, seed, runtime, fixtureRequest);
  const headers: Record<string, string> = { 'iwkit-scenario': choice.scenario };
  addChoiceHeaders(headers, choice, seed, runtime.now);
  const delayMs = preferences.delay || runtime.delay ? delayFrom(runtime.random, { request: preferences.delay, server: runtime.delay }) : 0;
  const answer: MockAnswer = { status: choice.status, headers, delayMs, scenario: choice.scenario, operationId: op.operation.operationId };
  // A fixture builder is the user's code: it may answer the same request differently each time.
  if (!isBuilt(choice)) reusableUnlessDelayed(answer, preferences.delay !== undefined || runtime.delay !== undefined);
  if (payload === undefined) return answer;
  const type = payloadContentType(choice, runtime.references);
  if (type) headers['content-type'] = contentTypeHeader(type);
  answer.body = toWire(payload, type);
  return answer;
}

/** Builds the function that answers one operation: the stateless steps, overrides shared through the store, then the state step. */
export function createOperationAnswerer(op: CompiledOperation, runtime: MockRuntime): OperationAnswerer {
  const stateless = createStatelessAnswerer(op, runtime);
  // Overrides shared through the state store (Redis) are read and spent there: only then is the answer async for every operation.
  const scripted = runtime.sharedOverrides ? answerWithSharedOverrides({ op, now: runtime.now }, runtime.sharedOverrides, stateless) : stateless;
  const withState = stateStep(op, runtime, stateless);
  if (withState) return (request) => withState(request, scripted);
  return runtime.sharedOverrides ? async (request) => notReusable(await scripted(request)) : stateless;
}

/** What a store decides (sessions, resources, shared overrides) can change between identical requests. */
function notReusable(answer: MockAnswer): MockAnswer {
  answer.reusable = false;
  return answer;
}

/** The state step for an operation the plan keeps state for (none otherwise): it runs `answer` and decides from the store. */
function stateStep(op: CompiledOperation, runtime: MockRuntime, stateless: (request: MockRequest) => MockAnswer) {
  const opState = runtime.state?.plan.operations.get(op.operation.operationId);
  const state = runtime.state;
  if (!state || !opState) return undefined;
  const declared = (request: MockRequest, status: number): MockAnswer | undefined => {
    if (!op.responses.some((r) => r.spec.status !== 'default' && statusMatches(r.spec.status, status))) return undefined;
    const answer = stateless({ ...request, headers: { ...request.headers, prefer: `code=${status}` }, prevalidated: true });
    return answer.status === status && !answer.problem ? answer : undefined;
  };
  const decide = answerWithState(op, opState, runtime, state, declared);
  return async (request: MockRequest, answer: OperationAnswerer): Promise<MockAnswer> => {
    if (!opState.protected) return notReusable(await decide(request, await answer(request)));
    // The session is looked up before the rules run, so a rule can answer a dead session (match.session); the state step reuses it.
    const check = await checkSession(op, request, state);
    const viewed: MockRequest = 'session' in check ? { ...request, session: check.session } : request;
    return notReusable(await decide(viewed, await answer(viewed), check));
  };
}

/** What the stateless steps of one operation work out once. */
interface StatelessPlan {
  op: CompiledOperation;
  runtime: MockRuntime;
  context: ProblemContext;
  /** The 415 verdict per Content-Type header value: clients repeat the same few. */
  acceptedTypes: Map<string, boolean>;
  needsCookies: boolean;
}

function acceptsBodyType(plan: StatelessPlan, header: string): boolean {
  let verdict = plan.acceptedTypes.get(header);
  if (verdict === undefined) {
    verdict = findRequestBody(plan.op.bodies, bodyType(header)) !== undefined;
    if (plan.acceptedTypes.size >= 64) plan.acceptedTypes.clear();
    plan.acceptedTypes.set(header, verdict);
  }
  return verdict;
}

/** The mock's own error; the global delay applies to it as to any answer. */
function refuse(plan: StatelessPlan, body: Problem, extra?: Record<string, string>): MockAnswer {
  const { runtime } = plan;
  const delayMs = runtime.delay ? delayFrom(runtime.random, { server: runtime.delay }) : 0;
  const answer = problemAnswer(body, plan.context);
  if (extra) answer.headers = { ...extra, ...answer.headers };
  return reusableUnlessDelayed({ ...answer, delayMs }, runtime.delay !== undefined);
}

/** The request's cookies, parsed on first use. */
function cookiesOf(request: MockRequest): Record<string, string | undefined> {
  const header = singleHeader(request.headers.cookie);
  return (request.cookies ??= header ? parseCookie(header) : {});
}

/** A 401 for missing or wrong credentials, a 415 for a body type the operation does not take; undefined when neither. */
function gateAnswer(plan: StatelessPlan, request: MockRequest): MockAnswer | undefined {
  const { op, runtime } = plan;
  const security = checkSecurity(op.operation.security, { headers: request.headers, query: request.query, cookies: plan.needsCookies ? cookiesOf(request) : {} }, runtime.tokens);
  if (!security.ok) return refuse(plan, problem(401, security.detail, security.errors), security.challenge ? { 'www-authenticate': security.challenge } : undefined);
  const requestBody = op.operation.requestBody;
  const contentType = singleHeader(request.headers['content-type']);
  // A Content-Type announces a body even where none was read (a multipart body this operation does not take).
  if (requestBody && (request.body !== undefined || contentType !== undefined) && !acceptsBodyType(plan, contentType ?? '')) {
    return refuse(plan, unsupportedMediaTypeProblem(mediaEssence(contentType), requestBody.content.map((m) => m.contentType)));
  }
  return undefined;
}

/** The request's preferences, with every invalid field of its parts and of the preferences themselves. */
function requestPreferences(plan: StatelessPlan, request: MockRequest): { preferences: Preferences; errors: ProblemFieldError[] } {
  const errors = !request.prevalidated || request.bodyIssues ? requestErrors(plan.op, request, cookiesOf(request)) : [];
  const cookieHeader = singleHeader(request.headers.cookie);
  // The scenario cookie is looked for only when one could be there, so most requests never parse cookies.
  const scenarioCookie = cookieHeader !== undefined && cookieHeader.includes(scenarioCookieName) ? cookiesOf(request)[scenarioCookieName] : undefined;
  const edgeCookie = cookieHeader !== undefined && cookieHeader.includes(edgeCookieName) ? cookiesOf(request)[edgeCookieName] : undefined;
  const prefs = parsePreferences(request.headers.prefer, request.query, scenarioCookie, edgeCookie);
  errors.push(...prefs.errors);
  const { edge } = plan.runtime;
  return { preferences: withoutForeignCookie(plan.op, edge && !prefs.preferences.edge ? { ...prefs.preferences, edge } : prefs.preferences), errors };
}

function fixtureRequestOf(request: MockRequest): FixtureRequest {
  return { method: request.method, path: request.path, params: request.params, query: request.query, headers: request.headers, body: request.body };
}

/** The answer of the rule or override matching the request; rules are looked at only when some exist for this operation, so the plain path stays plain. */
function ruleAnswer(plan: StatelessPlan, request: MockRequest, preferences: Preferences, seed: number): MockAnswer | undefined {
  const { op, runtime } = plan;
  const operationId = op.operation.operationId;
  if (runtime.rules.forOperation(operationId).length === 0 && runtime.overrides.size === 0) return undefined;
  const rule = matchingRule(operationId, request, () => cookiesOf(request), runtime);
  if (!rule) return undefined;
  spendRule(rule, runtime.overrides);
  return answerWithRule({ op, rule, preferences, accept: singleHeader(request.headers.accept), runtime, seed, fixtureRequest: fixtureRequestOf(request) });
}

/** A 500 or 503 for the share of requests the error rate asks for. */
function errorRateAnswer(plan: StatelessPlan, preferences: Preferences): MockAnswer | undefined {
  const { runtime } = plan;
  if (runtime.errorRate <= 0 || runtime.random() >= runtime.errorRate) return undefined;
  const status = runtime.random() < 0.5 ? 500 : 503;
  const scenario = 'fault:error-rate';
  const headers = { 'content-type': 'application/problem+json; charset=utf-8', 'iwkit-scenario': scenario };
  const delayMs = delayFrom(runtime.random, { request: preferences.delay, server: runtime.delay });
  return { status, headers, body: JSON.stringify(scenarioProblem(status, 'error rate')), delayMs, scenario, operationId: plan.op.operation.operationId };
}

/** The stateless steps in order: the gate (401, 415), validation (400/422), rules and overrides, the error rate, the spec's response. */
function createStatelessAnswerer(op: CompiledOperation, runtime: MockRuntime): (request: MockRequest) => MockAnswer {
  const needsCookies = op.operation.security.some((alt) => alt.some((s) => s.type === 'apiKey' && s.in === 'cookie')) || op.parts.cookie !== undefined;
  const plan: StatelessPlan = { op, runtime, context: { op, now: runtime.now }, acceptedTypes: new Map(), needsCookies };
  return function answerOperation(request: MockRequest): MockAnswer {
    const refused = gateAnswer(plan, request);
    if (refused) return refused;
    const { preferences, errors } = requestPreferences(plan, request);
    if (errors.length > 0) return refuse(plan, validationProblem(op, errors));
    const seed = preferences.seed ?? hashSeed(runtime.seed, request.method, request.url, request.rawBody);
    return ruleAnswer(plan, request, preferences, seed) ?? errorRateAnswer(plan, preferences) ?? chosenAnswer(op, request, preferences, runtime, seed, fixtureRequestOf(request));
  };
}
