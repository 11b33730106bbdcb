import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { limitProblem, type MockLimits } from '../mock/limits.js';
import { problem, problemContentType, type Problem } from '../mock/problem.js';
import { sendProblem } from './send-problem.js';

// Connection-level bounds: what Node's HTTP server enforces (time-outs) and what it does not (a cap on
// open connections with an answer, an answer to CONNECT). The answers are problem+json like the rest.

/** The time-out limits of a mock. */
export type ConnectionLimits = Pick<MockLimits, 'maxConnections' | 'requestTimeout' | 'connectionTimeout' | 'keepAliveTimeout'>;

/** Marks a socket accepted past `maxConnections`: its first request gets a 503 and the socket closes. */
const overCapKey = Symbol('iwkit.overCap');

/** A connection past the cap that sends no request is closed after this long. */
const overCapGraceMs = 2000;

/** Node checks request and header time-outs on a timer: often enough that a time-out lands close to its value. */
function checkingInterval(requestTimeout: number): number {
  return Math.max(50, Math.min(1000, Math.floor(requestTimeout / 4)));
}

/** The Fastify server options for the time-outs (Fastify applies them to the server it creates). */
export function fastifyTimeouts(limits: ConnectionLimits): Pick<FastifyServerOptions, 'requestTimeout' | 'connectionTimeout' | 'keepAliveTimeout'> {
  return { requestTimeout: limits.requestTimeout, connectionTimeout: limits.connectionTimeout, keepAliveTimeout: limits.keepAliveTimeout };
}

/** The node:http server options for the time-outs: headers must arrive within the request time-out too. */
export function httpTimeouts(limits: ConnectionLimits): { requestTimeout: number; headersTimeout: number; connectionsCheckingInterval: number } {
  return { requestTimeout: limits.requestTimeout, headersTimeout: limits.requestTimeout, connectionsCheckingInterval: checkingInterval(limits.requestTimeout) };
}

function rawAnswer(body: Problem, extra = ''): string {
  const text = JSON.stringify(body);
  return `HTTP/1.1 ${body.status} ${STATUS_CODES[body.status]}\r\nconnection: close\r\ncontent-type: ${problemContentType}\r\n${extra}` +
    `iwkit-scenario: problem:${body.status}\r\ncontent-length: ${Buffer.byteLength(text)}\r\n\r\n${text}`;
}

/** Ends a socket after an answer without resetting it: what the client still sends is read and dropped. */
function endGently(socket: Socket, answer: string): void {
  socket.end(answer);
  socket.resume();
  setTimeout(() => socket.destroy(), overCapGraceMs).unref();
}

function answerConnect(request: IncomingMessage, socket: Socket): void {
  const detail = 'the mock is no proxy: CONNECT is not served';
  endGently(socket, rawAnswer(problem(405, detail, [{ in: 'request', pointer: '', message: `${request.method} ${request.url ?? ''}`.trim() }]), 'allow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS\r\n'));
}

/**
 * Bounds a node:http server that serves the mock: time-outs (also for a server Fastify did not create),
 * open connections (past the cap a connection's request gets a 503 problem), and an answer to CONNECT.
 */
export function limitConnections(server: Server, limits: ConnectionLimits): void {
  server.requestTimeout = limits.requestTimeout;
  server.headersTimeout = limits.requestTimeout;
  server.keepAliveTimeout = limits.keepAliveTimeout;
  server.setTimeout(limits.connectionTimeout);
  let open = 0;
  server.prependListener('connection', (socket: Socket & { [overCapKey]?: boolean }) => {
    open += 1;
    socket.once('close', () => (open -= 1));
    if (open <= limits.maxConnections) return;
    socket[overCapKey] = true;
    setTimeout(() => socket.destroy(), overCapGraceMs).unref();
  });
  server.on('connect', answerConnect);
}

/** True for a request that came on a connection accepted past `maxConnections`. */
export function isOverCap(request: FastifyRequest): boolean {
  return isSocketOverCap(request.raw.socket);
}

/** As isOverCap, for a connection's socket. */
export function isSocketOverCap(socket: Socket): boolean {
  return (socket as Socket & { [overCapKey]?: boolean })[overCapKey] === true;
}

/** Answers a request past `maxConnections` with a 503 problem, and closes its connection. */
export function answerOverCap(reply: FastifyReply, limits: ConnectionLimits): void {
  reply.header('connection', 'close').header('retry-after', '1');
  sendProblem(reply, limitProblem(503, 'maxConnections', limits.maxConnections, `${limits.maxConnections} connections are open already`));
}
