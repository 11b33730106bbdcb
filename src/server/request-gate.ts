import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MockLimits } from '../mock/limits.js';
import { problem, type Problem } from '../mock/problem.js';
import { createBodyGate } from './body-gate.js';
import { answerOverCap, isOverCap } from './connection-limits.js';
import { sendProblem } from './send-problem.js';

// Every refusal that needs only the request line and headers, and the wait for a large body's place, in
// one callback hook: each hook Fastify runs costs every request, and most requests pass all of them.

const identityEncoding = /^\s*identity\s*$/i;

/** The 415 problem for a compressed (or otherwise encoded) request body: the mock reads bodies as sent. */
export function contentEncodingProblem(encoding: string): Problem {
  const shown = encoding.length > 60 ? `${encoding.slice(0, 60)}…` : encoding;
  const message = `Content-Encoding "${shown}" is not accepted; accepted: identity`;
  return problem(415, `the request body is sent with Content-Encoding "${shown}", which the mock does not decode; accepted: identity (no Content-Encoding)`, [{ in: 'header', pointer: '/content-encoding', message }], {
    accepted: ['identity'],
    hint: 'send the body uncompressed, without a Content-Encoding header',
  });
}

function refuseEncoding(reply: FastifyReply, encoding: string): void {
  // Refused before the body is read; the rest of the upload is not read either, so the connection closes.
  reply.header('accept-encoding', 'identity').header('connection', 'close');
  sendProblem(reply, contentEncodingProblem(encoding));
}

/**
 * Registers the gate: past `maxConnections` a 503; an HTTP/1.1 request without Host a 400 (Node's own
 * answer would be a bare 400); a Content-Encoding other than identity a 415 (Fastify does not decode
 * bodies); a large body waits for one of `maxLargeBodies` reading places.
 */
export function registerRequestGate(app: FastifyInstance, limits: MockLimits): void {
  const gateBody = createBodyGate(limits.maxLargeBodies);
  app.addHook('onRequest', (request, reply, done) => {
    if (isOverCap(request)) return answerOverCap(reply, limits);
    if (request.raw.httpVersion === '1.1' && !request.headers.host) {
      return void sendProblem(reply, problem(400, 'an HTTP/1.1 request needs a Host header', [{ in: 'header', pointer: '/host', message: 'missing' }]));
    }
    const encoding = request.headers['content-encoding'];
    if (encoding !== undefined && !identityEncoding.test(encoding)) return refuseEncoding(reply, encoding);
    gateBody(request, reply, done);
  });
}
