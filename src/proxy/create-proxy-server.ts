import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { Socket } from 'node:net';
import { createSchemaValidation } from '../contract/schema-validation.js';
import { createFaker } from '../fake/create-faker.js';
import type { Api } from '../openapi/api-model.js';
import { loadApi } from '../openapi/load-api.js';
import { compileOperation, type CompiledOperation } from '../mock/compile-operation.js';
import { notFoundProblem, problem, problemContentType, type Problem } from '../mock/problem.js';
import { basePathsOf, buildRouteTable } from '../mock/route-table.js';
import { adminGuard } from '../server/admin-guard.js';
import { adminPrefix } from '../server/admin-routes.js';
import { createMockServer } from '../server/create-mock-server.js';
import { resolveMockSources } from '../server/mock-sources.js';
import { routePathOf, slotKeys } from '../server/route-path.js';
import { sendProblem } from '../server/send-problem.js';
import { createExchangeHandler, type ProxyContext } from './handle-exchange.js';
import { checkProxyOptions, parseUpstream, type ProxyServerOptions } from './proxy-options.js';
import { ExchangeStats } from './proxy-report.js';
import { createRecorder } from './recorder.js';
import { secretRules } from './find-secrets.js';
import { createUpstreamClient } from './upstream-client.js';
import { routeConfig } from '../server/mock-server.js';
import { ViolationJournal, type Violation } from './violation.js';
import type { ContractResult } from '../contract/contract-result.js';

export type { ProxyServerOptions, ProxyBounds } from './proxy-options.js';
export type { Violation } from './violation.js';

/** What `createProxyServer` returns: a Fastify instance (not listening) with the proxy's journal. */
export interface ProxyServer extends FastifyInstance {
  /** The normalised spec the proxy checks traffic against. */
  iwkitApi: Api;
  /** The violations kept in the proxy's journal, oldest first. */
  violations(): Violation[];
  /** The proxy's run so far in the contract runner's result shape, for its reporters. */
  proxyResult(): ContractResult;
}

const isLoadedApi = (spec: ProxyServerOptions['spec']): spec is Api =>
  typeof spec === 'object' && spec !== null && Array.isArray((spec as Api).operations) && Array.isArray((spec as Api).references);

/** The violations journal under the admin prefix. */
export const violationsPath = '/__iwkit/violations';

