import cors from '@fastify/cors';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { randomInt } from 'node:crypto';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { createFaker } from '../fake/create-faker.js';
import { SeededRandomizer } from '../fake/seeded-randomizer.js';
import type { Api } from '../openapi/api-model.js';
import { loadApi } from '../openapi/load-api.js';
import { compileOperation, type CompiledOperation } from '../mock/compile-operation.js';
import { compileRules, type CompiledRule } from '../mock/compile-rules.js';
import { delayOption } from '../mock/delay.js';
import { defaultJournalCapacity, Journal } from '../mock/journal.js';
import { OverrideStore } from '../mock/overrides.js';
import { SharedJournal } from '../mock/shared-journal.js';
import { SharedOverrides } from '../mock/shared-overrides.js';
import { Gate, type MockLimits } from '../mock/limits.js';
import { problem } from '../mock/problem.js';
import { apiKeyNames, createRequestRedactor, type RequestRedactor } from '../mock/redact-request.js';
import { basePathsOf, buildRouteTable } from '../mock/route-table.js';
import { unsupportedMediaTypeProblem } from '../mock/request-body.js';
import { RuleSet } from '../mock/select-rule.js';
import { seededNow } from '../mock/seeded-now.js';
import { registerAdminRoutes } from './admin-routes.js';
import { answerClientError } from './answer-client-error.js';
import { rawBodyKey, type MockRuntime } from './handle-operation.js';
import { scenarioOf } from './write-answer.js';
import { fastifyTimeouts, httpTimeouts, limitConnections } from './connection-limits.js';
import { registerRequestGate } from './request-gate.js';
import { installControls, journalRequest, keepJournalBody, type MockControls } from './mock-controls.js';
import { resolveMockSources } from './mock-sources.js';
import { readScenarioFile, withRulePath } from './read-scenarios.js';
import { readFixtures } from './read-fixtures.js';
import { bodyErrorProblem, registerBodyParsers } from './register-body-parsers.js';
import { registerDocs } from './register-docs.js';
import { createUnroutedHandler, createUnservedHandler, registerOperationRoutes } from './register-operation-routes.js';
import { ResponseCache } from '../mock/response-cache.js';
import { FaultRetries } from './fault-retries.js';
import { ReplayFront, requestIds } from './replay-front.js';
import { logRequest, redactUrl, textLogStream } from './request-log.js';
import { sendProblem } from './send-problem.js';
import { routeContext, type MockServer } from './mock-server.js';
import { openStateStore } from './open-state-store.js';
import { createStateRuntime, type StateRuntime } from '../mock/state-runtime.js';
import { readStateFile } from './read-state-file.js';

export type { MockServer } from './mock-server.js';
export type { JournalEntry, JournalFilter, OverrideInfo, OverrideInput } from './mock-controls.js';
export type { ScenarioRule, ScenarioRules } from '../mock/scenario-rules.js';

export type { MockServerOptions } from './mock-server-options.js';
import { checkMockServerOptions, type MockServerOptions } from './mock-server-options.js';

async function loadRules(scenarios: MockServerOptions['scenarios'], file: string | undefined, operations: Map<string, CompiledOperation>, api: Api): Promise<CompiledRule[]> {
  if (scenarios === false) return [];
  if (file) {
    const source = await readScenarioFile(file);
    return compileRules(source.data, { operations, references: api.references, locate: source.locate });
  }
  if (scenarios === undefined) return [];
  return compileRules(scenarios, { operations, references: api.references, locate: (path) => withRulePath('scenarios option', path) });
}

// Fastify 5 reports every JSON failure with one message; the raw text tells a syntax error from a poisoning attempt.
function jsonBodyProblem(raw: unknown, fallback: string): string {
  if (typeof raw !== 'string') return fallback;
  try {
    JSON.parse(raw);
    return 'forbidden property "__proto__" or "constructor.prototype" in the JSON body';
  } catch (error) {
    return `invalid JSON: ${error instanceof Error ? error.message : fallback}`;
  }
}

function withOverrideLimits(store: OverrideStore, limits: MockLimits): OverrideStore {
  store.limits = { maxOverrides: limits.maxOverrides, maxOverrideBytes: limits.maxOverrideBytes };
  return store;
}

/** The connection cap and time-outs; a server made by a serverFactory is bounded by its owner (watch mode). */
function applyConnectionLimits(app: FastifyInstance, limits: MockLimits, external: boolean): void {
  if (!external) limitConnections(app.server, limits);
  registerRequestGate(app, limits);
}

