import http from 'node:http';
import type { AddressInfo } from 'node:net';

// Small stand-ins for the IW-ERP login, each able to break the contract in one way.

/** The token the test servers accept. */
export const SERVER_TOKEN = 'test-server-token-5f2c9a71';

/** How a test server misbehaves. */
export type Fault =
  | 'none'
  | 'wrong-type'
  | 'bad-date-time'
  | 'null-object'
  | 'wrong-content-type'
  | 'server-error'
  | 'accepts-invalid'
  | 'ignores-auth'
  | 'slow'
  | 'garbage-json'
  | 'reset'
  | 'never-answers'
  | 'missing-property'
  | 'extra-property'
  | 'huge-body'
  | 'echo-secrets'
  | 'any-content-type';

/** A conforming session body, as the seed documents it. */
export function session(): Record<string, unknown> {
  return {
    id: 42,
    sessionid: '9f86d081884c7d659a2feaa0c55ad015',
    selectedcustomer: { id: 7, slackchannel: '#acme-support', displayname: 'Acme GmbH', deleted: false, created: '2025-01-02T10:00:00Z', updated: '2025-03-04T11:30:00Z' },
    start: '2025-05-04T09:42:00Z',
    refreshed_start: '2025-05-04T09:52:00Z',
    ip: '203.0.113.7',
    valid: true,
    is_api_key: false,
    is_dg: false,
    missing2fa: false,
    start_in_vpn: false,
    auth_by_credentials: false,
    auth_by_google: false,
    auth_by_microsoft: false,
    auth_by_cloudflare: false,
  };
}

function validLogin(body: unknown): boolean {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const data = (body as { data?: unknown }).data;
  if (data === undefined) return true;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return false;
  const d = data as Record<string, unknown>;
  if ('code' in d && typeof d.code !== 'string') return false;
  for (const key of ['type', 'client_id']) if (key in d && d[key] !== null && typeof d[key] !== 'string') return false;
  return true;
}

function send(res: http.ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Starts a login server on 127.0.0.1 port 0 with one fault; `close` stops it. */
export async function startLoginServer(fault: Fault): Promise<{ baseUrl: string; close: () => Promise<void>; requests: () => number }> {
  let count = 0;
  const server = http.createServer((req, res) => {
    count++;
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault === 'never-answers') return;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.method !== 'POST' || url.pathname !== '/api/opendata/instagram/login') return send(res, 404, { error: 'not found' });
      if (fault !== 'ignores-auth' && req.headers['x-session-token'] !== SERVER_TOKEN) return send(res, 401, { error: 'unauthorised' });
      if (fault !== 'accepts-invalid') {
        // 'any-content-type' reads JSON whatever the Content-Type says, as many real servers do.
        if (fault !== 'any-content-type' && !(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, { error: 'json only' });
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return send(res, 400, { error: 'malformed json' });
        }
        if (!validLogin(body)) return send(res, 400, { error: 'invalid body' });
      }
      const s = session();
      switch (fault) {
        case 'wrong-type':
          return send(res, 200, { ...s, id: '42' });
        case 'bad-date-time':
          return send(res, 200, { ...s, start: 'yesterday at noon' });
        case 'null-object':
          return send(res, 200, { ...s, selectedcustomer: null });
        case 'wrong-content-type':
          return send(res, 200, s, 'text/html; charset=utf-8');
        case 'server-error':
          return send(res, 500, { error: 'internal' });
        case 'slow':
          setTimeout(() => send(res, 200, s), 400);
          return;
        case 'garbage-json':
          return send(res, 200, '{"id": 42, "sessionid": "abc", "selectedcust');
        case 'missing-property': {
          const { ip: _ip, ...rest } = s;
          return send(res, 200, rest);
        }
        case 'extra-property':
          return send(res, 200, { ...s, internal_debug: 'x' });
        case 'huge-body':
          return send(res, 200, { ...s, padding: 'x'.repeat(64 * 1024) });
        case 'echo-secrets': {
          res.setHeader('set-cookie', `session=${SERVER_TOKEN}; HttpOnly`);
          res.setHeader('x-echo-token', SERVER_TOKEN);
          return send(res, 200, { ...s, id: 'broken', sessionid: SERVER_TOKEN, note: `you sent ${SERVER_TOKEN}` });
        }
        default:
          return send(res, 200, s);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
