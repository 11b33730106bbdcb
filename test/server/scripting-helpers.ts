import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';

/** The login path of the embedded contract. */
export const LOGIN = '/api/opendata/instagram/login';

/** Headers of a valid login (the token is a test value). */
export const loginHeaders = { 'x-session-token': 'test-token-123', 'content-type': 'application/json' };

/** Listens on 127.0.0.1, port 0, and returns the base URL. */
export async function listenLocal(app: FastifyInstance): Promise<string> {
  return app.listen({ port: 0, host: '127.0.0.1' });
}

/** POSTs a login with `data.code` over real HTTP. */
export function postLogin(base: string, code: string, headers: Record<string, string> = {}, path = LOGIN): Promise<Response> {
  return fetch(`${base}${path}`, { method: 'POST', headers: { ...loginHeaders, ...headers }, body: JSON.stringify({ data: { code } }) });
}

/** What a raw TCP client saw: the bytes received, whether the server ended cleanly, and the socket error code if any. */
export interface RawExchange {
  received: Buffer;
  ended: boolean;
  errorCode?: string;
}

/** Sends one login over a bare socket, so resets, empty replies and truncated bodies can be told apart. */
export function rawLogin(base: string, code: string): Promise<RawExchange> {
  const url = new URL(base);
  const body = JSON.stringify({ data: { code } });
  const text = [
    `POST ${LOGIN} HTTP/1.1`,
    `host: ${url.host}`,
    'x-session-token: test-token-123',
    'content-type: application/json',
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
    '',
    body,
  ].join('\r\n');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const result: RawExchange = { received: Buffer.alloc(0), ended: false };
    const socket = connect(Number(url.port), url.hostname, () => socket.write(text));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => (result.ended = true));
    socket.on('error', (error: NodeJS.ErrnoException) => (result.errorCode = error.code));
    socket.on('close', () => resolve({ ...result, received: Buffer.concat(chunks) }));
  });
}

/** Splits a raw HTTP/1.1 response into status, lower-case headers and body bytes. */
export function parseRawResponse(raw: Buffer): { status: number; headers: Record<string, string>; body: Buffer } {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(head[0].split(' ')[1]), headers, body: raw.subarray(end + 4) };
}
