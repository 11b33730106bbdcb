import { isIP } from 'node:net';
import { mkdtemp, mkdir, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApi } from '../../src/openapi/load-api.js';
import { compileValidator, type Validator } from '../../src/openapi/compile-validator.js';
import type { Api } from '../../src/openapi/api-model.js';
import { createMockServer } from '../../src/server/create-mock-server.js';

const LOGIN = '/api/opendata/instagram/login';
const token = { 'x-session-token': 'test-token-123' };
const body = { data: { code: 'abc', type: 'web', client_id: null } };

function login(app: FastifyInstance, options: { headers?: Record<string, string>; payload?: unknown; url?: string } = {}) {
  return app.inject({
    method: 'POST',
    url: options.url ?? LOGIN,
    headers: { ...token, 'content-type': 'application/json', ...options.headers },
    payload: options.payload === undefined ? JSON.stringify(body) : typeof options.payload === 'string' ? options.payload : JSON.stringify(options.payload),
  });
}

let api: Api;
let session: Validator;
let app: FastifyInstance;

beforeAll(async () => {
  api = await loadApi('schema/openapi.yaml');
  const op = api.operations.find((o) => o.operationId === 'instagramLogin')!;
  session = compileValidator(op.responses[0].content[0].schema, api.references);
  app = await createMockServer({ seed: 7 });
});
afterAll(() => app.close());

