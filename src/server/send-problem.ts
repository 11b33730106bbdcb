import type { FastifyReply } from 'fastify';
import { problemContentType, type Problem } from '../mock/problem.js';

/** Sends an RFC 9457 problem with its status, labelled as the mock's own error. */
export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply
    .code(body.status)
    .header('content-type', problemContentType)
    .header('iwkit-scenario', `problem:${body.status}`)
    .send(JSON.stringify(body));
}
