import { Faker, base, en } from '@faker-js/faker';
import cors from '@fastify/cors';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { toolkitError } from '../errors.js';
import type { Api } from '../openapi/api-model.js';
import { loadApi } from '../openapi/load-api.js';
import { compileOperation, type CompiledOperation } from '../mock/compile-operation.js';
import { problem } from '../mock/problem.js';
import { createOperationHandler, rawBodyKey, scenarioKey, type MockRuntime } from './handle-operation.js';
import { packageRoot } from './package-root.js';
import { readFixtures } from './read-fixtures.js';
import { registerDocs } from './register-docs.js';
import { ResponseCache } from './response-cache.js';
import { toRoutePath, type RoutePath } from './route-path.js';
import { routeSchema, routeValidatorCompiler } from './route-validator.js';
import { sendProblem } from './send-problem.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The normalised spec this mock serves. */
    iwkitApi: Api;
  }
}

/** Options of {@link createMockServer}; every one has a default that serves the login contract. */
export interface MockServerOptions {
  /** A spec path, a raw OpenAPI object or an already loaded Api. Default: iwkit's schema/openapi.yaml. */
  spec?: string | Api | Record<string, unknown>;
  /** Fixture folder (`<dir>/<operationId>/*.json|.js`); `false` for none. Default: iwkit's fixtures/ with the default spec, none otherwise. */
  fixturesDir?: string | false;
  /** Seed for generated data; with it, timestamps are anchored to a fixed date so bodies are identical across runs. */
  seed?: number;
  /** Accepted credential values; empty or omitted accepts any non-empty credential. */
  tokens?: string[];
  /** CORS for any origin (default true). */
  cors?: boolean;
  /** Fastify logger: false (default), true, or a level such as "info". */
  logger?: boolean | string;
  /** Largest accepted request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Interactive docs at /docs and the raw spec at /openapi.json and /openapi.yaml (default true). */
  docs?: boolean;
  /** Anchor for generated timestamps in epoch ms (default: a fixed date when seeded, else now). */
  now?: number;
}

/** The anchor for generated timestamps when a seed makes runs reproducible: the seed's own example date. */
export const seededNow = Date.parse('2025-05-04T09:42:00Z');

const isLoadedApi = (spec: MockServerOptions['spec']): spec is Api =>
  typeof spec === 'object' && spec !== null && Array.isArray((spec as Api).operations) && Array.isArray((spec as Api).references);

/** Headers a browser may read from a mock answer (CORS hides all others). */
const exposedHeaders = ['iwkit-scenario', 'iwkit-problem', 'allow', 'www-authenticate', 'retry-after', 'location', 'etag', 'link'];

