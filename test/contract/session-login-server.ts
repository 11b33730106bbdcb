import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { session } from './login-test-server.js';

// A stand-in for the IW-ERP login that only accepts sessions it issued itself: a login without a session
// needs the right code; every other call needs a live session. It echoes the session in headers, raw and
// base64, as a careless server might, so the tests can prove the runner scrubs it.

/** How the session server behaves. */
export interface SessionServerOptions {
  /** The code a login without a session must send in `data.code`. */
  code: string;
  /** Authenticated calls a session allows; 0: refused right after the login. Default: no limit. */
  sessionUses?: number;
}

/** A running session server. */
export interface SessionServer {
  baseUrl: string;
  /** Sessions issued so far. */
  logins(): number;
  /** Every session token issued. */
  issued(): string[];
  close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Starts the session server on 127.0.0.1 port 0. */
export async function startSessionServer(options: SessionServerOptions): Promise<SessionServer> {
  const live = new Map<string, number>();
  const issued: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://x').pathname !== '/api/opendata/instagram/login') return send(res, 404, { error: 'not found' });
      const presented = req.headers['x-session-token'];
      if (typeof presented === 'string') {
        const left = live.get(presented);
        if (left === undefined || left <= 0) return send(res, 401, { error: 'session unknown or expired' });
        live.set(presented, left - 1);
      }
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, { error: 'json only' });
      let body: { data?: { code?: unknown } } | undefined;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
      } catch {
        return send(res, 400, { error: 'malformed json' });
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body)) return send(res, 400, { error: 'invalid body' });
      const data = body.data;
      if (data !== undefined && (data === null || typeof data !== 'object' || Array.isArray(data))) return send(res, 400, { error: 'invalid body' });
      const d = (data ?? {}) as Record<string, unknown>;
      if (('code' in d && typeof d.code !== 'string') || ['type', 'client_id'].some((k) => k in d && d[k] !== null && typeof d[k] !== 'string')) {
        return send(res, 400, { error: 'invalid body' });
      }
      let token = typeof presented === 'string' ? presented : undefined;
      if (token === undefined) {
        if (d.code !== options.code) return send(res, 401, { error: 'wrong code' });
        token = `sess-${randomBytes(12).toString('hex')}`;
        live.set(token, options.sessionUses ?? Number.POSITIVE_INFINITY);
        issued.push(token);
      }
      send(res, 200, { ...session(), sessionid: token }, { 'x-trace': `session ${token}`, 'x-trace-b64': Buffer.from(token).toString('base64') });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    logins: () => issued.length,
    issued: () => [...issued],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
