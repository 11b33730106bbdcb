import type { ProxyServer } from '../../src/proxy/create-proxy-server.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createProxyServer, type ProxyServerOptions } from '../../src/proxy/create-proxy-server.js';
import type { Violation } from '../../src/proxy/violation.js';
import { json, startUpstream, type TestUpstream } from './upstreams.js';

// A small contract with every part the runner's checks look at: a path parameter, a credential, a
// required response header and a body schema.
const spec = {
  openapi: '3.1.0',
  info: { title: 'items', version: '1' },
  components: { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'x-api-key' } } },
  security: [{ key: [] }],
  paths: {
    '/items/{id}': {
      get: {
        operationId: 'getItem',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: {
          '200': {
            description: 'the item',
            headers: { 'X-Rate-Limit': { required: true, schema: { type: 'integer' } } },
            content: { 'application/json': { schema: { type: 'object', required: ['id', 'name'], properties: { id: { type: 'integer' }, name: { type: 'string' } } } } },
          },
          '404': { description: 'no such item', content: { 'application/json': { schema: { type: 'object' } } } },
        },
      },
    },
  },
};

const key = 'key-8c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f';
type Behaviour = 'good' | 'status' | 'content-type' | 'schema' | 'headers' | 'server-error';

function answer(behaviour: Behaviour) {
  return (_req: unknown, res: import('node:http').ServerResponse): void => {
    const item = { id: 1, name: 'lamp' };
    if (behaviour === 'status') return json(res, 418, item, { 'x-rate-limit': '10' });
    if (behaviour === 'content-type') {
      res.writeHead(200, { 'content-type': 'text/plain', 'x-rate-limit': '10' });
      return void res.end('lamp');
    }
    if (behaviour === 'schema') return json(res, 200, { id: 'one' }, { 'x-rate-limit': '10' });
    if (behaviour === 'headers') return json(res, 200, item);
    if (behaviour === 'server-error') return json(res, 500, { error: 'boom' });
    return json(res, 200, item, { 'x-rate-limit': '10' });
  };
}

const opened: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  while (opened.length > 0) await opened.pop()!.close();
});

async function setup(behaviour: Behaviour, options: Partial<ProxyServerOptions> = {}): Promise<{ app: ProxyServer; url: string; up: TestUpstream; seen: Violation[] }> {
  const up = await startUpstream(answer(behaviour));
  opened.push(up);
  const seen: Violation[] = [];
  const app = await createProxyServer({ upstream: up.url, spec, onViolation: (v) => seen.push(v), ...options });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  opened.push(app);
  return { app, url, up, seen };
}

const get = (url: string, path = '/items/1', headers: Record<string, string> = { 'x-api-key': key }) => fetch(`${url}${path}`, { headers });

describe('proxy violations', () => {
  it.each([
    ['status', 'status-code-conformance', 'status'],
    ['content-type', 'content-type-conformance', 'content-type'],
    ['schema', 'response-schema-conformance', 'schema'],
    ['headers', 'response-headers-conformance', 'headers'],
    ['server-error', 'not-a-server-error', 'server-error'],
  ] as const)('flags an upstream answer that breaks the %s rule with the contract runner\'s %s check', async (behaviour, check, code) => {
    const { app, url, seen } = await setup(behaviour);
    const res = await get(url);
    const header = res.headers.get('iwkit-violations');
    expect(header).toMatch(/^\d+ /);
    expect(header!.split(' ')[1].split(',')).toContain(code);
    const violation = app.violations().find((v) => v.check === check);
    expect(violation).toMatchObject({ check, operationId: 'getItem', method: 'GET', path: '/items/1', severity: 'error' });
    expect(violation!.curl).toContain('curl --request GET');
    expect(violation!.curl).not.toContain(key);
    expect(seen.some((v) => v.check === check)).toBe(true);
  });

  it('passes the upstream answer through unchanged even when it breaks the contract', async () => {
    const { url } = await setup('schema');
    const res = await get(url);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 'one' });
  });

  it('flags an accepted request without credential as ignored-auth, and an accepted invalid one as negative-data-rejection', async () => {
    const { app, url } = await setup('good');
    await get(url, '/items/1', {});
    await get(url, '/items/abc');
    const checks = app.violations().map((v) => v.check);
    expect(checks).toContain('ignored-auth');
    expect(checks).toContain('negative-data-rejection');
    expect(checks).toContain('request-validation');
  });

  it('reports no violation for a conforming exchange', async () => {
    const { app, url } = await setup('good');
    const res = await get(url);
    expect(res.headers.get('iwkit-violations')).toBeNull();
    expect(app.violations()).toEqual([]);
  });

  it('forwards a request to an undocumented path in report mode and flags it as undocumented', async () => {
    const { app, url, up } = await setup('good');
    const res = await get(url, '/nowhere');
    expect(res.status).toBe(200);
    expect(up.seen).toHaveLength(1);
    expect(res.headers.get('iwkit-violations')).toBe('1 undocumented');
    expect(app.violations()[0]).toMatchObject({ check: 'undocumented-request', path: '/nowhere' });
  });

  it('in enforce mode answers invalid requests with the mock\'s own 401, 400 and 404 problems and does not forward them', async () => {
    const { url, up } = await setup('good', { mode: 'enforce' });
    const missing = await get(url, '/items/1', {});
    expect(missing.status).toBe(401);
    const invalid = await get(url, '/items/abc');
    expect(invalid.status).toBe(400);
    const problem = await invalid.json();
    expect(problem.errors[0]).toMatchObject({ in: 'path' });
    const undocumented = await get(url, '/nowhere');
    expect(undocumented.status).toBe(404);
    expect(up.seen).toHaveLength(0);
    const valid = await get(url);
    expect(valid.status).toBe(200);
    expect(up.seen).toHaveLength(1);
  });

  it('keeps at most journalSize violations and serves them at GET /__iwkit/violations with --admin', async () => {
    const { url } = await setup('schema', { journalSize: 2, admin: true });
    for (let i = 0; i < 3; i++) await get(url);
    const journal = await (await fetch(`${url}/__iwkit/violations`)).json();
    expect(journal.violations).toHaveLength(2);
    // Each answer breaks the schema twice (id's type, the missing name).
    expect(journal.total).toBe(6);
    expect(journal.dropped).toBe(4);
  });

  it('guards the violations journal like the mock admin API: no pages, no foreign Host, the token when one is set', async () => {
    const open = await setup('schema', { admin: true });
    const fromPage = await open.app.inject({ method: 'GET', url: '/__iwkit/violations', headers: { origin: 'http://evil.example' } });
    expect(fromPage.statusCode).toBe(403);
    const rebound = await open.app.inject({ method: 'GET', url: '/__iwkit/violations', headers: { host: 'attacker.example:4010' } });
    expect(rebound.statusCode).toBe(403);
    const locked = await setup('schema', { admin: true, adminToken: 'admin-secret' });
    expect((await fetch(`${locked.url}/__iwkit/violations`)).status).toBe(401);
    const allowed = await fetch(`${locked.url}/__iwkit/violations`, { headers: { authorization: 'Bearer admin-secret' } });
    expect(allowed.status).toBe(200);
  });

  it('summarises the run in the contract runner\'s result shape for its reporters', async () => {
    const { app, url } = await setup('schema');
    await get(url);
    const result = app.proxyResult();
    expect(result.ok).toBe(false);
    expect(result.operations[0]).toMatchObject({ operationId: 'getItem', cases: 1 });
    expect(result.outcomes[0].results.some((r) => r.check === 'response-schema-conformance' && r.status === 'failed')).toBe(true);
  });
});
