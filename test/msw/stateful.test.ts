// Stateful mocking in-process: one sequence of requests, each step sent to the Fastify mock (inject) and to
// the MSW handlers (setupServer + fetch), both with `stateful` and the same seed. Each step's status,
// iwkit-scenario, Content-Type and body bytes must be equal, through logins, expiry, 401s and CRUD.
import type { MockServer } from '../../src/server/mock-server.js';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, type MockHandlers } from '../../src/msw/create-handlers.js';
import type { Api } from '../../src/openapi/api-model.js';
import { loadApi } from '../../src/openapi/load-api.js';
import { createMockServer } from '../../src/server/create-mock-server.js';
import type { ScenarioRule } from '../../src/mock/scenario-rules.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import { loginPath, sessionContract, sessionPath } from '../state/session-contract.js';
import { independentValidator, responseSchemaPointer } from '../openapi/independent-validator.js';

interface Seen {
  status: number;
  scenario: string | undefined;
  contentType: string | undefined;
  body: string;
}

interface Step {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

const json = { 'content-type': 'application/json' };

async function viaFastify(app: MockServer, step: Step): Promise<Seen> {
  const headers = { ...(step.body !== undefined ? json : {}), ...step.headers };
  const res = await app.inject({ method: step.method as 'GET', url: step.url, headers, ...(step.body !== undefined ? { payload: JSON.stringify(step.body) } : {}) });
  return { status: res.statusCode, scenario: res.headers['iwkit-scenario'] as string | undefined, contentType: res.headers['content-type'] as string | undefined, body: res.body };
}

async function viaMsw(step: Step): Promise<Seen> {
  const headers = { ...(step.body !== undefined ? json : {}), ...step.headers };
  const res = await fetch(`http://localhost${step.url}`, { method: step.method, headers, ...(step.body !== undefined ? { body: JSON.stringify(step.body) } : {}) });
  return { status: res.status, scenario: res.headers.get('iwkit-scenario') ?? undefined, contentType: res.headers.get('content-type') ?? undefined, body: await res.text() };
}

/** Runs a sequence on both adapters of one spec and checks every answer against its schema with ajv. */
function pair(specSource: string | (() => Promise<Record<string, unknown>>), scenarios?: ScenarioRule[]) {
  const context: { api?: Api; app?: MockServer; mock?: MockHandlers; server?: ReturnType<typeof setupServer> } = {};
  beforeAll(async () => {
    context.api = await loadApi(typeof specSource === 'string' ? specSource : await specSource());
    context.app = await createMockServer({ spec: context.api, seed: 42, stateful: true, fixturesDir: false, scenarios: scenarios ?? false, docs: false, cors: false });
    context.mock = createHandlers(context.api, { seed: 42, stateful: true, ...(scenarios ? { scenarios } : {}) });
    context.server = setupServer(...context.mock);
    context.server.listen({ onUnhandledRequest: 'error' });
  });
  afterEach(async () => {
    await context.app?.reset();
    await context.mock?.reset();
  });
  afterAll(async () => {
    context.server?.close();
    await context.app?.close();
  });
  const send = async (step: Step): Promise<Seen & { json: any }> => {
    const fastify = await viaFastify(context.app!, step);
    const msw = await viaMsw(step);
    expect(msw, `${step.method} ${step.url}`).toEqual(fastify);
    const value = fastify.body ? JSON.parse(fastify.body) : undefined;
    const op = context.api!.operations.find((o) => o.method === step.method.toLowerCase() && new RegExp(`^${o.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(step.url.split('?')[0]));
    const pointer = op && value !== undefined ? responseSchemaPointer(context.api!.document, op, fastify.status, (fastify.contentType ?? '').split(';')[0]) : undefined;
    if (pointer) expect(independentValidator(context.api!.document).errors(pointer, 'response', value), `${step.method} ${step.url}`).toEqual([]);
    return { ...fastify, json: value };
  };
  return { context, send };
}

describe('stateful MSW handlers and the stateful Fastify mock over things-3.1', () => {
  const { context, send } = pair('test/specs/things-3.1.yaml');

  it('answer login → token → CRUD → expire → 401 → login again alike', async () => {
    const login = await send({ method: 'POST', url: '/login', body: { user: 'alice' } });
    expect(login).toMatchObject({ status: 200, scenario: 'state:session-created' });
    const auth = { authorization: `Bearer ${login.json.token}` };
    const created = await send({ method: 'POST', url: '/things', headers: auth, body: { name: 'lamp', color: 'red' } });
    expect(created).toMatchObject({ status: 201, json: { id: 1, name: 'lamp', color: 'red' } });
    expect((await send({ method: 'GET', url: '/things/1', headers: auth })).json).toEqual(created.json);
    expect((await send({ method: 'PUT', url: '/things/1', headers: auth, body: { name: 'lamp', color: 'blue' } })).json).toEqual({ id: 1, name: 'lamp', color: 'blue' });
    expect((await send({ method: 'GET', url: '/things/1', headers: auth })).json.color).toBe('blue');
    expect((await send({ method: 'GET', url: '/things/1', headers: { authorization: 'Bearer made-up' } })).status).toBe(401);

    expect(await context.app!.expire(login.json.token)).toBe(true);
    expect(await context.mock!.expire(login.json.token)).toBe(true);
    const refused = await send({ method: 'GET', url: '/things/1', headers: auth });
    expect(refused).toMatchObject({ status: 401, scenario: 'state:401' });

    const again = await send({ method: 'POST', url: '/login', body: { user: 'alice' } });
    expect(again).toMatchObject({ status: 200, scenario: 'state:session-refreshed', json: { token: login.json.token } });
    expect((await send({ method: 'DELETE', url: '/things/1', headers: auth })).status).toBe(204);
    expect((await send({ method: 'GET', url: '/things/1', headers: auth })).status).toBe(404);
  });

  it('end a session with invalidate(), keep sessions per iwkit-client, and clear everything with reset()', async () => {
    const login = async (client: string) => (await send({ method: 'POST', url: '/login', headers: { 'iwkit-client': client }, body: { user: `bob-${client}` } })).json.token as string;
    const token = await login('run-a');
    const other = await login('run-b');
    expect(other).not.toBe(token);
    // Known only where it was issued: another client's scope does not have it.
    expect((await send({ method: 'GET', url: '/things/1', headers: { authorization: `Bearer ${token}`, 'iwkit-client': 'run-b' } })).status).toBe(401);
    expect((await send({ method: 'GET', url: '/things/1', headers: { authorization: `Bearer ${token}`, 'iwkit-client': 'run-a' } })).status).toBe(404);
    expect(await context.mock!.invalidate(token, 'run-a')).toBe(true);
    expect(await context.app!.invalidate(token, 'run-a')).toBe(true);
    expect(await context.mock!.invalidate(token, 'run-a')).toBe(false);
    expect((await send({ method: 'GET', url: '/things/1', headers: { authorization: `Bearer ${token}`, 'iwkit-client': 'run-a' } })).status).toBe(401);
    await context.mock!.reset();
    await context.app!.reset();
    expect((await send({ method: 'GET', url: '/things/1', headers: { authorization: `Bearer ${other}`, 'iwkit-client': 'run-b' } })).status).toBe(401);
  });
});

describe('stateful MSW handlers and the stateful Fastify mock over petstore-3.0', () => {
  const { send } = pair('test/specs/petstore-3.0.yaml');
  const key = { 'x-api-key': 'k', 'x-request-id': '3f2b8c1e-2d4a-4c6b-9e8f-0a1b2c3d4e5f' };

  it('answer POST → GET → list → DELETE → GET 404 alike', async () => {
    for (const [name, kind] of [['Rex', 'dog'], ['Tom', 'cat']]) {
      expect(await send({ method: 'POST', url: '/pets', headers: key, body: { name, kind, tag: null } })).toMatchObject({ status: 201, scenario: 'state:created' });
    }
    expect((await send({ method: 'GET', url: '/pets/2', headers: key })).json).toMatchObject({ id: 2, name: 'Tom', kind: 'cat' });
    expect((await send({ method: 'GET', url: '/pets', headers: key })).json.map((p: { name: string }) => p.name)).toEqual(['Rex', 'Tom']);
    expect((await send({ method: 'DELETE', url: '/pets/2', headers: key })).status).toBe(204);
    const gone = await send({ method: 'GET', url: '/pets/2', headers: key });
    expect(gone).toMatchObject({ status: 404, scenario: 'state:404' });
    expect((await send({ method: 'GET', url: '/pets', headers: key })).json.map((p: { id: number }) => p.id)).toEqual([1]);
  });
});

describe('stateful MSW handlers and the stateful Fastify mock with a rule for dead sessions', () => {
  const rules: ScenarioRule[] = [{ name: 'dead', operationId: 'getSession', match: { session: 'dead' }, respond: { fixture: 'invalid-session' } }];
  const { context, send } = pair(() => sessionContract(), rules);
  const loginBody = { data: { code: 'c-9', type: 'web', client_id: null } };

  it('answer the login contract\'s session alike: live, then valid:false once expired, then live after a new login', async () => {
    const login = await send({ method: 'POST', url: loginPath, headers: { 'x-session-token': 'start' }, body: loginBody });
    const token = login.json.sessionid as string;
    expect((await send({ method: 'GET', url: sessionPath, headers: { 'x-session-token': token } })).status).toBe(200);
    await context.app!.expire(token);
    await context.mock!.expire(token);
    expect(await send({ method: 'GET', url: sessionPath, headers: { 'x-session-token': token } })).toMatchObject({ status: 200, scenario: 'rule:dead', json: { valid: false } });
    expect(await send({ method: 'GET', url: sessionPath, headers: { 'x-session-token': 'never-issued' } })).toMatchObject({ status: 200, scenario: 'rule:dead' });
    await send({ method: 'POST', url: loginPath, headers: { 'x-session-token': 'start' }, body: loginBody });
    expect((await send({ method: 'GET', url: sessionPath, headers: { 'x-session-token': token } })).scenario).not.toBe('rule:dead');
  });
});

describe('createHandlers with stateful options', () => {
  it('refuses state options without stateful: true, and takes a store of its own', async () => {
    const api = await loadApi('test/specs/petstore-3.0.yaml');
    expect(() => createHandlers(api, { sessionTtl: 5 })).toThrow(/sessionTtl: needs stateful: true/);
    expect(() => createHandlers(api, { stateful: true, sessionTtl: 0 })).toThrow(/sessionTtl/);
    const store = new MemoryStore();
    const mock = createHandlers(api, { stateful: true, store, seed: 1 });
    const server = setupServer(...mock);
    server.listen({ onUnhandledRequest: 'error' });
    try {
      await fetch('http://localhost/pets', { method: 'POST', headers: { ...json, 'x-api-key': 'k' }, body: JSON.stringify({ name: 'Kit', kind: 'cat' }) });
      expect((await store.list('', 'R:/pets/')).map((e) => JSON.parse(e.value).name)).toEqual(['Kit']);
      expect(mock.stateLines.some((line) => line.includes('createPet POST /pets: create of /pets'))).toBe(true);
    } finally {
      server.close();
    }
  });

  it('starts every client from initialState, checked against the spec as the Fastify mock checks a state file', async () => {
    const api = await loadApi('test/specs/petstore-3.0.yaml');
    const pets = [{ id: 4, name: 'Rex', kind: 'dog', status: 'available' }];
    expect(() => createHandlers(api, { stateful: true, initialState: { '/pets': [{ ...pets[0], status: 'lost' }] } })).toThrow(/item 0 of "\/pets" at \/~1pets\/0\/status/);
    const server = setupServer(...createHandlers(api, { stateful: true, seed: 1, initialState: { '/pets': pets } }));
    server.listen({ onUnhandledRequest: 'error' });
    try {
      for (const client of ['a', 'b']) expect(await (await fetch('http://localhost/pets', { headers: { 'x-api-key': 'k', 'iwkit-client': client } })).json()).toEqual(pets);
    } finally {
      server.close();
    }
  });
});