describe('the login mock', () => {
  it('answers a login with a realistic, schema-valid session from the default fixture', async () => {
    const res = await login(app);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['iwkit-scenario']).toBe('fixture:default');
    const s = res.json();
    expect(session.errors(s)).toEqual([]);
    expect(s.valid).toBe(true);
    expect(s.missing2fa).toBe(false);
    expect(s.id).toBeGreaterThan(0);
    expect(s.selectedcustomer.id).toBeGreaterThan(0);
    expect(isIP(s.ip)).not.toBe(0);
    expect(s.sessionid).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(s.selectedcustomer.slackchannel).toMatch(/^#/);
    expect(Date.parse(s.selectedcustomer.created)).toBeLessThanOrEqual(Date.parse(s.selectedcustomer.updated));
    expect(Date.parse(s.start)).toBeLessThanOrEqual(Date.parse(s.refreshed_start));
  });

  it('serves every shipped fixture as a coherent session when asked by Prefer example=', async () => {
    const names = (await readdir('fixtures/instagramLogin')).map((f) => f.replace(/\.json$/, ''));
    expect(names).toEqual(expect.arrayContaining(['default', 'missing-2fa', 'invalid-session', 'api-key', 'vpn', 'dg', 'google', 'microsoft', 'cloudflare', 'credentials', 'deleted-customer']));
    for (const name of names) {
      const res = await login(app, { headers: { prefer: `example=${name}` } });
      expect(res.statusCode, name).toBe(200);
      expect(res.headers['iwkit-scenario']).toBe(`fixture:${name}`);
      expect(session.errors(res.json()), name).toEqual([]);
    }
    expect((await login(app, { headers: { prefer: 'example=missing-2fa' } })).json().missing2fa).toBe(true);
    expect((await login(app, { headers: { prefer: 'example=invalid-session' } })).json().valid).toBe(false);
    expect((await login(app, { headers: { prefer: 'example=deleted-customer' } })).json().selectedcustomer.deleted).toBe(true);
  });

  it('selects a scenario through the __example query fallback as through the Prefer header', async () => {
    const res = await login(app, { url: `${LOGIN}?__example=google&iw-build-id=42` });
    expect(res.headers['iwkit-scenario']).toBe('fixture:google');
    expect(res.json().auth_by_google).toBe(true);
  });

  it('returns the seed example verbatim with dynamic=false', async () => {
    const res = await login(app, { headers: { prefer: 'dynamic=false' } });
    expect(res.headers['iwkit-scenario']).toBe('example:default');
    const op = api.operations[0];
    expect(res.json()).toEqual(op.responses[0].content[0].examples[0].value);
  });

  it('lists the declared statuses when asked for one the spec does not declare', async () => {
    const res = await login(app, { headers: { prefer: 'code=500' } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 400, available: ['200'] });
  });

  it('lists the fixtures and examples that exist when asked for an unknown one', async () => {
    const res = await login(app, { headers: { prefer: 'example=nope' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().available).toEqual(expect.arrayContaining(['default', 'missing-2fa']));
    expect(res.json().detail).toContain('nope');
  });

  it('rejects a request without x-session-token with a 401 problem naming the header', async () => {
    const res = await app.inject({ method: 'POST', url: LOGIN, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ status: 401, errors: [{ in: 'header', pointer: '/x-session-token' }] });
    expect(res.json().detail).toContain('x-session-token');
  });

  it('names every offending body field in one 400 problem', async () => {
    const res = await login(app, { payload: { data: { code: 5, type: 7, client_id: 'x' } } });
    expect(res.statusCode).toBe(400);
    const problem = res.json();
    expect(problem).toMatchObject({ type: expect.any(String), title: expect.any(String), status: 400, detail: expect.any(String) });
    const pointers = problem.errors.map((e: { in: string; pointer: string }) => `${e.in}:${e.pointer}`);
    expect(pointers).toEqual(expect.arrayContaining(['body:/data/code', 'body:/data/type']));
    expect(pointers).not.toContain('body:/data/client_id');
  });

  it('requires the request body the seed marks required', async () => {
    const res = await app.inject({ method: 'POST', url: LOGIN, headers: token });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ in: 'body', pointer: '' })]);
  });

  it('answers malformed JSON and prototype-poisoning payloads with a 400 problem', async () => {
    for (const [payload, detail] of [
      ['{"data":', /invalid JSON/],
      ['{"__proto__":{"x":1}}', /forbidden property/],
      ['{"constructor":{"prototype":{"x":1}}}', /forbidden property/],
    ] as const) {
      const res = await login(app, { payload });
      expect(res.statusCode, payload).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().errors[0].in).toBe('body');
      expect(res.json().detail).toMatch(detail);
    }
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('answers an unsupported content type with 415 and an unacceptable Accept with 406', async () => {
    const text = await login(app, { headers: { 'content-type': 'text/plain' }, payload: 'code=1' });
    expect(text.statusCode).toBe(415);
    const html = await login(app, { headers: { accept: 'text/html' } });
    expect(html.statusCode).toBe(406);
    expect(html.json().available).toEqual(['application/json']);
  });

  it('answers a body over the limit with 413', async () => {
    const small = await createMockServer({ bodyLimit: 64 });
    const res = await login(small, { payload: { data: { code: 'x'.repeat(200) } } });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    await small.close();
  });

  it('never echoes the query string of an unreadable URL, which may hold a key', async () => {
    const res = await app.inject({ method: 'GET', url: '/items/%E0?api_key=SECRETKEY' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).not.toContain('SECRETKEY');
  });

  it('refuses an interim 1xx status as the answer to Prefer: code=', async () => {
    const res = await login(app, { headers: { prefer: 'code=100' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].message).toMatch(/final HTTP status/);
  });

  it('answers OPTIONS on a known path with 204 and its Allow list', async () => {
    const res = await app.inject({ method: 'OPTIONS', url: LOGIN });
    expect(res.statusCode).toBe(204);
    expect(res.headers.allow).toBe('POST, OPTIONS');
  });

  it('answers an unknown path with 404 and a known path with a wrong method with 405 and Allow', async () => {
    const missing = await app.inject({ method: 'GET', url: '/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().status).toBe(404);
    const wrong = await app.inject({ method: 'GET', url: LOGIN });
    expect(wrong.statusCode).toBe(405);
    expect(wrong.headers.allow).toContain('POST');
    expect(wrong.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('gives a byte-identical body to the same request on two servers started with the same seed', async () => {
    const other = await createMockServer({ seed: 7 });
    const a = await login(app);
    const b = await login(other);
    expect(b.body).toBe(a.body);
    await other.close();
  });

  it('gives different sessions to different codes and the same session to the same code within a run', async () => {
    const unseeded = await createMockServer();
    const first = await login(unseeded, { payload: { data: { code: 'one' } } });
    const again = await login(unseeded, { payload: { data: { code: 'one' } } });
    const second = await login(unseeded, { payload: { data: { code: 'two' } } });
    expect(again.body).toBe(first.body);
    expect(second.json().sessionid).not.toBe(first.json().sessionid);
    // Unseeded runs anchor timestamps at start time, so sessions look current.
    expect(Math.abs(Date.now() - Date.parse(first.json().refreshed_start))).toBeLessThan(31 * 24 * 3600 * 1000);
    await unseeded.close();
  });

  it('accepts only the configured tokens when tokens are given', async () => {
    const strict = await createMockServer({ tokens: ['good'] });
    expect((await login(strict, { headers: { 'x-session-token': 'bad' } })).statusCode).toBe(401);
    expect((await login(strict, { headers: { 'x-session-token': 'good' } })).statusCode).toBe(200);
    await strict.close();
  });

  it('lets a browser preflight pass for the headers a frontend sends, and not with cors off', async () => {
    const preflight = {
      method: 'OPTIONS' as const,
      url: LOGIN,
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-session-token, prefer, content-type' },
    };
    const res = await app.inject(preflight);
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(String(res.headers['access-control-allow-headers'])).toMatch(/x-session-token/);
    expect(String(res.headers['access-control-allow-methods'])).toMatch(/POST/);
    const simple = await login(app, { headers: { origin: 'http://localhost:5173' } });
    expect(simple.headers['access-control-expose-headers']).toContain('iwkit-scenario');

    const closed = await createMockServer({ cors: false });
    const denied = await closed.inject(preflight);
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
    await closed.close();
  });

  it('keeps every generated and fixture body schema-valid over 1,000 seeds', async () => {
    const fixtures = (await readdir('fixtures/instagramLogin')).map((f) => f.replace(/\.json$/, ''));
    for (let seed = 0; seed < 1000; seed++) {
      const example = fixtures[seed % fixtures.length];
      const res = await login(app, { headers: { prefer: `seed=${seed}, example=${example}` } });
      const errors = session.errors(res.json());
      if (errors.length > 0) throw new Error(`seed ${seed} fixture ${example}: ${JSON.stringify(errors)}`);
    }
    const bare = await createMockServer({ fixturesDir: false, seed: 1 });
    for (let seed = 0; seed < 1000; seed++) {
      const res = await login(bare, { headers: { prefer: `seed=${seed}` } });
      expect(res.headers['iwkit-scenario']).toBe('generated');
      const errors = session.errors(res.json());
      if (errors.length > 0) throw new Error(`seed ${seed} generated: ${JSON.stringify(errors)}`);
    }
    await bare.close();
  });

  it('answers over real HTTP on loopback', async () => {
    const live = await createMockServer({ seed: 3 });
    const address = await live.listen({ port: 0, host: '127.0.0.1' });
    try {
      const res = await fetch(`${address}${LOGIN}`, { method: 'POST', headers: { ...token, 'content-type': 'application/json', prefer: 'example=vpn' }, body: JSON.stringify(body) });
      expect(res.status).toBe(200);
      expect(res.headers.get('iwkit-scenario')).toBe('fixture:vpn');
      expect((await res.json()).start_in_vpn).toBe(true);
    } finally {
      await live.close();
    }
  });
});

describe('fixtures', () => {
  async function fixtureDir(files: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'iwkit-fixtures-'));
    for (const [name, content] of Object.entries(files)) {
      await mkdir(join(dir, name, '..'), { recursive: true });
      await writeFile(join(dir, name), content);
    }
    return dir;
  }

  it('stops the start with a coded error naming the file and pointer of a fixture that breaks the schema', async () => {
    const dir = await fixtureDir({ 'instagramLogin/broken.json': JSON.stringify({ body: { selectedcustomer: { id: 'seven' } } }) });
    await expect(createMockServer({ fixturesDir: dir })).rejects.toMatchObject({
      code: 'IWKIT_ERR_FIXTURE_INVALID',
      message: expect.stringMatching(/broken\.json.*\/selectedcustomer\/id/),
    });
  });

  it('refuses a fixture folder that names no operation', async () => {
    const dir = await fixtureDir({ 'nosuchOperation/default.json': '{}' });
    await expect(createMockServer({ fixturesDir: dir })).rejects.toMatchObject({ code: 'IWKIT_ERR_FIXTURE_OPERATION' });
  });

  it('runs a JS builder fixture with the request and merges its result over generated data', async () => {
    const dir = await fixtureDir({
      'instagramLogin/echo.mjs': 'export default ({ request, faker }) => ({ sessionid: "s-" + request.body.data.code.padEnd(40, "x"), selectedcustomer: { displayname: faker.company.name() } });',
    });
    const custom = await createMockServer({ fixturesDir: dir });
    const res = await login(custom, { headers: { prefer: 'example=echo' }, payload: { data: { code: 'builder' } } });
    expect(res.statusCode).toBe(200);
    expect(res.json().sessionid).toMatch(/^s-builderx+$/);
    expect(session.errors(res.json())).toEqual([]);
    await custom.close();
  });
});

describe('other specs', () => {
  let pets: FastifyInstance;
  let petsApi: Api;
  beforeAll(async () => {
    petsApi = await loadApi('test/specs/petstore-3.0.yaml');
    pets = await createMockServer({ spec: petsApi, seed: 1 });
  });
  afterAll(() => pets.close());

  it('serves path parameters, query arrays and schema-valid generated bodies', async () => {
    const list = await pets.inject({ method: 'GET', url: '/pets?tags=dog&tags=cat&limit=5&status=available,sold', headers: { 'x-api-key': 'k' } });
    expect(list.statusCode).toBe(200);
    const op = petsApi.operations.find((o) => o.operationId === 'listPets')!;
    expect(compileValidator(op.responses[0].content[0].schema, petsApi.references).errors(list.json())).toEqual([]);
    expect(list.headers['x-total-count']).toMatch(/^\d+$/);

    const one = await pets.inject({ method: 'GET', url: '/pets/7', headers: { 'x-api-key': 'k', 'x-request-id': '0f8fad5b-d9cb-469f-a165-70867728950e' } });
    expect(one.statusCode).toBe(200);
  });

  it('converts and validates path and query values as the spec types them', async () => {
    const bad = await pets.inject({ method: 'GET', url: '/pets/abc?limit=1000', headers: { 'x-api-key': 'k' } });
    expect(bad.statusCode).toBe(400);
    const where = bad.json().errors.map((e: { in: string; pointer: string }) => `${e.in}:${e.pointer}`);
    expect(where).toEqual(expect.arrayContaining(['path:/petId', 'header:/X-Request-Id']));
    const badQuery = await pets.inject({ method: 'GET', url: '/pets?limit=1000&status=lost', headers: { 'x-api-key': 'k' } });
    expect(badQuery.statusCode).toBe(400);
    expect(badQuery.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(expect.arrayContaining(['/limit']));
  });

  it('answers a declared error status and a default response when asked', async () => {
    const notFound = await pets.inject({ method: 'GET', url: '/pets/7', headers: { 'x-api-key': 'k', 'x-request-id': '0f8fad5b-d9cb-469f-a165-70867728950e', prefer: 'code=404' } });
    expect(notFound.statusCode).toBe(404);
    const fallback = await pets.inject({ method: 'GET', url: '/pets', headers: { 'x-api-key': 'k', prefer: 'code=503' } });
    expect(fallback.statusCode).toBe(503);
    expect(fallback.json()).toMatchObject({ code: expect.any(Number), message: expect.any(String) });
  });

  it('uses the spec 422 for invalid input when the operation declares one', async () => {
    const res = await pets.inject({ method: 'POST', url: '/pets', headers: { 'x-api-key': 'k', 'content-type': 'application/json' }, payload: '{"name":""}' });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(expect.arrayContaining(['/name', '/kind']));
  });

  it('answers an operation without security and without a body', async () => {
    const res = await pets.inject({ method: 'DELETE', url: '/pets/3' });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
  });
});
