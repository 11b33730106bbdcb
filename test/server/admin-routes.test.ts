import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src/openapi/api-model.js';
import { loadApi } from '../../src/openapi/load-api.js';
import { createMockServer } from '../../src/server/create-mock-server.js';
import { LOGIN, listenLocal, postLogin } from './scripting-helpers.js';

let api: Api;
beforeAll(async () => {
  api = await loadApi('schema/openapi.yaml');
});

function admin(base: string, method: string, path: string, options: { client?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.client) headers['iwkit-client'] = options.client;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${base}/__iwkit${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
}

describe('the admin API', () => {
  let app: FastifyInstance;
  let base: string;
  beforeAll(async () => {
    app = await createMockServer({ spec: api, fixturesDir: 'fixtures', scenarios: false, seed: 1, admin: true });
    base = await listenLocal(app);
  });
  afterAll(() => app.close());

  it('refuses requests from web pages and from non-loopback host names, so neither a page nor DNS rebinding can steer it', async () => {
    const fromPage = await app.inject({ method: 'POST', url: '/__iwkit/reset', headers: { origin: 'http://evil.example' } });
    expect(fromPage.statusCode).toBe(403);
    expect(fromPage.json().errors[0]).toMatchObject({ in: 'header', pointer: '/origin' });
    const rebound = await app.inject({ method: 'GET', url: '/__iwkit/journal', headers: { host: 'attacker.example:4010' } });
    expect(rebound.statusCode).toBe(403);
    const local = await app.inject({ method: 'GET', url: '/__iwkit/journal', headers: { host: '127.0.0.1:4010' } });
    expect(local.statusCode).toBe(200);
  });

  it('answers a malformed override body with the mock problem+json, not the Fastify error shape', async () => {
    const res = await app.inject({ method: 'POST', url: '/__iwkit/overrides', headers: { 'content-type': 'application/json' }, payload: '{"respond": ' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 400, errors: [{ in: 'body' }] });
  });

  it('sets an override for one request, then answers normally again', async () => {
    const set = await admin(base, 'POST', '/overrides', { body: { operationId: 'instagramLogin', respond: { status: 500 }, times: 1 } });
    expect(set.status).toBe(201);
    const { override } = await set.json();
    expect(override).toMatchObject({ id: expect.any(String), operationId: 'instagramLogin', remaining: 1 });
    expect((await postLogin(base, 'a')).status).toBe(500);
    expect((await postLogin(base, 'a')).status).toBe(200);
    expect((await (await admin(base, 'GET', '/overrides')).json()).overrides).toEqual([]);
  });

  it('keeps an override without times until it is reset, and lists it', async () => {
    await admin(base, 'POST', '/overrides', { body: { name: 'all-2fa', operationId: 'instagramLogin', respond: { fixture: 'missing-2fa' } } });
    for (let i = 0; i < 3; i++) expect((await postLogin(base, `x${i}`)).headers.get('iwkit-scenario')).toBe('override:all-2fa');
    const listed = (await (await admin(base, 'GET', '/overrides')).json()).overrides;
    expect(listed).toEqual([expect.objectContaining({ name: 'all-2fa' })]);
    expect(listed[0].remaining).toBeUndefined();
    expect(await (await admin(base, 'DELETE', '/overrides')).json()).toEqual({ removed: 1 });
    expect((await postLogin(base, 'x')).headers.get('iwkit-scenario')).toBe('fixture:default');
  });

  it('refuses an override naming an unknown fixture or field with a 400 problem carrying the coded message', async () => {
    const fixture = await admin(base, 'POST', '/overrides', { body: { operationId: 'instagramLogin', respond: { fixture: 'nope' } } });
    expect(fixture.status).toBe(400);
    const problem = await fixture.json();
    expect(problem.code).toBe('IWKIT_ERR_SCENARIO_INVALID');
    expect(problem.detail).toMatch(/respond\.fixture.*nope/);
    const field = await admin(base, 'POST', '/overrides', { body: { operationId: 'instagramLogin', match: { body: { '/data/cdoe': 'x' } }, respond: { status: 401 } } });
    expect((await field.json()).detail).toMatch(/no field \/data\/cdoe/);
    const notJson = await fetch(`${base}/__iwkit/overrides`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"respond":{"status":500}}' });
    expect(notJson.status).toBe(415);
  });

  it('scopes overrides to a client id, while unscoped ones reach every client', async () => {
    await admin(base, 'POST', '/overrides', { client: 'test-1', body: { operationId: 'instagramLogin', respond: { status: 503 } } });
    await admin(base, 'POST', '/overrides', { body: { operationId: 'instagramLogin', match: { body: { '/data/code': 'global' } }, respond: { fixture: 'vpn' } } });
    expect((await postLogin(base, 'c', { 'iwkit-client': 'test-1' })).status).toBe(503);
    expect((await postLogin(base, 'c', { 'iwkit-client': 'test-2' })).status).toBe(200);
    expect((await postLogin(base, 'c')).status).toBe(200);
    // A client that never sends the header still sees the override made without one; so do scoped clients.
    expect((await postLogin(base, 'global')).headers.get('iwkit-scenario')).toMatch(/^override:/);
    expect((await postLogin(base, 'global', { 'iwkit-client': 'test-2' })).headers.get('iwkit-scenario')).toMatch(/^override:/);

    expect((await (await admin(base, 'GET', '/overrides', { client: 'test-1' })).json()).overrides).toHaveLength(2);
    expect((await (await admin(base, 'GET', '/overrides', { client: 'test-2' })).json()).overrides).toHaveLength(1);
    expect((await (await admin(base, 'DELETE', '/overrides', { client: 'test-2' })).json()).removed).toBe(0);
    expect((await (await admin(base, 'POST', '/reset', { client: 'test-1' })).json()).overrides).toBe(1);
    expect((await postLogin(base, 'c', { 'iwkit-client': 'test-1' })).status).toBe(200);
    await admin(base, 'POST', '/reset');
    expect((await (await admin(base, 'GET', '/overrides', { client: 'test-1' })).json()).overrides).toEqual([]);
  });

  it('journals requests with secrets redacted, filterable by operationId and invisible to other clients', async () => {
    await admin(base, 'DELETE', '/journal?client=*');
    await postLogin(base, 'journal-me', { 'iwkit-client': 'run-a', authorization: 'Bearer very-secret', cookie: 'sid=also-secret' }, `${LOGIN}?iw-build-id=42`);
    await postLogin(base, 'other', { 'iwkit-client': 'run-b' });
    await postLogin(base, 'anonymous');
    await fetch(`${base}/no/such/path`, { headers: { 'iwkit-client': 'run-a' } });

    const a = (await (await admin(base, 'GET', '/journal', { client: 'run-a' })).json()).entries;
    expect(a).toHaveLength(2);
    expect(a[0]).toMatchObject({
      client: 'run-a', operationId: 'instagramLogin', method: 'POST', path: LOGIN, query: { 'iw-build-id': '42' },
      body: { data: { code: 'journal-me' } }, scenario: 'fixture:default', status: 200, time: expect.any(String),
    });
    expect(a[0].headers).toMatchObject({ 'x-session-token': '[redacted]', authorization: '[redacted]', cookie: '[redacted]', 'iwkit-client': 'run-a' });
    expect(JSON.stringify(a)).not.toMatch(/very-secret|also-secret|test-token-123/);
    expect(a[1]).toMatchObject({ path: '/no/such/path', status: 404 });

    const onlyLogin = (await (await admin(base, 'GET', '/journal?operationId=instagramLogin', { client: 'run-a' })).json()).entries;
    expect(onlyLogin).toHaveLength(1);
    const unscoped = (await (await admin(base, 'GET', '/journal')).json()).entries;
    expect(unscoped.map((e: { body: { data: { code: string } } }) => e.body.data.code)).toEqual(['anonymous']);
    expect((await (await admin(base, 'GET', '/journal?client=*')).json()).entries).toHaveLength(4);

    expect((await (await admin(base, 'DELETE', '/journal', { client: 'run-b' })).json()).removed).toBe(1);
    expect((await (await admin(base, 'GET', '/journal?client=*')).json()).entries).toHaveLength(3);
  });

  it('lists fixtures with their statuses and the spec examples', async () => {
    const { operations } = await (await admin(base, 'GET', '/fixtures')).json();
    expect(operations[0]).toMatchObject({ operationId: 'instagramLogin', method: 'POST', defaultStatus: 200, statuses: ['200'] });
    expect(operations[0].fixtures.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(['default', 'missing-2fa', 'invalid-session']));
    expect(operations[0].examples).toEqual([expect.objectContaining({ status: '200', name: 'default' })]);
  });

  it('fails browser preflights and sends no CORS headers, so no web page can steer the mock', async () => {
    const preflight = await fetch(`${base}/__iwkit/overrides`, { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.status).toBe(403);
    const read = await fetch(`${base}/__iwkit/journal`, { headers: { origin: 'http://evil.example' } });
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
    expect(read.status).toBe(403);
  });
});

describe('the admin guard', () => {
  it('is not served at all without the admin option', async () => {
    const app = await createMockServer({ spec: api, fixturesDir: false });
    const res = await app.inject({ method: 'GET', url: '/__iwkit/overrides' });
    expect(res.statusCode).toBe(404);
    await app.close();
  });

  it('is not served for a non-loopback host without a token, even to a loopback client', async () => {
    const app = await createMockServer({ spec: api, fixturesDir: false, admin: true, host: '0.0.0.0' });
    const base = await listenLocal(app);
    try {
      expect((await fetch(`${base}/__iwkit/overrides`)).status).toBe(404);
      expect((await fetch(`${base}/__iwkit/journal`)).status).toBe(404);
    } finally {
      await app.close();
    }
  });

  it('needs the admin token, by bearer or header, once one is set', async () => {
    const app = await createMockServer({ spec: api, fixturesDir: false, admin: true, host: '0.0.0.0', adminToken: 'admin-secret' });
    const base = await listenLocal(app);
    try {
      const none = await fetch(`${base}/__iwkit/overrides`);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await fetch(`${base}/__iwkit/overrides`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      expect((await fetch(`${base}/__iwkit/overrides`, { headers: { authorization: 'Bearer admin-secret' } })).status).toBe(200);
      expect((await fetch(`${base}/__iwkit/overrides`, { headers: { 'iwkit-admin-token': 'admin-secret' } })).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
