import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from 'fastify';
import { isToolkitError } from '../errors.js';
import type { JournalFilter } from '../mock/journal.js';
import type { RulePath, RulesError } from '../mock/compile-rules.js';
import { limitProblem } from '../mock/limits.js';
import type { OverrideLimitError } from '../mock/overrides.js';
import { problem, problemContentType, type Problem } from '../mock/problem.js';
import { clientHeader } from './handle-operation.js';
import { adminGuard, notFound, type AdminOptions } from './admin-guard.js';
import { journalControls, overrideControls, type MockControls } from './mock-controls.js';
import { sendProblem } from './send-problem.js';
import { guarded, registerStateRoutes, storeFailure } from './state-routes.js';
import { scopeOf } from '../mock/state-answer.js';

/** Where the run-time control API lives. */
export const adminPrefix = '/__iwkit';

function clientOf(request: FastifyRequest): string | undefined {
  const value = request.headers[clientHeader];
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  return text ? text : undefined;
}

/** An RFC 6901 pointer for a path inside an override. */
function pointerOf(path: RulePath): string {
  return path.map((t) => `/${String(t).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** The problem for an override the mock does not take: every issue with its pointer, or the limit it would pass. */
function overrideProblem(error: RulesError | OverrideLimitError): Problem {
  if (error.code === 'IWKIT_ERR_OVERRIDE_LIMIT') {
    const { limit, status } = error as OverrideLimitError;
    return { ...limitProblem(status, limit.name, limit.value, error.message, { in: 'body', pointer: '' }), code: error.code };
  }
  const issues = (error as RulesError).issues ?? [{ path: [], message: error.message }];
  return problem(400, error.message, issues.map((i) => ({ in: 'body', pointer: pointerOf(i.path), message: i.message })), { code: error.code });
}

/** Anything an admin route cannot do or serialise is still a problem+json, never a 500 in Fastify's shape. */
function adminErrorProblem(error: { message?: string }): Problem {
  const detail = `the admin API could not answer this request: ${error.message ?? 'unknown error'}`;
  return problem(500, detail, [{ in: 'request', pointer: '', message: detail }]);
}


/**
 * Serves the run-time control API under /__iwkit/: overrides, fixtures, rules, journal. Never with CORS
 * (a web page must not steer or read the mock), and never on a non-loopback address without a token.
 */
export async function registerAdminRoutes(app: FastifyInstance, controls: MockControls, options: AdminOptions): Promise<void> {
  await app.register(async (admin) => {
    admin.setErrorHandler((error: { statusCode?: number; message?: string }, request, reply) => {
      // Client errors (a malformed body, say) get the mock's usual problem from the app's handler.
      if (error.statusCode !== undefined && error.statusCode < 500) throw error;
      request.log.error({ err: error }, 'iwkit admin API failed to answer');
      const body = adminErrorProblem(error);
      return reply.code(body.status).header('content-type', problemContentType).send(JSON.stringify(body));
    });
    admin.addHook('onRequest', adminGuard(app, options));
    const config = { cors: false } as FastifyContextConfig;
    // Browser preflights to the admin API fail, so no page can send it a non-simple request.
    admin.options('/*', { config }, async (request, reply) => notFound(request, reply));
    registerListingRoutes(admin, controls, config);
    registerOverrideRoutes(admin, controls, config);
    registerJournalRoutes(admin, controls, config);
    registerStateRoutes(admin, controls.state, config);
  }, { prefix: adminPrefix });
}

/** What the API serves, and the fixtures and rules the mock holds (read-only). */
function registerListingRoutes(admin: FastifyInstance, controls: MockControls, config: FastifyContextConfig): void {
  admin.get('/', { config }, async () => ({
    endpoints: [
      'GET /__iwkit/fixtures', 'GET /__iwkit/rules',
      'GET /__iwkit/overrides', 'POST /__iwkit/overrides', 'DELETE /__iwkit/overrides', 'DELETE /__iwkit/overrides/:id',
      'GET /__iwkit/journal', 'DELETE /__iwkit/journal', 'POST /__iwkit/reset',
      'DELETE /__iwkit/state', 'DELETE /__iwkit/state/sessions/:id', 'POST /__iwkit/state/sessions/:id/expire',
    ],
  }));

  admin.get('/fixtures', { config }, async () => ({
    operations: controls.operations.map((op) => ({
      operationId: op.operation.operationId,
      method: op.operation.method.toUpperCase(),
      path: op.operation.path,
      defaultStatus: op.defaultStatus,
      statuses: op.responses.map((r) => r.spec.status),
      fixtures: [...op.fixtures.values()].map((f) => ({ name: f.name, status: f.status ?? op.defaultStatus, ...(f.summary ? { summary: f.summary } : {}) })),
      examples: op.responses.flatMap((r) => r.media.flatMap((m) => [...m.examples.keys()].map((name) => ({ status: r.spec.status, contentType: m.contentType, name })))),
    })),
  }));

  admin.get('/rules', { config }, async () => ({
    file: controls.rulesFile ?? null,
    rules: controls.rules.rules.map((r) => ({
      name: r.name,
      ...(r.operationId !== undefined ? { operationId: r.operationId } : {}),
      ...(r.times !== undefined ? { remaining: r.times - r.used } : {}),
      definition: r.definition,
    })),
  }));
}

/** Run-time overrides: list, add, remove one, remove all (each for the caller's client). */
function registerOverrideRoutes(admin: FastifyInstance, controls: MockControls, config: FastifyContextConfig): void {
  const overrides = overrideControls(controls);
  admin.get('/overrides', { config }, async (request, reply) => guarded(reply, async () => ({ overrides: await overrides.list(clientOf(request)) })));

  admin.post('/overrides', { config }, async (request, reply) => {
    const type = String(request.headers['content-type'] ?? '');
    if (!/^application\/([\w.+-]+\+)?json/i.test(type) || typeof request.body !== 'object' || request.body === null) {
      return sendProblem(reply, problem(415, 'an override is a JSON object sent as application/json', [{ in: 'header', pointer: '/content-type', message: 'expected application/json' }]));
    }
    try {
      const override = await overrides.add(request.body, clientOf(request));
      return reply.code(201).send({ override });
    } catch (error) {
      if (!isToolkitError(error)) return storeFailure(reply, error);
      return sendProblem(reply, overrideProblem(error as RulesError | OverrideLimitError));
    }
  });

  admin.delete('/overrides', { config }, async (request, reply) => guarded(reply, async () => ({ removed: await overrides.clear({ client: clientOf(request) }) })));

  admin.delete<{ Params: { id: string } }>('/overrides/:id', { config }, async (request, reply) => {
    const removed = await guarded(reply, () => overrides.remove(request.params.id, { client: clientOf(request) }));
    if (removed === true) return reply.code(204).send();
    if (removed !== false) return removed;
    return sendProblem(reply, problem(404, `no override "${request.params.id}" for this client`, [{ in: 'path', pointer: '/id', message: 'unknown override' }]));
  });
}

/** The journal entries a request asks for: its own client's unless `?client=*`, by operationId, the last `limit`. */
function journalFilter(request: FastifyRequest): JournalFilter | undefined {
    const q = (request.query ?? {}) as Record<string, string | undefined>;
    const client = q.client === '*' ? undefined : (q.client ?? clientOf(request) ?? null);
    const limit = q.limit !== undefined && /^\d{1,6}$/.test(q.limit) ? Number(q.limit) : undefined;
    return { client, ...(q.operationId ? { operationId: q.operationId } : {}), ...(limit !== undefined ? { limit } : {}) };
}

/** The journal (read and clear) and the reset of overrides, journal, rule uses and state. */
function registerJournalRoutes(admin: FastifyInstance, controls: MockControls, config: FastifyContextConfig): void {
  const overrides = overrideControls(controls);
  const journal = journalControls(controls);
  admin.get('/journal', { config }, async (request, reply) => {
    if (!journal) return sendProblem(reply, problem(404, 'the journal is off for this mock', [{ in: 'path', pointer: '', message: 'no journal' }]));
    // The journal keeps its entries as JSON text: the answer is their concatenation, never re-serialised.
    const { capacity, maxBytes } = journal;
    return guarded(reply, async () => reply.type('application/json; charset=utf-8').send(`{"capacity":${capacity},"maxBytes":${maxBytes},"entries":${await journal.listText(journalFilter(request))}}`));
  });

  admin.delete('/journal', { config }, async (request, reply) => {
    const { limit: _ignored, ...filter } = journalFilter(request) ?? {};
    return guarded(reply, async () => ({ removed: (await journal?.clear(filter)) ?? 0 }));
  });

  admin.post('/reset', { config }, async (request, reply) => {
    const client = clientOf(request);
    return guarded(reply, async () => {
      const removed = await overrides.clear({ client });
      const entries = (await journal?.clear({ client: client ?? null })) ?? 0;
      // Rules belong to everyone: only a reset without a client id gives them their uses back.
      if (client === undefined) controls.rules.resetUses();
      await controls.state?.store.clear(client === undefined ? undefined : scopeOf(client));
      return { overrides: removed, journal: entries, rulesReset: client === undefined, ...(controls.state ? { stateCleared: true } : {}) };
    });
  });
}
