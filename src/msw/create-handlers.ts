import { http, HttpResponse, type HttpHandler } from 'msw';
import { Type } from '@sinclair/typebox';
import { checkOptions as checkOptionSchema } from '../options/check-options.js';
import { anyOption, optionalEach, positiveInteger, type SameOptions } from '../options/option-schemas.js';
import { checkSharedMockOptions, sharedMockOptions } from '../mock/mock-options.js';
import { createFaker } from '../fake/create-faker.js';
import type { EdgeProfile } from '../fake/edge-profiles.js';
import { SeededRandomizer } from '../fake/seeded-randomizer.js';
import { addOverride } from '../mock/add-override.js';
import { createOperationAnswerer, type OperationAnswerer } from '../mock/answer-operation.js';
import { clientHeader } from '../mock/client-header.js';
import { compileOperation, type CompiledOperation } from '../mock/compile-operation.js';
import { compileRules, type RuleContext } from '../mock/compile-rules.js';
import { delayOption } from '../mock/delay.js';
import { enterDelay } from '../mock/delay-gate.js';
import { fixturesFromData, type FixtureInput } from '../mock/fixture-envelope.js';
import { defaultJournalCapacity, Journal, journalBodyText, type JournalEntry, type JournalFilter } from '../mock/journal.js';
import { journalBodyValue, journalRecord } from '../mock/journal-record.js';
import { Gate, limitsWith, type MockLimits } from '../mock/limits.js';
import type { MockAnswer, MockRequest } from '../mock/mock-answer.js';
import type { MockRuntime } from '../mock/mock-runtime.js';
import { OverrideStore, type OverrideInfo } from '../mock/overrides.js';
import { problemAnswer } from '../mock/problem-answer.js';
import { problem } from '../mock/problem.js';
import { apiKeyNames, createRequestRedactor } from '../mock/redact-request.js';
import { ResponseCache } from '../mock/response-cache.js';
import { basePathsOf, buildRouteTable, type TableRoute } from '../mock/route-table.js';
import { withRulePath } from '../mock/rule-path.js';
import type { OverrideInput, ScenarioRules } from '../mock/scenario-rules.js';
import { seededNow } from '../mock/seeded-now.js';
import { RuleSet } from '../mock/select-rule.js';
import { expireSession, invalidateSession } from '../mock/session-state.js';
import { scopeOf } from '../mock/state-answer.js';
import { createStateRuntime, type StateRuntime } from '../mock/state-runtime.js';
import { MemoryStore } from '../state/memory-store.js';
import type { StateStore } from '../state/state-store.js';
import type { Api } from '../openapi/api-model.js';
import { buildApi } from '../openapi/build-api.js';
import { readRequestBody } from './read-request-body.js';
import { routePattern, slotTexts } from './route-pattern.js';

// The MSW adapter: one MSW `http` handler per route of the spec; each turns the Fetch Request into the
// core's request view, calls the core once and turns its answer into a Response. Nothing here decides.

/** The bounds that apply in-process: there are no sockets to bound. */
const inProcessLimits = ['maxDelayed', 'maxOverrides', 'maxOverrideBytes', 'maxJournalBytes', 'maxStateItems', 'maxStateBytes'] as const;

/** Options of {@link createHandlers}: createMockServer's options that make sense in-process. */
export interface HandlersOptions {
  /** Fixtures as data: `{ [operationId]: { [name]: envelope | builder } }` (the envelope of a fixture file, or a function). */
  fixtures?: Record<string, Record<string, FixtureInput>>;
  /** Scenario rules, as a scenarios file holds them. */
  scenarios?: ScenarioRules;
  /** Seed for generated data; with it, timestamps are anchored to a fixed date so bodies are identical across runs. */
  seed?: number;
  /** Anchor for generated timestamps in epoch ms (default: a fixed date when seeded, else now). */
  now?: number;
  /** Accepted credential values; empty or omitted accepts any non-empty credential. */
  tokens?: string[];
  /** A delay for every answer: milliseconds, `[min, max]`, or `"200-800"`. */
  delay?: number | [number, number] | string;
  /** An edge profile for all generated data, unless a request or rule names another. */
  edge?: EdgeProfile;
  /** The share of requests (0 to 1) answered with a 500 or 503 problem instead (default 0). */
  errorRate?: number;
  /** Keep a request journal: true (the last 1,000 requests; the default), a capacity, or false. */
  journal?: boolean | number;
  /** The bounds that apply in-process (delays in flight, overrides, journal bytes, state per client). */
  limits?: Partial<Pick<MockLimits, (typeof inProcessLimits)[number]>>;
  /** Keep state as the Fastify mock's `stateful` does: logins issue sessions that protected operations then require, created items persist. */
  stateful?: boolean;
  /** How long a session lives after its login, in ms (default 30 minutes). */
  sessionTtl?: number;
  /** Where state lives with `stateful` (default: a fresh in-memory store, bounded by `limits.maxStateItems` / `maxStateBytes`). */
  store?: StateStore;
  /** With `stateful`: starting items by collection path (`{ "/pets": [ … ] }`), checked against the spec now; every client starts from them. */
  initialState?: Record<string, unknown[]>;
  /** Where the API is mocked, e.g. `https://api.example.com`; default: any origin. */
  baseUrl?: string;
}