// A proxy that takes CONNECT would be an open proxy: the method is answered 405 and the connection closed.
function refuseConnect(socket: Socket): void {
  const body = JSON.stringify(problem(405, 'CONNECT is refused: iwkit proxy forwards only to its --upstream', [{ in: 'request', pointer: '', message: 'method CONNECT is not allowed' }]));
  socket.end(`HTTP/1.1 405 Method Not Allowed\r\ncontent-type: ${problemContentType}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

/** The spec, the upstream client, the fallback mock and the recorder: everything an exchange is handled with. */
async function prepareProxy(options: ProxyServerOptions, bounds: ProxyContext['bounds']) {
  const upstream = parseUpstream(options.upstream);
  const specPath = resolveMockSources({ spec: isLoadedApi(options.spec) ? undefined : options.spec }).specPath;
  const api = isLoadedApi(options.spec) ? options.spec : await loadApi(typeof options.spec === 'object' ? options.spec : specPath!);
  const faker = createFaker();
  const compiled: CompiledOperation[] = api.operations.map((op) => compileOperation(api, op, [], faker, Date.now()));
  const schemas = createSchemaValidation(api.references, false);
  const rules = secretRules(api, options.redact ?? []);
  const client = await createUpstreamClient(upstream, { connections: bounds.connections, timeout: bounds.upstreamTimeout, responseLimit: bounds.responseLimit, ca: options.ca });
  const fallback = options.fallback === 'mock'
    ? await createMockServer(options.spec === undefined ? { docs: false, cors: false, journal: false } : { spec: api, fixturesDir: options.fallbackFixturesDir ?? false, docs: false, cors: false, journal: false })
    : undefined;
  const recorder = options.record ? createRecorder({ dir: options.record, api, schemas, rules, maxRecordings: bounds.maxRecordings, upstream: upstream.origin }) : undefined;
  return { upstream, specPath, api, compiled, schemas, rules, client, fallback, recorder };
}

/** The Fastify instance: bounds, no body parsing (the proxy streams bodies itself), CONNECT and non-origin targets refused. */
function createProxyFastify(options: ProxyServerOptions, bounds: ProxyContext['bounds']): FastifyInstance {
  const logger: FastifyServerOptions['logger'] = options.logger === undefined || options.logger === false ? false : { level: options.logger === true ? 'info' : options.logger };
  const app = Fastify({
    logger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: bounds.bodyLimit,
    return503OnClosing: false,
    forceCloseConnections: true,
    requestTimeout: bounds.upstreamTimeout * 2,
    http: { requireHostHeader: false },
    frameworkErrors: (_error, request, reply) => {
      const message = `the path "${request.url.split('?')[0]}" is not valid percent-encoding`;
      return sendProblem(reply, problem(400, message, [{ in: 'path', pointer: '', message }]));
    },
  });
  app.server.on('connect', (_request, socket: Socket) => refuseConnect(socket));
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  // Only origin-form targets (`/path?query`): an absolute URL or `*` would make this an open proxy.
  app.addHook('onRequest', (request, reply, done) => {
    if (!request.raw.url?.startsWith('/') || request.raw.url.startsWith('//')) {
      reply.header('connection', 'close');
      sendProblem(reply, problem(400, 'only origin-form request targets are forwarded: iwkit proxy is not an open proxy', [{ in: 'request', pointer: '', message: 'the request target must start with a single "/"' }]));
      return;
    }
    done();
  });
  return app;
}

/** One Fastify route per route of the spec, each choosing its operation and handing the exchange on. */
function registerProxyRoutes(app: FastifyInstance, compiled: CompiledOperation[], basePaths: string[], handle: ReturnType<typeof createExchangeHandler>): void {
  const table = buildRouteTable(compiled.map((op) => op.operation), { basePaths });
  for (const route of table.routes) {
    const keys = slotKeys(route.shape);
    try {
      app.route({
        method: route.method,
        url: routePathOf(route).url,
        exposeHeadRoute: !route.headDeclared,
        config: routeConfig({ op: compiled[route.candidates[0].operation], now: Date.now() }),
        handler(request: FastifyRequest, reply: FastifyReply) {
          const params = (request.params ?? {}) as Record<string, string | undefined>;
          const choice = table.choose(route, keys.map((k) => params[k] ?? ''), (request.query ?? {}) as Record<string, unknown>);
          const op = choice ? compiled[route.candidates[choice.index].operation] : undefined;
          return handle(request, reply, op, choice?.params ?? {});
        },
      });
    } catch (error) {
      // A route clashing with the proxy's own (the journal) is simply not matched; its requests count as undocumented.
      if ((error as { code?: unknown }).code !== 'FST_ERR_DUPLICATED_ROUTE') throw error;
    }
  }
}

/** Creates the validating proxy for a spec in front of one upstream: a Fastify instance, not listening. */
export async function createProxyServer(options: ProxyServerOptions): Promise<ProxyServer> {
  const bounds = checkProxyOptions(options);
  const { upstream, specPath, api, compiled, schemas, rules, client, fallback, recorder } = await prepareProxy(options, bounds);
  const journal = new ViolationJournal(bounds.journalSize);
  const stats = new ExchangeStats(bounds.journalSize);
  const app = createProxyFastify(options, bounds);
  const context: ProxyContext = { api, options, bounds, upstream, client, schemas, rules, journal, stats, recorder, fallback, log: (v) => {
    options.onViolation?.(v);
    app.log.warn(v, 'violation');
  } };
  const handle = createExchangeHandler(context);
  if (options.admin) {
    // Violations carry request details: the same guard as the mock's admin API (no pages, no rebinding, the token).
    await app.register(async (admin) => {
      admin.addHook('onRequest', adminGuard(app, { host: options.host, token: options.adminToken }));
      admin.get(violationsPath.slice(adminPrefix.length), async (_request, reply) => reply.header('cache-control', 'no-store').send({ total: journal.total, dropped: journal.dropped, violations: journal.list() }));
    }, { prefix: adminPrefix });
  }
  registerProxyRoutes(app, compiled, basePathsOf(api.servers), handle);
  app.setNotFoundHandler((request, reply) => handle(request, reply, undefined, {}));
  app.setErrorHandler((error, request, reply) => {
    request.log.error({ err: error }, 'iwkit proxy failed to answer');
    if (reply.sent || reply.raw.headersSent) return reply.raw.destroy();
    const body: Problem = problem(500, 'the proxy failed to answer this request; see its log');
    return sendProblem(reply, body);
  });
  app.decorate('iwkitApi', api);
  app.decorate('violations', () => journal.list());
  app.decorate('proxyResult', () => stats.result(upstream.toString(), specPath ?? api.source ?? 'spec'));
  app.addHook('onClose', async () => {
    await client.close();
    await fallback?.close();
  });
  // Answers 404 for the undocumented, in enforce mode, with the same problem the mock gives.
  context.notFound = (method, path) => notFoundProblem(method, path);
  return app as unknown as ProxyServer;
}
