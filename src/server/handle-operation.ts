import type { Faker } from '@faker-js/faker';
import { parseCookie } from 'cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { checkSecurity } from '../mock/check-security.js';
import { chooseResponse, type ResponseChoice } from '../mock/choose-response.js';
import { fixtureBody, type CompiledOperation } from '../mock/compile-operation.js';
import type { FixtureRequest } from '../mock/fixture.js';
import { isJsonMediaType } from '../mock/negotiate-media-type.js';
import { parsePreferences } from '../mock/preferences.js';
import { problem, type Problem, type ProblemFieldError } from '../mock/problem.js';
import { hashSeed } from '../mock/request-seed.js';
import type { ResponseCache } from './response-cache.js';
import type { RoutePath } from './route-path.js';
import { sendProblem } from './send-problem.js';

/** What every route handler shares: the run's seed and clock, accepted tokens, caches. */
export interface MockRuntime {
  seed: number;
  now: number;
  tokens?: ReadonlySet<string>;
  faker: Faker;
  cache: ResponseCache;
}

/** The raw JSON text of a request body, kept by the content-type parser for seeding. */
export const rawBodyKey = Symbol('iwkit.rawBody');

/** The scenario label a reply carries, for the request log. */
export const scenarioKey = Symbol('iwkit.scenario');

type MockRequest = FastifyRequest & { [rawBodyKey]?: string };
type MockReply = FastifyReply & { [scenarioKey]?: string };

function mediaEssence(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

function acceptsContentType(declared: string, actual: string): boolean {
  const [dt, ds] = declared.split(';')[0].trim().toLowerCase().split('/');
  const [at, as] = actual.split('/');
  return (dt === '*' || dt === at) && (ds === '*' || ds === as);
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
      const type = mediaEssence(request.headers['content-type']);
      const target = op.bodies.find((b) => acceptsContentType(b.contentType, type));
      for (const e of target?.validator?.errors(body) ?? []) errors.push({ in: 'body', pointer: e.pointer, message: e.message });
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

function serialise(value: unknown, contentType: string | undefined): string {
  if (contentType && !isJsonMediaType(contentType) && typeof value === 'string') return value;
  return JSON.stringify(value) ?? '';
}

function buildPayload(op: CompiledOperation, choice: ResponseChoice, seed: number, runtime: MockRuntime, request: FixtureRequest, log: FastifyRequest['log']): string | undefined {
  const { source, media } = choice;
  if (source.kind === 'none' || !media) return undefined;
  if (source.kind === 'example') return serialise(source.value, choice.contentType);
  const cacheable = !(source.kind === 'fixture' && source.fixture.build);
  const key = `${op.operation.operationId}|${choice.status}|${media.contentType}|${choice.scenario}|${seed}`;
  if (cacheable) {
    const hit = runtime.cache.get(key);
    if (hit !== undefined) return hit;
  }
  const body =
    source.kind === 'fixture'
      ? fixtureBody(source.fixture, media, { seed, now: runtime.now, faker: runtime.faker, request })
      : media.generate?.({ seed, now: runtime.now });
  if (media.validator && !media.validator.check(body)) {
    // A generator or builder bug, never the client's fault: say so loudly, still answer.
    log.error({ operationId: op.operation.operationId, errors: media.validator.errors(body).slice(0, 5) }, 'iwkit built a body that breaks the response schema');
  }
  const payload = serialise(body, choice.contentType);
  if (cacheable) runtime.cache.set(key, payload);
  return payload;
}

/** Builds the Fastify handler that answers one operation. */
export function createOperationHandler(op: CompiledOperation, routePath: RoutePath, runtime: MockRuntime, fastifyValidatesAll: boolean) {
  const needsCookies = op.operation.security.some((alt) => alt.some((s) => s.type === 'apiKey' && s.in === 'cookie')) || op.parts.cookie !== undefined;
  return async function handleOperation(request: MockRequest, reply: MockReply): Promise<string | void> {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const cookieHeader = request.headers.cookie;
    const cookies = needsCookies && cookieHeader ? parseCookie(cookieHeader) : {};

    const security = checkSecurity(op.operation.security, { headers: request.headers, query, cookies }, runtime.tokens);
    if (!security.ok) {
      if (security.challenge) reply.header('www-authenticate', security.challenge);
      return sendProblem(reply, problem(401, security.detail, security.errors));
    }

    const requestBody = op.operation.requestBody;
    const type = mediaEssence(request.headers['content-type']);
    if (requestBody && request.body !== undefined && type && !requestBody.content.some((m) => acceptsContentType(m.contentType, type))) {
      const accepted = requestBody.content.map((m) => m.contentType);
      return sendProblem(reply, problem(415, `content type "${type}" is not accepted; use ${accepted.join(' or ')}`, [
        { in: 'header', pointer: '/content-type', message: `expected ${accepted.join(' or ')}` },
      ], { accepted }));
    }

    // Fastify validated each part already; on any doubt, collect every offending field of every part.
    const errors = request.validationError || !fastifyValidatesAll ? requestErrors(op, request, routePath, cookies) : [];
    const prefs = parsePreferences(request.headers.prefer, query);
    errors.push(...prefs.errors);
    if (errors.length > 0) return sendProblem(reply, validationProblem(op, errors));

    const decision = chooseResponse(op, prefs.preferences, request.headers.accept);
    if ('problem' in decision) return sendProblem(reply, decision.problem);
    const { choice } = decision;

    const seed = prefs.preferences.seed ?? hashSeed(runtime.seed, request.method, request.url, request[rawBodyKey]);
    const fixtureRequest: FixtureRequest = {
      method: request.method,
      path: request.url.split('?')[0],
      params: (request.params ?? {}) as Record<string, unknown>,
      query,
      headers: request.headers,
      body: request.body,
    };
    const payload = buildPayload(op, choice, seed, runtime, fixtureRequest, request.log);

    reply[scenarioKey] = choice.scenario;
    reply.code(choice.status).header('iwkit-scenario', choice.scenario);
    for (const h of choice.response.headers) {
      const value = h.generate({ seed, now: runtime.now });
      reply.header(h.name, typeof value === 'string' ? value : JSON.stringify(value));
    }
    if (choice.source.kind === 'fixture' && choice.source.fixture.headers) reply.headers(choice.source.fixture.headers);
    if (payload === undefined) return reply.send();
    reply.header('content-type', choice.contentType && isJsonMediaType(choice.contentType) && !/charset/i.test(choice.contentType) ? `${choice.contentType}; charset=utf-8` : choice.contentType);
    return reply.send(payload);
  };
}
