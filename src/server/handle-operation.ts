import { parseCookie } from 'cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ValidationIssue } from '../openapi/compile-validator.js';
import { checkSecurity } from '../mock/check-security.js';
import { chooseResponse, hasScenario } from '../mock/choose-response.js';
import type { CompiledOperation } from '../mock/compile-operation.js';
import type { FixtureRequest } from '../mock/fixture.js';
import { headerText } from '../mock/header-text.js';
import { mediaEssence } from '../mock/media-kind.js';
import type { RequestView } from '../mock/match-rule.js';
import { edgeCookieName, parsePreferences, scenarioCookieName, type Preferences } from '../mock/preferences.js';
import { problem, type Problem, type ProblemFieldError } from '../mock/problem.js';
import { bodyIssues, defaultBodyType, findRequestBody, requestBodyKind, unsupportedMediaTypeProblem } from '../mock/request-body.js';
import { hashSeed } from '../mock/request-seed.js';
import { scenarioProblem } from '../mock/scenario-problem.js';
import { selectRule } from '../mock/select-rule.js';
import { answerWithRule } from './answer-with-rule.js';
import { dropRetry } from './apply-fault.js';
import { retryKey } from './fault-retries.js';
import { buildPayload, contentTypeHeader, payloadContentType, toWire } from './build-payload.js';
import type { MockRuntime } from './mock-runtime.js';
import type { RoutePath } from './route-path.js';
import { sendProblem } from './send-problem.js';
import { chooseDelay, delayThen, type DelayContext } from './wait.js';

export type { MockRuntime } from './mock-runtime.js';

/** The raw text of a request body (bytes as a binary string, multipart as its parts), kept by the body parsers for seeding. */
export const rawBodyKey = Symbol('iwkit.rawBody');

/** Problems the body parsers found while decoding a form (forbidden names), reported with the validation errors. */
export const bodyIssuesKey = Symbol('iwkit.bodyIssues');

/** The scenario label a reply carries, for the request log and the journal. */
export const scenarioKey = Symbol('iwkit.scenario');

/** The header that scopes overrides and journal entries to one client (one test run). */
export const clientHeader = 'iwkit-client';

type MockRequest = FastifyRequest & { [rawBodyKey]?: string; [bodyIssuesKey]?: ValidationIssue[] };
type MockReply = FastifyReply & { [scenarioKey]?: string };

/** The wire type of a request body: its Content-Type essence, or octet-stream when it has none. */
function bodyType(contentType: string | undefined): string {
  return mediaEssence(contentType) || defaultBodyType;
}

