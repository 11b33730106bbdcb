import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { expireSession, invalidateSession } from '../mock/session-state.js';
import { scopeOf, storeProblem } from '../mock/state-answer.js';
import type { StateRuntime } from '../mock/state-runtime.js';
import { problem } from '../mock/problem.js';
import { clientHeader } from './handle-operation.js';
import { sendProblem } from './send-problem.js';

/** The scope an admin call means: its `iwkit-client` header, or the requests that sent none. */
function scopeOfRequest(request: FastifyRequest): string {
  const value = request.headers[clientHeader];
  return scopeOf((Array.isArray(value) ? value[0] : value)?.trim());
}

/** Runs a store call; an unreachable store answers 503 naming it, as the mock's own routes do. */
async function guarded(reply: FastifyReply, work: () => Promise<unknown>): Promise<unknown> {
  try {
    return await work();
  } catch (error) {
    const body = storeProblem(error);
    if (body.status === 503) reply.header('retry-after', '1');
    return sendProblem(reply, body);
  }
}

/** The admin API's state routes: clear state, end or expire a session (scoped by `iwkit-client`). */
export function registerStateRoutes(admin: FastifyInstance, state: StateRuntime | undefined, config: FastifyContextConfig): void {
  const off = (reply: FastifyReply) => sendProblem(reply, problem(404, 'state is off for this mock (start it with --stateful)', [{ in: 'path', pointer: '', message: 'no state' }]));
  const unknown = (reply: FastifyReply) => sendProblem(reply, problem(404, 'no such session for this client', [{ in: 'path', pointer: '/id', message: 'unknown session' }]));

  admin.delete('/state', { config }, async (request, reply) => {
    if (!state) return off(reply);
    const client = request.headers[clientHeader];
    return guarded(reply, async () => {
      await state.store.clear(client === undefined ? undefined : scopeOfRequest(request));
      return reply.code(204).send();
    });
  });

  admin.delete<{ Params: { id: string } }>('/state/sessions/:id', { config }, async (request, reply) => {
    if (!state) return off(reply);
    return guarded(reply, async () => ((await invalidateSession(state, scopeOfRequest(request), request.params.id)) ? reply.code(204).send() : unknown(reply)));
  });

  admin.post<{ Params: { id: string } }>('/state/sessions/:id/expire', { config }, async (request, reply) => {
    if (!state) return off(reply);
    return guarded(reply, async () => ((await expireSession(state, scopeOfRequest(request), request.params.id)) ? reply.code(204).send() : unknown(reply)));
  });
}
