import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { toolkitError } from '../errors.js';
import type { CompiledOperation } from '../mock/compile-operation.js';
import { notFoundProblem, problem, unservedProblem } from '../mock/problem.js';
import { buildRouteTable, type RouteTable, type TableRoute } from '../mock/route-table.js';
import type { UnservedOperation } from '../openapi/api-model.js';
import { joinPointer } from '../openapi/json-pointer.js';
import { findRequestBody } from '../mock/request-body.js';
import { createOperationHandler, type MockRuntime } from './handle-operation.js';
import { routePathOf, slotKeys, type RoutePath } from './route-path.js';
import { registerMultipart } from './register-body-parsers.js';
import { routeSchema, routeValidatorCompiler } from './route-validator.js';
import { sendProblem } from './send-problem.js';
import { routeConfig } from './mock-server.js';

// The adapter side of the route table: one Fastify route per table route. A route whose only operation takes its
// params straight from the router is the operation's own handler (the fast path); any other asks the table.

/** Answers a request no route takes: 405 with Allow when the path has other methods, OPTIONS 204, else 404. */
export function createUnroutedHandler(table: RouteTable) {
  return function answerUnrouted(request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const path = request.url.split('?')[0];
    const declared = table.allowedMethods(path);
    if (declared.length === 0) return sendProblem(reply, notFoundProblem(request.method, path));
    const allowed = new Set([...declared, ...(declared.includes('GET') ? ['HEAD'] : []), 'OPTIONS']);
    const allow = [...allowed].join(', ');
    reply.header('allow', allow);
    // OPTIONS asks which methods a path has (RFC 9110); CORS preflights were answered before this.
    if (request.method === 'OPTIONS') return reply.code(204).send();
    return sendProblem(reply, problem(405, `${request.method} is not allowed on ${path}; allowed: ${allow}`, [
      { in: 'request', pointer: '', message: `method ${request.method} is not declared for this path` },
    ], { allowed: [...allowed] }));
  };
}

/**
 * Wraps the unrouted handler: a request to an operation the spec declares but the mock left out (lenient loading)
 * gets a 501 problem saying why, not a 404 that would suggest the path is unknown.
 */
export function createUnservedHandler(unserved: UnservedOperation[], basePaths: string[], fallback: ReturnType<typeof createUnroutedHandler>) {
  const tables = unserved.map((u) => ({ u, table: buildRouteTable([{ method: u.method, path: u.path, parameters: [] }], { basePaths }) }));
  return function answerUnserved(request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const path = request.url.split('?')[0];
    const hit = tables.find(({ table }) => table.allowedMethods(path).includes(request.method));
    return hit ? sendProblem(reply, unservedProblem(request.method, path, hit.u.reason)) : fallback(request, reply);
  };
}

/** Params keyed by the spec's names already: what the table hands a chosen operation. */
const byName: RoutePath = { url: '', names: new Map() };

function dispatcher(table: RouteTable, route: TableRoute, operations: CompiledOperation[], runtime: MockRuntime, unrouted: ReturnType<typeof createUnroutedHandler>): RouteHandlerMethod {
  const keys = slotKeys(route.shape);
  const handlers = route.candidates.map((c) => createOperationHandler(operations[c.operation], byName, runtime, false));
  return function chooseOperation(request, reply) {
    const params = (request.params ?? {}) as Record<string, string | undefined>;
    const choice = table.choose(route, keys.map((k) => params[k] ?? ''), (request.query ?? {}) as Record<string, unknown>);
    if (!choice) return unrouted(request, reply);
    request.params = choice.params;
    return handlers[choice.index](request, reply);
  };
}

type RouteContext = { table: RouteTable; operations: CompiledOperation[]; runtime: MockRuntime; source?: string; warnings: string[] };

/** True when some operation of the route takes a multipart body (what `registerMultipart` would read for it). */
function takesMultipart(route: TableRoute, operations: CompiledOperation[]): boolean {
  return route.candidates.some((c) => findRequestBody(operations[c.operation].bodies, 'multipart/form-data') !== undefined);
}

/**
 * Registers every route of the table; those taking multipart in a scope of their own with the multipart
 * parser. A clash with one of the mock's own routes (docs, admin) skips the operation with a warning;
 * any other refusal by Fastify becomes a coded toolkit error naming the operation.
 */
export async function registerOperationRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const unrouted = createUnroutedHandler(context.table);
  const multipartRoutes = context.table.routes.filter((route) => takesMultipart(route, context.operations));
  for (const route of context.table.routes) if (!multipartRoutes.includes(route)) registerRoute(app, route, context, unrouted);
  if (multipartRoutes.length === 0) return;
  await app.register(async (scope) => {
    await registerMultipart(scope);
    for (const route of multipartRoutes) registerRoute(scope, route, context, unrouted);
  });
}

function registerRoute(app: FastifyInstance, route: TableRoute, context: RouteContext, unrouted: ReturnType<typeof createUnroutedHandler>): void {
  const { table, operations, runtime } = context;
  const first = operations[route.candidates[0].operation];
  const routePath = routePathOf(route);
  const common = {
    method: route.method,
    url: routePath.url,
    // Fastify answers HEAD from GET unless the spec declares its own HEAD on this path.
    exposeHeadRoute: !route.headDeclared,
    // Lets the mock's own errors on this route follow the operation's declared error responses.
    config: routeConfig({ op: first, now: runtime.now }),
  };
  const at = joinPointer('#/paths', first.operation.path, first.operation.method);
  try {
    if (route.direct) {
      const { schema, complete } = routeSchema(first);
      app.route({
        ...common,
        schema,
        attachValidation: true,
        validatorCompiler: routeValidatorCompiler(first, routePath),
        handler: createOperationHandler(first, routePath, runtime, complete),
      });
    } else {
      app.route({ ...common, handler: dispatcher(table, route, operations, runtime, unrouted) });
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    if (code === 'FST_ERR_DUPLICATED_ROUTE') {
      const warning = `${at}: not served: the mock's own ${route.method} ${routePath.url} takes this path`;
      if (route.declared && !context.warnings.includes(warning)) context.warnings.push(warning);
      return;
    }
    throw toolkitError('IWKIT_ERR_SPEC_INVALID', `${context.source ?? '<document>'}${at}`, `cannot serve ${route.method} ${first.operation.path}: ${message}`);
  }
}