/** Collects every offending field of every part, so the problem names them all at once. */
function requestErrors(op: CompiledOperation, request: MockRequest, routePath: RoutePath, cookies: Record<string, string | undefined>): ProblemFieldError[] {
  const errors: ProblemFieldError[] = [];
  const rawParams: Record<string, unknown> = {};
  for (const [key, value] of Object.entries((request.params ?? {}) as Record<string, unknown>)) rawParams[routePath.names.get(key) ?? key] = value;
  const raw = { path: rawParams, query: request.query as Record<string, unknown>, header: request.headers as Record<string, unknown>, cookie: cookies };
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
      const type = bodyType(request.headers['content-type']);
      const target = findRequestBody(op.bodies, type);
      const issues = target ? bodyIssues(target, requestBodyKind(target, type), body, requestBody.required) : [];
      for (const e of [...(request[bodyIssuesKey] ?? []), ...issues]) errors.push({ in: 'body', pointer: e.pointer, message: e.message });
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

/** Lets go of everything a request holds of its body, once the answer is built (before a delay). */
function releaseBody(runtime: MockRuntime, request: MockRequest): void {
  runtime.keepBody?.(request);
  request.body = undefined;
  delete request[rawBodyKey];
  delete request[bodyIssuesKey];
}

/** The rule or override answering this request, if any; its own frame, so no view of the body outlives it. */
function findRule(operationId: string, request: MockRequest, query: Record<string, unknown>, cookies: () => Record<string, string | undefined>, runtime: MockRuntime) {
  const view: RequestView = { body: request.body, query, headers: request.headers, cookies };
  const client = runtime.overrides.size > 0 ? single(request.headers[clientHeader]) : undefined;
  return selectRule(operationId, view, runtime.overrides.size > 0 ? runtime.overrides.candidates(client) : [], runtime.rules.forOperation(operationId));
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Builds the Fastify handler that answers one operation. */
export function createOperationHandler(op: CompiledOperation, routePath: RoutePath, runtime: MockRuntime, fastifyValidatesAll: boolean) {
  const operationId = op.operation.operationId;
  // The 415 verdict per Content-Type header value: clients repeat the same few.
  const acceptedTypes = new Map<string, boolean>();
  const acceptsBodyType = (header: string): boolean => {
    let verdict = acceptedTypes.get(header);
    if (verdict === undefined) {
      verdict = findRequestBody(op.bodies, bodyType(header)) !== undefined;
      if (acceptedTypes.size >= 64) acceptedTypes.clear();
      acceptedTypes.set(header, verdict);
    }
    return verdict;
  };
  const needsCookies = op.operation.security.some((alt) => alt.some((s) => s.type === 'apiKey' && s.in === 'cookie')) || op.parts.cookie !== undefined;

  return async function handleOperation(request: MockRequest, reply: MockReply): Promise<FastifyReply | string | void> {
    const delayContext: DelayContext = { delays: runtime.delays, release: () => releaseBody(runtime, request) };
    /** The mock's own error; the global delay applies to it as to any answer. */
    const refuse = (reply: MockReply, body: Problem): Promise<FastifyReply> =>
      delayThen(reply, runtime.delay ? chooseDelay(runtime.random, runtime.delay) : 0, delayContext, () => sendProblem(reply, body));
    const query = (request.query ?? {}) as Record<string, unknown>;
    const cookieHeader = request.headers.cookie;
    let parsedCookies: Record<string, string | undefined> | undefined;
    const cookies = (): Record<string, string | undefined> => (parsedCookies ??= cookieHeader ? parseCookie(cookieHeader) : {});

    const security = checkSecurity(op.operation.security, { headers: request.headers, query, cookies: needsCookies ? cookies() : {} }, runtime.tokens);
    if (!security.ok) {
      if (security.challenge) reply.header('www-authenticate', security.challenge);
      return refuse(reply, problem(401, security.detail, security.errors));
    }

    const requestBody = op.operation.requestBody;
    const contentType = request.headers['content-type'];
    // A Content-Type announces a body even where none was read (a multipart body this operation does not take).
    if (requestBody && (request.body !== undefined || contentType !== undefined) && !acceptsBodyType(contentType ?? '')) {
      return refuse(reply, unsupportedMediaTypeProblem(mediaEssence(contentType), requestBody.content.map((m) => m.contentType)));
    }

    // Fastify validated each part already; on any doubt, collect every offending field of every part.
    const errors = request.validationError || !fastifyValidatesAll || request[bodyIssuesKey] ? requestErrors(op, request, routePath, cookies()) : [];
    // The scenario cookie is looked for only when one could be there, so most requests never parse cookies.
    const scenarioCookie = cookieHeader !== undefined && cookieHeader.includes(scenarioCookieName) ? cookies()[scenarioCookieName] : undefined;
    const edgeCookie = cookieHeader !== undefined && cookieHeader.includes(edgeCookieName) ? cookies()[edgeCookieName] : undefined;
    const prefs = parsePreferences(request.headers.prefer, query, scenarioCookie, edgeCookie);
    errors.push(...prefs.errors);
    if (errors.length > 0) return refuse(reply, validationProblem(op, errors));

    let preferences: Preferences = runtime.edge && !prefs.preferences.edge ? { ...prefs.preferences, edge: runtime.edge } : prefs.preferences;
    if (preferences.fromCookie && !hasScenario(op, preferences.example!)) {
      // A browser sends its scenario cookie to every operation; those that lack the name answer as usual.
      const { example: _unused, fromCookie: _cookie, ...rest } = preferences;
      preferences = rest;
    }

    const seed = preferences.seed ?? hashSeed(runtime.seed, request.method, request.url, request[rawBodyKey]);
    const fixtureRequest = (): FixtureRequest => ({
      method: request.method,
      path: request.url.split('?')[0],
      params: (request.params ?? {}) as Record<string, unknown>,
      query,
      headers: request.headers,
      body: request.body,
    });

    // A browser's silent re-send of a request a fault dropped gets the same fault (see fault-retries.ts).
    const retry = runtime.faultRetries?.size ? runtime.faultRetries.take(retryKey(request)) : undefined;
    if (retry) return dropRetry(request, reply, runtime, retry);

    // Rules and overrides are looked at only when some exist for this operation: the plain path stays plain.
    if (runtime.rules.forOperation(operationId).length > 0 || runtime.overrides.size > 0) {
      const rule = findRule(operationId, request, query, cookies, runtime);
      if (rule) {
        if (rule.times !== undefined && rule.used >= rule.times) runtime.overrides.prune();
        return answerWithRule({
          op, rule, preferences, request, reply, runtime, seed,
          fixtureRequest: fixtureRequest(),
          label: (scenario) => (reply[scenarioKey] = scenario),
          release: delayContext.release,
        });
      }
    }

    if (runtime.errorRate > 0 && runtime.random() < runtime.errorRate) {
      const status = runtime.random() < 0.5 ? 500 : 503;
      reply[scenarioKey] = 'fault:error-rate';
      const body = JSON.stringify(scenarioProblem(status, 'error rate'));
      return delayThen(reply, chooseDelay(runtime.random, preferences.delay, runtime.delay), delayContext, () =>
        reply.code(status).header('content-type', 'application/problem+json; charset=utf-8').header('iwkit-scenario', 'fault:error-rate').send(body));
    }

    const decision = chooseResponse(op, preferences, request.headers.accept);
    if ('problem' in decision) return refuse(reply, decision.problem);
    const { choice } = decision;

    const references = request.server.iwkitApi?.references;
    const payload = buildPayload(op, choice, seed, runtime, fixtureRequest(), request.log, references);

    reply[scenarioKey] = choice.scenario;
    reply.code(choice.status).header('iwkit-scenario', choice.scenario);
    for (const h of choice.response.headers) {
      const value = h.generate({ seed, now: runtime.now });
      reply.header(h.name, headerText(value));
    }
    if (choice.source.kind === 'fixture' && choice.source.fixture.headers) reply.headers(choice.source.fixture.headers);
    const ms = preferences.delay || runtime.delay ? chooseDelay(runtime.random, preferences.delay, runtime.delay) : 0;
    if (payload === undefined) return ms > 0 ? delayThen(reply, ms, delayContext, () => reply.send()) : reply.send();
    const type = payloadContentType(choice, references);
    reply.header('content-type', type ? contentTypeHeader(type) : undefined);
    const wire = toWire(payload, type);
    return ms > 0 ? delayThen(reply, ms, delayContext, () => reply.send(wire)) : reply.send(wire);
  };
}
