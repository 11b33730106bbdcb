import type { FastifyReply } from 'fastify';
import { problemAnswer } from '../mock/problem-answer.js';
import { routeContext } from './mock-server.js';
import type { Problem } from '../mock/problem.js';
import { writeAnswer } from './write-answer.js';


/** Sends one of the mock's own errors, shaped by the core after the route's operation (see problemAnswer). */
export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return writeAnswer(reply, problemAnswer(body, routeContext(reply.request)));
}
