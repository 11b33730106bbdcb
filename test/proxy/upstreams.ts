import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { session as loginSession } from '../contract/login-test-server.js';

/** A request as the upstream saw it. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** An upstream the test starts on 127.0.0.1; `answer` decides each response. */
export interface TestUpstream {
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

type Answer = (request: SeenRequest, res: http.ServerResponse) => void;

/** Starts an HTTP (or, with a key and certificate, HTTPS) upstream. */
export async function startUpstream(answer: Answer, tls?: { key: string; cert: string }): Promise<TestUpstream> {
  const seen: SeenRequest[] = [];
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(request);
      answer(request, res);
    });
  };
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    }),
  };
}

/** Sends a JSON answer. */
export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** A conforming session body for the login contract (the contract runner's test session, with its own session id). */
export function session(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...loginSession(), sessionid: 'sess-7d1f0c2a9be34a56b1e0f7c3d2a1b9e8', ...overrides };
}

/** The login path of the contract. */
export const loginPath = '/api/opendata/instagram/login';

/** A raw HTTP/1.1 exchange over one socket, for request targets fetch() will not send. */
export async function rawRequest(port: number, text: string): Promise<string> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    let out = '';
    socket.on('data', (c) => (out += c.toString('latin1')));
    socket.on('end', () => resolve(out));
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
    setTimeout(() => socket.destroy(), 5000).unref();
  });
}