/** The handlers, spread into setupServer / setupWorker, with the same run-time controls as the Fastify mock. */
export type MockHandlers = HttpHandler[] & {
  /** Answers matching requests as the override says (once, N times with `times`, or until reset); newest first, before the rules. */
  use(override: OverrideInput): OverrideInfo;
  /** Back to the start: removes every override, clears the journal and the state, gives rules their `times` back. */
  reset(): Promise<void>;
  /** Ends a session at once (`stateful`); `client` is its `iwkit-client` scope. True when it existed. */
  invalidate(sessionid: string, client?: string): Promise<boolean>;
  /** Makes a session lapse now, as its lifetime would (`stateful`). True when it existed. */
  expire(sessionid: string, client?: string): Promise<boolean>;
  /** With `stateful`: which operations keep state and why, one line each. */
  stateLines: string[];
  /** The journalled requests, oldest first; filter by operationId, client (null: those without one) or the last `limit`. */
  journal(filter?: JournalFilter): JournalEntry[];
  /** The normalised spec the handlers serve. */
  api: Api;
};

const isLoadedApi = (spec: unknown): spec is Api =>
  typeof spec === 'object' && spec !== null && Array.isArray((spec as Api).operations) && Array.isArray((spec as Api).references);

/** The options of createHandlers as one schema (the mock's shared ones and the in-process ones), checked once. */
const handlersOptionsSchema = Type.Object({
  ...sharedMockOptions,
  fixtures: Type.Optional(Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown()), { expected: 'fixtures by operationId, then by name' })),
  limits: Type.Optional(optionalEach(inProcessLimits, () => positiveInteger())),
  store: Type.Optional(anyOption()),
  baseUrl: Type.Optional(Type.String({ expected: 'an origin such as https://api.example.com' })),
});

// The schema and the interface name the same options: adding one to only one of them is a compile error.
const sameOptions: SameOptions<typeof handlersOptionsSchema, HandlersOptions> = true;
void sameOptions;

function checkOptions(options: HandlersOptions): void {
  checkOptionSchema(handlersOptionsSchema, options);
  checkSharedMockOptions(options as Record<string, unknown>, ['store', 'sessionTtl', 'initialState']);
}

/** The state runtime for `stateful`: the given store or a memory store, and the plan the Fastify mock makes too. */
function stateOf(options: HandlersOptions, compiled: CompiledOperation[], api: Api, limits: MockLimits): StateRuntime | undefined {
  if (!options.stateful) return undefined;
  const store = options.store ?? new MemoryStore({ maxItems: limits.maxStateItems, maxBytes: limits.maxStateBytes });
  const initialState = options.initialState === undefined ? undefined : { data: options.initialState, source: 'initialState option' };
  return createStateRuntime(compiled, api.references, { store, sessionTtlMs: options.sessionTtl, seeded: options.seed !== undefined, ...(initialState ? { initialState } : {}) });
}

/** The parsed query as Fastify's parser gives it: repeated keys as arrays. */
function queryOf(url: URL): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const [key, value] of url.searchParams) {
    const known = query[key];
    query[key] = known === undefined ? value : Array.isArray(known) ? [...known, value] : [known, value];
  }
  return query;
}

function headersOf(request: Request): Record<string, string> {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => (headers[name] = value));
  return headers;
}

/** Statuses whose responses carry no body (a Response refuses one). */
const bodiless = new Set([101, 103, 204, 205, 304]);