/** Creates the mock server for a spec: a Fastify instance, not listening (use `inject`, or `listen` yourself). */
export async function createMockServer(options: MockServerOptions = {}): Promise<FastifyInstance> {
  const root = packageRoot();
  const api = isLoadedApi(options.spec) ? options.spec : await loadApi(options.spec ?? join(root, 'schema', 'openapi.yaml'));
  const defaultFixtures = join(root, 'fixtures');
  const fixturesDir = options.fixturesDir ?? (options.spec === undefined && existsSync(defaultFixtures) ? defaultFixtures : false);
  const fixtures = fixturesDir ? await readFixtures(fixturesDir, api.operations.map((o) => o.operationId)) : new Map();

  const faker = new Faker({ locale: [en, base] });
  const now = options.now ?? (options.seed !== undefined ? seededNow : Date.now());
  if (options.bodyLimit !== undefined && !(Number.isInteger(options.bodyLimit) && options.bodyLimit > 0)) {
    throw toolkitError('IWKIT_ERR_OPTION_INVALID', 'bodyLimit', 'must be a positive integer');
  }
  const compiled: { op: CompiledOperation; route: RoutePath }[] = api.operations.map((op) => ({
    op: compileOperation(api, op, fixtures.get(op.operationId) ?? [], faker, now),
    route: toRoutePath(op.path),
  }));
  const runtime: MockRuntime = {
    seed: options.seed ?? randomInt(2 ** 31),
    now,
    tokens: options.tokens && options.tokens.length > 0 ? new Set(options.tokens) : undefined,
    faker,
    cache: new ResponseCache(),
  };

  const logger: FastifyServerOptions['logger'] =
    options.logger === undefined || options.logger === false ? false : { level: options.logger === true ? 'info' : options.logger };
  const app = Fastify({
    logger,
    // Fastify's own per-request lines would log URLs with query strings (credentials); ours logs in onResponse.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: false,
    forceCloseConnections: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Keep the raw JSON text: it seeds generation, so the same request always gets the same body.
  const jsonParser = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(/^application\/([\w.+-]+\+)?json(;|$)/i, { parseAs: 'string' }, (request, body, done) => {
    (request as unknown as Record<symbol, unknown>)[rawBodyKey] = body as string;
    jsonParser(request, body as string, done);
  });

  if (options.cors !== false) {
    const methods = [...new Set(api.operations.map((o) => o.method.toUpperCase())), 'HEAD', 'OPTIONS'];
    await app.register(cors, { origin: true, credentials: true, methods, exposedHeaders, maxAge: 600, strictPreflight: false });
  }

  if (options.docs !== false) await registerDocs(app, api);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'iwkit mock failed to answer');
      return sendProblem(reply, problem(500, 'the mock failed to answer this request; see its log'));
    }
    const code = error.code ?? '';
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendProblem(reply, problem(413, error.message, [{ in: 'body', pointer: '', message: error.message }]));
    if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendProblem(reply, problem(415, `content type "${request.headers['content-type'] ?? ''}" is not accepted`, [
        { in: 'header', pointer: '/content-type', message: error.message },
      ]));
    }
    const isBodyError = code.startsWith('FST_ERR_CTP') || error instanceof SyntaxError;
    const detail = /prototype|constructor/i.test(error.message) ? `forbidden property in JSON body: ${error.message}` : isBodyError ? `malformed request body: ${error.message}` : error.message;
    return sendProblem(reply, problem(status, detail, [{ in: isBodyError ? 'body' : 'request', pointer: '', message: error.message }]));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const allowed = [...new Set(compiled.filter((c) => c.route.matcher.test(path)).map((c) => c.op.operation.method.toUpperCase()))];
    if (allowed.length > 0) {
      const allow = [...allowed, ...(allowed.includes('GET') ? ['HEAD'] : []), ...(options.cors !== false ? ['OPTIONS'] : [])].join(', ');
      reply.header('allow', allow);
      return sendProblem(reply, problem(405, `${request.method} is not allowed on ${path}; allowed: ${allow}`, [
        { in: 'request', pointer: '', message: `method ${request.method} is not declared for this path` },
      ], { allowed: allow.split(', ') }));
    }
    return sendProblem(reply, problem(404, `no operation of the spec matches ${request.method} ${path}`, [
      { in: 'path', pointer: '', message: 'unknown path' },
    ]));
  });

  app.addHook('onResponse', async (request, reply) => {
    // One line per request; never headers or query values, which may carry credentials.
    request.log.info(
      { method: request.method, path: request.url.split('?')[0], status: reply.statusCode, scenario: (reply as unknown as Record<symbol, unknown>)[scenarioKey] ?? reply.getHeader('iwkit-scenario'), ms: Math.round(reply.elapsedTime * 10) / 10 },
      'request',
    );
  });

  for (const { op, route } of compiled) {
    const { schema, complete } = routeSchema(op);
    app.route({
      method: op.operation.method.toUpperCase(),
      url: route.url,
      schema,
      attachValidation: true,
      // Lets the mock's own errors on this route follow the operation's declared error responses.
      config: { iwkit: { op, now: runtime.now } },
      validatorCompiler: routeValidatorCompiler(op, route),
      handler: createOperationHandler(op, route, runtime, complete),
    });
  }

  app.decorate('iwkitApi', api);
  return app;
}