/** Fastify's logger options: level, the readable or JSON form, and a `path` serializer that hides secret query values. */
function loggerOptions(options: MockServerOptions, redactor: RequestRedactor): Exclude<FastifyServerOptions['logger'], boolean> | false {
  if (options.logger === undefined || options.logger === false) return false;
  const level = options.logger === true ? 'info' : options.logger;
  const serializers = { path: (url: string) => redactUrl(String(url), redactor) };
  const out = options.logStream;
  if (options.logFormat === 'json') return { level, serializers, ...(out ? { stream: out } : {}) };
  return { level, serializers, stream: textLogStream(out ?? process.stdout) };
}

export { seededNow };

/** The state runtime for `stateful`: the store (opened now, so a bad URL fails at start), the plan, the session lifetime. */
async function stateRuntime(options: MockServerOptions, compiled: CompiledOperation[], api: Api, limits: MockLimits): Promise<StateRuntime> {
  const initialState = options.stateFile !== undefined
    ? { data: await readStateFile(options.stateFile, limits.maxStateBytes), source: options.stateFile }
    : options.initialState !== undefined ? { data: options.initialState, source: 'initialState option' } : undefined;
  const store = await openStateStore(options.state, { maxItems: limits.maxStateItems, maxBytes: limits.maxStateBytes }, options.stateTimeoutMs);
  try {
    return createStateRuntime(compiled, api.references, { store, sessionTtlMs: options.sessionTtl, seeded: options.seed !== undefined, ...(initialState ? { initialState } : {}) });
  } catch (error) {
    // A store opened here is ours to close; one given by the caller is not.
    if (typeof options.state !== 'object') await store.close();
    throw error;
  }
}

const isLoadedApi = (spec: MockServerOptions['spec']): spec is Api =>
  typeof spec === 'object' && spec !== null && Array.isArray((spec as Api).operations) && Array.isArray((spec as Api).references);

/** Headers a browser may read from a mock answer (CORS hides all others). */
const exposedHeaders = ['iwkit-scenario', 'iwkit-problem', 'allow', 'www-authenticate', 'retry-after', 'location', 'etag', 'link'];

/** The spec loaded and compiled with its fixtures and rules: everything the controls and the runtime are built from. */
interface PreparedMock {
  api: Api;
  compiled: CompiledOperation[];
  operations: Map<string, CompiledOperation>;
  rules: RuleSet;
  rulesFile?: string;
  limits: MockLimits;
  delay: ReturnType<typeof delayOption>;
  faker: ReturnType<typeof createFaker>;
  now: number;
}

async function prepareMock(options: MockServerOptions): Promise<PreparedMock> {
  const limits = checkMockServerOptions(options);
  const delay = delayOption(options.delay);
  const sources = resolveMockSources(options);
  const api = isLoadedApi(options.spec) ? options.spec : await loadApi(sources.specPath ?? (options.spec as Record<string, unknown>), { strict: options.strictSpec === true });
  const fixtures = sources.fixturesDir ? await readFixtures(sources.fixturesDir, api.operations.map((o) => o.operationId)) : new Map();
  const faker = createFaker();
  const now = options.now ?? (options.seed !== undefined ? seededNow : Date.now());
  const compiled: CompiledOperation[] = api.operations.map((op) => compileOperation(api, op, fixtures.get(op.operationId) ?? [], faker, now));
  const operations = new Map(compiled.map((op) => [op.operation.operationId, op]));
  const rules = new RuleSet(await loadRules(options.scenarios, sources.scenariosFile, operations, api), operations.keys());
  return { api, compiled, operations, rules, rulesFile: sources.scenariosFile, limits, delay, faker, now };
}

/** Rules, overrides, journal and state: what the control API and the admin routes act on (taken over across hot reloads). */
async function mockControls(options: MockServerOptions, prepared: PreparedMock): Promise<MockControls> {
  const { api, compiled, operations, rules, limits } = prepared;
  const secrets = apiKeyNames(api);
  const journalCapacity = options.journal === false ? 0 : typeof options.journal === 'number' ? options.journal : defaultJournalCapacity;
  const controls: MockControls = {
    operations: compiled,
    rules,
    rulesFile: prepared.rulesFile,
    overrides: withOverrideLimits(options.carryOver?.overrides ?? new OverrideStore(), limits),
    journal: journalCapacity === 0 ? undefined : (options.carryOver?.journal ?? new Journal(journalCapacity, limits.maxJournalBytes)),
    redactor: createRequestRedactor(secrets.headers, secrets.query),
    overrideContext: { operations, references: api.references, locate: (path) => withRulePath('override', path) },
  };
  controls.state = options.stateful ? await stateRuntime(options, compiled, api, limits) : undefined;
  const shared = controls.state?.store.shared;
  if (shared) {
    controls.sharedOverrides = new SharedOverrides(shared, controls.overrides, controls.overrideContext);
    if (controls.journal) controls.sharedJournal = new SharedJournal(shared, controls.journal.capacity, controls.journal.maxBytes);
  }
  return controls;
}

