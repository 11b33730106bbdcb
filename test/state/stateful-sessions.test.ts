import type { AddressInfo } from 'node:net';
import type { MockServer } from '../../src/server/mock-server.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createMockServer } from '../../src/server/create-mock-server.js';
import { independentValidator, responseSchemaPointer } from '../openapi/independent-validator.js';

const THINGS = 'test/specs/things-3.1.yaml';
const LOGIN = '/api/opendata/instagram/login';

async function listen(app: MockServer): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

async function send(url: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : undefined };
}

describe('stateful sessions', () => {
  let app: MockServer | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('runs login → token → expiry → 401 → login again over real HTTP, with the spec\'s own 401', async () => {
    app = await createMockServer({ spec: THINGS, stateful: true, seed: 3, admin: true });
    const base = await listen(app);
    const login = await send(`${base}/login`, { method: 'POST', body: { user: 'alice' } });
    expect(login.status).toBe(200);
    const auth = { authorization: `Bearer ${login.body.token}` };
    const created = await send(`${base}/things`, { method: 'POST', body: { name: 'lamp', color: 'red' }, headers: auth });
    expect(created.status).toBe(201);

    expect((await send(`${base}/things/${created.body.id}`, { headers: auth })).status).toBe(200);
    // A credential no login issued is refused, though any non-empty one passed before --stateful.
    expect((await send(`${base}/things/${created.body.id}`, { headers: { authorization: 'Bearer made-up' } })).status).toBe(401);

    const expired = await fetch(`${base}/__iwkit/state/sessions/${login.body.token}/expire`, { method: 'POST' });
    expect(expired.status).toBe(204);
    const refused = await send(`${base}/things/${created.body.id}`, { headers: auth });
    expect(refused.status).toBe(401);
    // The spec declares its own 401 (an object with `error`): that is what is answered, not a problem.
    expect(refused.type).toMatch(/^application\/json/);
    expect(typeof refused.body.error).toBe('string');

    const again = await send(`${base}/login`, { method: 'POST', body: { user: 'alice' } });
    expect(again.body.token).toBe(login.body.token);
    expect((await send(`${base}/things/${created.body.id}`, { headers: auth })).status).toBe(200);
  });

  it('stores the login contract\'s session: the same code gets the same session with refreshed_start moved forward, every answer valid', async () => {
    app = await createMockServer({ stateful: true, seed: 9 });
    const base = await listen(app);
    const validator = independentValidator(app.iwkitApi.document);
    const pointer = responseSchemaPointer(app.iwkitApi.document, { path: LOGIN, method: 'post' }, 200, 'application/json')!;
    // The login's own credential needs no stored session, so the flow can start.
    const headers = { 'x-session-token': 'anything' };
    const first = await send(`${base}${LOGIN}`, { method: 'POST', body: { data: { code: 'c-1' } }, headers });
    const second = await send(`${base}${LOGIN}`, { method: 'POST', body: { data: { code: 'c-1' } }, headers });
    const other = await send(`${base}${LOGIN}`, { method: 'POST', body: { data: { code: 'c-2' } }, headers });
    for (const answer of [first, second, other]) {
      expect(answer.status).toBe(200);
      expect(validator.errors(pointer, 'response', answer.body)).toEqual([]);
    }
    expect(second.body.sessionid).toBe(first.body.sessionid);
    expect(second.body.start).toBe(first.body.start);
    expect(second.body.selectedcustomer).toEqual(first.body.selectedcustomer);
    expect(Date.parse(second.body.refreshed_start)).toBeGreaterThan(Date.parse(first.body.refreshed_start));
    expect(first.body.valid).toBe(true);
    expect(other.body.sessionid).not.toBe(first.body.sessionid);
  });

  it('keeps sessions per iwkit-client, and invalidate() from code ends one so the next login starts a new one', async () => {
    app = await createMockServer({ spec: THINGS, stateful: true, seed: 3 });
    const login = async (client: string) => (await app!.inject({ method: 'POST', url: '/login', payload: { user: `bob-${client}` }, headers: { 'iwkit-client': client } })).json().token as string;
    const read = (token: string, client: string) => app!.inject({ method: 'GET', url: '/things/1', headers: { authorization: `Bearer ${token}`, 'iwkit-client': client } });
    const token = await login('run-a');
    expect(await login('run-b')).not.toBe(token);
    // Known only where it was issued: another client's scope does not have it.
    expect((await read(token, 'run-b')).statusCode).toBe(401);
    expect((await read(token, 'run-a')).statusCode).toBe(404);
    expect(await app.invalidate(token, 'run-a')).toBe(true);
    expect(await app.invalidate(token, 'run-a')).toBe(false);
    expect((await read(token, 'run-a')).statusCode).toBe(401);
    expect((await read(token, 'run-b')).statusCode).toBe(401);
  });

  it('lets a session lapse after --session-ttl, and answers a 401 problem where the spec declares no 401', async () => {
    const spec = structuredClone((await import('js-yaml')).load(await (await import('node:fs/promises')).readFile(THINGS, 'utf8')) as Record<string, any>);
    for (const op of Object.values(spec.paths['/things/{thingId}']) as Record<string, any>[]) if (op.responses) delete op.responses['401'];
    app = await createMockServer({ spec, stateful: true, seed: 3, sessionTtl: 5 });
    const token = (await app.inject({ method: 'POST', url: '/login', payload: { user: 'carol' } })).json().token;
    const started = Date.now();
    while (Date.now() - started < 20) await new Promise((resolve) => setTimeout(resolve, 5));
    const answer = await app.inject({ method: 'GET', url: '/things/1', headers: { authorization: `Bearer ${token}` } });
    expect(answer.statusCode).toBe(401);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.json().detail).toContain('expired');
  });

  it('clears all state with DELETE /__iwkit/state and with reset()', async () => {
    app = await createMockServer({ spec: THINGS, stateful: true, seed: 3, admin: true });
    const token = (await app.inject({ method: 'POST', url: '/login', payload: { user: 'dan' } })).json().token;
    const auth = { authorization: `Bearer ${token}` };
    expect((await app.inject({ method: 'POST', url: '/things', payload: { name: 'x', color: 'blue' }, headers: auth })).statusCode).toBe(201);
    expect((await app.inject({ method: 'DELETE', url: '/__iwkit/state' })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/things/1', headers: auth })).statusCode).toBe(401);
    const token2 = (await app.inject({ method: 'POST', url: '/login', payload: { user: 'dan' } })).json().token;
    expect((await app.inject({ method: 'POST', url: '/things', payload: { name: 'x', color: 'blue' }, headers: { authorization: `Bearer ${token2}` } })).json().id).toBe(1);
    await app.reset();
    expect((await app.inject({ method: 'GET', url: '/things/1', headers: { authorization: `Bearer ${token2}` } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'DELETE', url: '/__iwkit/state/sessions/nope' })).statusCode).toBe(404);
  });
});
