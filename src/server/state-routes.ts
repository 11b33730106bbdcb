import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { StateLimitError, StateUnavailableError } from '../state/state-store.js';
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

/** Answers a store failure: 503 naming an unreachable store (Retry-After: 1), 507 for a full one. */
export function storeFailure(reply: FastifyReply, error: unknown): FastifyReply {
  // Anything else is the mock's own failure: the admin API's error handler answers it.
  if (!(error instanceof StateUnavailableError || error instanceof StateLimitError)) throw error;
  const body = storeProblem(error);
  if (body.status === 503) reply.header('retry-after', '1');
  return sendProblem(reply, body);
}

/** Runs a store call; an unreachable store answers 503 naming it, as the mock's own routes do. */
export async function guarded<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T | FastifyReply> {
  try {
    return await work();
  } catch (error) {
    return storeFailure(reply, error);
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