/** What the core reads on every request: seed, clock, tokens, caches, rules and overrides, delays, state. */
function mockRuntime(options: MockServerOptions, prepared: PreparedMock, controls: MockControls): MockRuntime {
  const seed = options.seed ?? randomInt(2 ** 31);
  return {
    seed,
    now: prepared.now,
    tokens: options.tokens && options.tokens.length > 0 ? new Set(options.tokens) : undefined,
    faker: prepared.faker,
    cache: new ResponseCache(),
    rules: prepared.rules,
    overrides: controls.overrides,
    delay: prepared.delay,
    errorRate: options.errorRate ?? 0,
    ...(options.edge ? { edge: options.edge } : {}),
    random: new SeededRandomizer([seed, 0x5eed]).next,
    recordFault: controls.journal ? (request, status, scenario) => journalRequest(controls, request, status, scenario, 0) : undefined,
    delays: new Gate(prepared.limits.maxDelayed),
    keepBody: controls.journal ? keepJournalBody : undefined,
    faultRetries: new FaultRetries(),
    references: prepared.api.references,
    ...(controls.state ? { state: controls.state } : {}),
    ...(controls.sharedOverrides ? { sharedOverrides: controls.sharedOverrides } : {}),
  };
}

/** The replay of identical requests, where nothing but the request decides an answer: no delay, error rate or state. */
function replayFront(options: MockServerOptions, runtime: MockRuntime, controls: MockControls): ReplayFront | undefined {
  if (options.stateful || runtime.delay || runtime.errorRate > 0 || runtime.sharedOverrides) return undefined;
  return new ReplayFront(runtime, controls, requestIds());
}

/** The server's request handler behind the replay front: Fastify's own server, or the one a serverFactory makes. */
function serverFactoryOf(options: MockServerOptions, front: ReplayFront | undefined): Pick<FastifyServerOptions, 'serverFactory'> {
  const factory = options.serverFactory;
  if (!factory) return {};
  return { serverFactory: front ? (handler, opts) => factory(front.wrap(handler), opts) : factory };
}

/** Puts the front before the handler of a server Fastify made itself. */
function frontOwnServer(app: FastifyInstance, front: ReplayFront): void {
  const [handler] = app.server.listeners('request') as Parameters<ReplayFront['wrap']>;
  app.server.removeListener('request', handler);
  app.server.on('request', front.wrap(handler));
}

/** The Fastify instance with the mock's server options: bounds, time-outs, poisoning refused, its own answers to bad requests. */
function createFastify(options: MockServerOptions, limits: MockLimits, logger: ReturnType<typeof loggerOptions>, front: ReplayFront | undefined) {
  return Fastify({
    logger,
    // Fastify's own per-request lines would log URLs with query strings (credentials); ours logs in onResponse.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: false,
    forceCloseConnections: true,
    clientErrorHandler: answerClientError,
    // Node would answer a Host-less HTTP/1.1 request with a bare 400 of its own; the request gate answers a problem.
    http: { requireHostHeader: false, ...httpTimeouts(limits) },
    ...fastifyTimeouts(limits),
    frameworkErrors: (error, request, reply) => {
      const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
      // Fastify's message quotes the whole URL; its query may hold an API key.
      const message = `the path "${request.url.split('?')[0]}" is not valid percent-encoding`;
      return sendProblem(reply, problem(status, message, [{ in: 'path', pointer: '', message }]));
    },
    ...serverFactoryOf(options, front),
    ...(front ? { genReqId: front.requestId } : {}),
  }).withTypeProvider<TypeBoxTypeProvider>();
}