/** The core's answer as a Fetch Response; transport faults become a network error or a body cut short. */
function toResponse(answer: MockAnswer, method: string): Response {
  if (answer.fault === 'reset' || answer.fault === 'empty') return HttpResponse.error();
  const headers = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) headers.set(name, value);
  if (answer.fault === 'truncated') {
    const bytes = new TextEncoder().encode(typeof answer.body === 'string' ? answer.body : '');
    const half = bytes.subarray(0, Math.floor(bytes.length / 2));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(half);
        controller.error(new TypeError('iwkit: the connection closed before the whole body arrived (truncated fault)'));
      },
    });
    return new HttpResponse(stream, { status: answer.status, headers });
  }
  const body = answer.body === undefined || bodiless.has(answer.status) || method === 'HEAD' ? null : answer.body;
  return new HttpResponse(body as BodyInit | null, { status: answer.status, headers });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The compiled spec and the run-time state every handler shares. */
interface HandlersContext {
  api: Api;
  compiled: CompiledOperation[];
  answerers: OperationAnswerer[];
  table: ReturnType<typeof buildRouteTable>;
  runtime: MockRuntime;
  overrides: OverrideStore;
  overrideContext: RuleContext;
  journal?: Journal;
  redactor: ReturnType<typeof createRequestRedactor>;
  state?: StateRuntime;
  baseUrl?: string;
}

/** Compiles the spec, fixtures and rules, and builds the runtime the core answers with. */
function prepareHandlers(spec: Api | Record<string, unknown>, options: HandlersOptions): HandlersContext {
  const api = isLoadedApi(spec) ? spec : buildApi(spec);
  const limits = limitsWith(options.limits);
  const faker = createFaker();
  const now = options.now ?? (options.seed !== undefined ? seededNow : Date.now());
  const fixtures = fixturesFromData(options.fixtures ?? {}, api.operations.map((o) => o.operationId));
  const compiled: CompiledOperation[] = api.operations.map((op) => compileOperation(api, op, fixtures.get(op.operationId) ?? [], faker, now));
  const operations = new Map(compiled.map((op) => [op.operation.operationId, op]));
  const rules = new RuleSet(
    options.scenarios === undefined ? [] : compileRules(options.scenarios, { operations, references: api.references, locate: (path) => withRulePath('scenarios option', path) }),
    operations.keys(),
  );
  const overrides = new OverrideStore();
  overrides.limits = { maxOverrides: limits.maxOverrides, maxOverrideBytes: limits.maxOverrideBytes };
  const capacity = options.journal === false ? 0 : typeof options.journal === 'number' ? options.journal : defaultJournalCapacity;
  const secrets = apiKeyNames(api);
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const state = stateOf(options, compiled, api, limits);
  const runtime: MockRuntime = {
    seed,
    now,
    tokens: options.tokens && options.tokens.length > 0 ? new Set(options.tokens) : undefined,
    faker,
    cache: new ResponseCache(),
    rules,
    overrides,
    delay: delayOption(options.delay),
    errorRate: options.errorRate ?? 0,
    ...(options.edge ? { edge: options.edge } : {}),
    random: new SeededRandomizer([seed, 0x5eed]).next,
    delays: new Gate(limits.maxDelayed),
    references: api.references,
    warn: (message, details) => console.error(message, details),
    ...(state ? { state } : {}),
  };
  return {
    api,
    compiled,
    answerers: compiled.map((op) => createOperationAnswerer(op, runtime)),
    table: buildRouteTable(compiled.map((op) => op.operation), { basePaths: basePathsOf(api.servers) }),
    runtime,
    overrides,
    overrideContext: { operations, references: api.references, locate: (path) => withRulePath('override', path) },
    ...(capacity === 0 ? {} : { journal: new Journal(capacity, limits.maxJournalBytes) }),
    redactor: createRequestRedactor(secrets.headers, secrets.query),
    ...(state ? { state } : {}),
    ...(options.baseUrl !== undefined ? { baseUrl: options.baseUrl } : {}),
  };
}

/** Journals one answered request (redacted), when the journal is on. */
function recordAnswer(ctx: HandlersContext, view: MockRequest, answer: MockAnswer, started: number, body: unknown): void {
  if (!ctx.journal) return;
  const client = view.headers[clientHeader];
  const subject = { ...(typeof client === 'string' ? { client } : {}), operationId: answer.operationId, method: view.method, path: view.path, query: view.query, headers: view.headers };
  const status = answer.fault === 'reset' || answer.fault === 'empty' ? null : answer.status;
  const text = body === undefined ? undefined : journalBodyText(body);
  ctx.journal.record(journalRecord(ctx.redactor, subject, status, answer.scenario, performance.now() - started), text);
}

