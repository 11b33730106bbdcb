import { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OutgoingHttpHeaders } from 'node:http';

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
