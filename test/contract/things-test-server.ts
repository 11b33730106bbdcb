import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

// A stateful server for test/specs/things-3.1.yaml that can break one flow in one way.

/** How the things server misbehaves. */
export type ThingsFault = 'none' | 'created-404' | 'deleted-still-200' | 'update-ignored' | 'session-dies';

interface Thing {
  id: number;
  name: string;
  color: string;
}

function send(res: http.ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function readThing(body: unknown): Omit<Thing, 'id'> | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const { name, color } = body as Record<string, unknown>;
  if (typeof name !== 'string' || name.length < 1 || name.length > 40) return undefined;
  if (typeof color !== 'string' || !['red', 'green', 'blue'].includes(color)) return undefined;
  return { name, color };
}

/** Starts the things server on 127.0.0.1 port 0; the tokens it issued are listed for the redaction checks. */
export async function startThingsServer(fault: ThingsFault): Promise<{ baseUrl: string; issued: () => string[]; close: () => Promise<void> }> {
  const sessions = new Map<string, number>();
  const issued: string[] = [];
  const things = new Map<number, Thing>();
  let nextId = 1;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const hasJson = (req.headers['content-type'] ?? '').startsWith('application/json');
      const parse = (): { ok: true; value: unknown } | { ok: false } => {
        try {
          return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
        } catch {
          return { ok: false };
        }
      };
      if (req.method === 'POST' && path === '/login') {
        const body = hasJson ? parse() : { ok: false as const };
        const user = body.ok && body.value !== null && typeof body.value === 'object' ? (body.value as { user?: unknown }).user : undefined;
        if (typeof user !== 'string' || user.length < 1 || user.length > 40) return send(res, 400, { error: 'user required' });
        const token = `tok-${randomBytes(12).toString('hex')}`;
        sessions.set(token, fault === 'session-dies' ? 0 : Number.POSITIVE_INFINITY);
        issued.push(token);
        return send(res, 200, { token });
      }
      const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      const left = token === undefined ? undefined : sessions.get(token);
      if (left === undefined || left <= 0) return send(res, 401, { error: 'no session' });
      sessions.set(token!, left - 1);
      if (path === '/things' && req.method === 'POST') {
        if (!hasJson) return send(res, 400, { error: 'json only' });
        const body = parse();
        const fields = body.ok ? readThing(body.value) : undefined;
        if (!fields) return send(res, 400, { error: 'invalid thing' });
        const thing = { id: nextId++, ...fields };
        things.set(thing.id, thing);
        return send(res, 201, thing, { location: `/things/${thing.id}` });
      }
      const m = /^\/things\/([^/]+)$/.exec(path);
      if (!m) return send(res, 404, { error: 'not found' });
      if (!/^[1-9]\d*$/.test(m[1])) return send(res, 400, { error: 'bad id' });
      const id = Number(m[1]);
      const thing = things.get(id);
      if (req.method === 'GET') {
        if (!thing || fault === 'created-404') return send(res, 404, { error: 'no such thing' });
        return send(res, 200, thing);
      }
      if (req.method === 'PUT') {
        if (!hasJson) return send(res, 400, { error: 'json only' });
        const body = parse();
        const fields = body.ok ? readThing(body.value) : undefined;
        if (!fields) return send(res, 400, { error: 'invalid thing' });
        if (!thing) return send(res, 404, { error: 'no such thing' });
        if (fault === 'update-ignored') return send(res, 200, thing);
        const updated = { id, ...fields };
        things.set(id, updated);
        return send(res, 200, updated);
      }
      if (req.method === 'DELETE') {
        if (!thing) return send(res, 404, { error: 'no such thing' });
        if (fault !== 'deleted-still-200') things.delete(id);
        return send(res, 204);
      }
      return send(res, 405, { error: 'method not allowed' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    issued: () => [...issued],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
