import { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OutgoingHttpHeaders } from 'node:http';
import type { MockAnswer } from '../mock/mock-answer.js';
import { browserRetries, retryKey, type FaultRetries, type PendingRetry } from './fault-retries.js';
import type { MockRuntime } from './mock-runtime.js';
import { logRequest } from './request-log.js';

// Transport faults need the real socket: the reply is hijacked so Fastify sends nothing itself.
// Under `inject()` there is no socket; the response is destroyed instead, which inject reports as a reset.

function realSocket(request: FastifyRequest): Socket | undefined {
  const socket = request.raw.socket;
  return socket instanceof Socket ? socket : undefined;
}

/** Resets the connection (TCP RST) without sending a byte. */
export function resetConnection(request: FastifyRequest, reply: FastifyReply): void {
  reply.hijack();
  const socket = realSocket(request);
  // The client may have gone during a delay: nothing left to reset.
  if (socket?.destroyed) return;
  if (socket && typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else if (socket) socket.destroy();
  else reply.raw.destroy();
}

/** Closes the connection cleanly (FIN) without sending a byte: an empty response. */
export function closeEmpty(request: FastifyRequest, reply: FastifyReply): void {
  reply.hijack();
  const socket = realSocket(request);
  if (socket?.destroyed) return;
  if (socket) socket.end(() => socket.destroy());
  else reply.raw.destroy();
}

/**
 * Drops the connection (reset or empty). On a connection that already carried an answer, a browser
 * would re-send the request silently: the mock remembers it so the re-send is dropped too (see
 * fault-retries.ts). `retriesLeft` is how many re-sends the browser may still make.
 */
export function dropConnection(request: FastifyRequest, reply: FastifyReply, fault: 'reset' | 'empty', label: string, retries?: FaultRetries, retriesLeft = browserRetries): void {
  const socket = realSocket(request);
  // bytesWritten > 0: earlier answers went out on this socket, so the client sees a reused connection.
  if (retries && socket && socket.bytesWritten > 0) retries.remember(retryKey(request), fault, label, retriesLeft);
  if (fault === 'reset') resetConnection(request, reply);
  else closeEmpty(request, reply);
}

/** Drops a browser's silent re-send of a request dropped on a reused connection, as the first try was. */
export function dropRetry(request: FastifyRequest, reply: FastifyReply, runtime: MockRuntime, retry: PendingRetry): void {
  runtime.recordFault?.(request, null, retry.label);
  logRequest(request, null, retry.label);
  dropConnection(request, reply, retry.fault, retry.label, runtime.faultRetries, retry.left - 1);
}

/** Sends the status and headers with the full Content-Length, then only the first half of the body, then closes. */
export function sendTruncated(request: FastifyRequest, reply: FastifyReply, status: number, headers: OutgoingHttpHeaders, payload: string): void {
  reply.hijack();
  const bytes = Buffer.from(payload, 'utf8');
  const res = reply.raw;
  // Headers set on the reply so far (CORS, iwkit-scenario) go out as well.
  const all = { ...reply.getHeaders(), ...headers, 'content-length': String(bytes.length), connection: 'close' } as OutgoingHttpHeaders;
  res.writeHead(status, all);
  const half = bytes.subarray(0, Math.floor(bytes.length / 2));
  const socket = realSocket(request);
  res.write(half, () => {
    if (socket) socket.destroy();
    else res.destroy();
  });
}

/** Carries out the fault of a core answer (reset, empty, truncated), journalling and logging it as Fastify's hooks would. */
export function applyFault(request: FastifyRequest, reply: FastifyReply, runtime: MockRuntime, answer: MockAnswer): void {
  const status = answer.fault === 'truncated' ? answer.status : null;
  runtime.recordFault?.(request, status, answer.scenario);
  logRequest(request, status, answer.scenario);
  if (answer.fault === 'truncated') return sendTruncated(request, reply, answer.status, answer.headers, typeof answer.body === 'string' ? answer.body : '');
  dropConnection(request, reply, answer.fault as 'reset' | 'empty', answer.scenario, runtime.faultRetries);
}