/** Every error Fastify or a plugin raises, as the mock's own problem: body refusals by kind, a 500 logged. */
function answerError(this: FastifyInstance, error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const status = error.statusCode ?? 500;
  if (status >= 500) {
    request.log.error({ err: error }, 'iwkit mock failed to answer');
    return sendProblem(reply, problem(500, 'the mock failed to answer this request; see its log'));
  }
  const code = error.code ?? '';
  const bodyRefusal = bodyErrorProblem(error, this.initialConfig.bodyLimit ?? 1024 * 1024);
  if (bodyRefusal) return sendProblem(reply, bodyRefusal);
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    const declared = routeContext(request)?.op.operation.requestBody?.content.map((m) => m.contentType);
    return sendProblem(reply, unsupportedMediaTypeProblem(String(request.headers['content-type'] ?? ''), declared ?? ['application/json']));
  }
  const isBodyError = code.startsWith('FST_ERR_CTP') || error instanceof SyntaxError;
  if (!isBodyError) return sendProblem(reply, problem(status, error.message, [{ in: 'request', pointer: '', message: error.message }]));
  const reason = jsonBodyProblem((request as unknown as Record<symbol, unknown>)[rawBodyKey], error.message);
  return sendProblem(reply, problem(status, `malformed request body: ${reason}`, [{ in: 'body', pointer: '', message: reason }]));
}

/** CORS for browsers: only requests with an Origin get its headers (curl, servers and the contract runner get none). */
async function registerCors(app: FastifyInstance, api: Api): Promise<void> {
  const methods = [...new Set(api.operations.map((o) => o.method.toUpperCase())), 'HEAD', 'OPTIONS'];
  const reflect = (origin: string | undefined, callback: (error: Error | null, allow: boolean) => void): void => callback(null, origin !== undefined);
  await app.register(cors, { origin: reflect, credentials: true, methods, exposedHeaders, maxAge: 600, strictPreflight: false });
}

/** The spec's routes, the answer for paths it does not declare, and the request log line. */
async function registerMockRoutes(app: FastifyInstance, prepared: PreparedMock, runtime: MockRuntime, logged: boolean): Promise<void> {
  const { api, compiled } = prepared;
  const basePaths = basePathsOf(api.servers);
  const table = buildRouteTable(compiled.map((op) => op.operation), { basePaths });
  for (const warning of table.warnings) if (!api.warnings.includes(warning)) api.warnings.push(warning);
  app.setNotFoundHandler(createUnservedHandler(api.unserved ?? [], basePaths, createUnroutedHandler(table)));
  if (logged) {
    // One line per request; never headers, and secret query values redacted by the logger's path serializer.
    app.addHook('onResponse', async (request, reply) => logRequest(request, reply.statusCode, scenarioOf(reply), reply.elapsedTime));
  }
  await registerOperationRoutes(app, { table, operations: compiled, runtime, source: api.source, warnings: api.warnings });
}

/** Creates the mock server for a spec: a Fastify instance, not listening (use `inject`, or `listen` yourself). */
export async function createMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const prepared = await prepareMock(options);
  const controls = await mockControls(options, prepared);
  const runtime = mockRuntime(options, prepared, controls);
  const logger = loggerOptions(options, controls.redactor);
  const front = (runtime.replay = replayFront(options, runtime, controls));
  const app = createFastify(options, prepared.limits, logger, front);
  runtime.warn = (message, details) => app.log.error(details, message);
  applyConnectionLimits(app, prepared.limits, options.serverFactory !== undefined);
  if (front) {
    if (!options.serverFactory) frontOwnServer(app, front);
    if (logger !== false) front.log = app.log;
    front.install(app);
  }
  // Every request media type; each parser keeps the raw body, which seeds generation.
  await registerBodyParsers(app);
  if (options.cors !== false) await registerCors(app, prepared.api);
  // Set before the docs and admin plugins, so their own handlers hand client errors on to this one.
  app.setErrorHandler(answerError);
  if (options.docs !== false) await registerDocs(app, prepared.api, prepared.compiled);
  installControls(app, controls);
  if (options.admin) await registerAdminRoutes(app, controls, { host: options.host, token: options.adminToken });
  await registerMockRoutes(app, prepared, runtime, logger !== false);
  app.decorate('iwkitApi', prepared.api);
  const state = controls.state;
  app.decorate('iwkitState', state?.plan.lines ?? []);
  app.decorate('iwkitReplay', () => front?.stats() ?? { hits: 0, entries: 0 });
  if (state && typeof options.state !== 'object') app.addHook('onClose', async () => state.store.close());
  return app as unknown as MockServer;
}