/** Holds an answer for its delay within the delay bound; past the bound, the core's refusal instead. */
async function waitOutDelay(ctx: HandlersContext, answer: MockAnswer, op: CompiledOperation): Promise<MockAnswer> {
  if (answer.delayMs <= 0) return answer;
  const refusal = enterDelay(ctx.runtime.delays, answer.delayMs, { op, now: ctx.runtime.now });
  if (refusal) return refusal;
  try {
    await sleep(answer.delayMs);
  } finally {
    ctx.runtime.delays.leave();
  }
  return answer;
}

/** One request to one route: the request view, the core's answer, the journal, the Response; undefined lets MSW try the next handler. */
async function answerRequest(ctx: HandlersContext, route: TableRoute, request: Request, started: number): Promise<Response | undefined> {
  const url = new URL(request.url);
  const query = queryOf(url);
  const texts = slotTexts(route, url, ctx.baseUrl);
  const choice = texts && ctx.table.choose(route, texts, query);
  if (!choice) return undefined;
  const index = route.candidates[choice.index].operation;
  const op = ctx.compiled[index];
  const view: MockRequest = {
    method: request.method.toUpperCase(),
    url: `${url.pathname}${url.search}`,
    path: url.pathname,
    params: choice.params,
    query,
    headers: headersOf(request),
    body: undefined,
  };
  const read = await readRequestBody(op, request);
  let answer: MockAnswer;
  if ('problem' in read) answer = problemAnswer(read.problem, { op, now: ctx.runtime.now });
  else {
    Object.assign(view, read);
    answer = await ctx.answerers[index](view);
  }
  const journalBody = journalBodyValue(view.body, view.rawBody, view.headers['content-length']);
  answer = await waitOutDelay(ctx, answer, op);
  recordAnswer(ctx, view, answer, started, journalBody);
  return toResponse(answer, view.method);
}

/** A declared path asked with a method it does not have: 405 with Allow (OPTIONS: 204), as the Fastify mock answers. */
function methodNotAllowedHandler(ctx: HandlersContext): HttpHandler {
  return http.all(routePatternAny(ctx.baseUrl), ({ request }) => {
    const path = new URL(request.url).pathname;
    const declared = ctx.table.allowedMethods(path);
    if (declared.length === 0) return undefined;
    const allow = [...new Set([...declared, ...(declared.includes('GET') ? ['HEAD'] : []), 'OPTIONS'])].join(', ');
    if (request.method === 'OPTIONS') return new HttpResponse(null, { status: 204, headers: { allow } });
    const refusal = problemAnswer(problem(405, `${request.method} is not allowed on ${path}; allowed: ${allow}`, [
      { in: 'request', pointer: '', message: `method ${request.method} is not declared for this path` },
    ], { allowed: allow.split(', ') }));
    refusal.headers.allow = allow;
    return toResponse(refusal, request.method);
  });
}

/**
 * MSW request handlers for every operation of a spec, answered by iwkit's mock core: validation with every
 * field's pointer, fixtures, scenarios, rules and overrides, edge profiles, seeded realistic data.
 * `spec` is a loaded Api (loadApi, or a module written by `iwkit generate --bundle`) or a parsed,
 * self-contained OpenAPI document; no file is read, so this runs in a browser too.
 */
export function createHandlers(spec: Api | Record<string, unknown>, options: HandlersOptions = {}): MockHandlers {
  checkOptions(options);
  const ctx = prepareHandlers(spec, options);
  const { overrides, journal, state } = ctx;
  const handlers: HttpHandler[] = ctx.table.routes.map((route) => {
    const on = (http as unknown as Record<string, typeof http.all | undefined>)[route.method.toLowerCase()] ?? http.all;
    return on(routePattern(route, ctx.baseUrl), ({ request }) => answerRequest(ctx, route, request, performance.now()));
  });
  handlers.push(methodNotAllowedHandler(ctx));
  return Object.assign(handlers, {
    use: (override: OverrideInput) => addOverride({ overrides, overrideContext: ctx.overrideContext }, override),
    reset: async () => {
      overrides.clear('all');
      journal?.clear();
      ctx.runtime.rules.resetUses();
      await state?.store.clear();
    },
    invalidate: async (sessionid: string, client?: string) => (state ? invalidateSession(state, scopeOf(client), sessionid) : false),
    expire: async (sessionid: string, client?: string) => (state ? expireSession(state, scopeOf(client), sessionid) : false),
    stateLines: state?.plan.lines ?? [],
    journal: (filter?: JournalFilter) => journal?.list(filter) ?? [],
    api: ctx.api,
  });
}

/** Every URL under the base URL (any origin without one). */
function routePatternAny(baseUrl: string | undefined): RegExp {
  return routePattern(undefined, baseUrl);
}
