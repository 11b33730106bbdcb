import type { FastifyReply } from 'fastify';
import { problemAnswer, type ProblemContext } from '../mock/problem-answer.js';
import type { Problem } from '../mock/problem.js';
import { writeAnswer } from './write-answer.js';

/** Route config that lets a problem honour the operation's own declared error responses. */
export interface ProblemRouteConfig {
  iwkit?: ProblemContext;
}

declare module 'fastify' {
  interface FastifyContextConfig extends ProblemRouteConfig {}
}

/** Sends one of the mock's own errors, shaped by the core after the route's operation (see problemAnswer). */
export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  const context = (reply.request.routeOptions?.config as ProblemRouteConfig | undefined)?.iwkit;
  return writeAnswer(reply, problemAnswer(body, context));
}
