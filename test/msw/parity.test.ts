// One table of requests, run against both adapters of the mock core: the Fastify mock (inject) and the MSW
// handlers (setupServer + fetch). With a seed both must give the same status, iwkit-scenario, Content-Type
// and byte-identical body, for valid and invalid requests, every Prefer/cookie/query switch, every login
// fixture, the login's scenario rules and every edge profile.
import type { FastifyInstance } from 'fastify';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edgeProfiles } from '../../src/fake/edge-profiles.js';
import type { FixtureInput } from '../../src/mock/fixture-envelope.js';
import type { ScenarioRules } from '../../src/mock/scenario-rules.js';
import { createHandlers, type HandlersOptions } from '../../src/msw/create-handlers.js';
import type { Api } from '../../src/openapi/api-model.js';
import { loadApi } from '../../src/openapi/load-api.js';
import { createMockServer } from '../../src/server/create-mock-server.js';
import { readFixtures } from '../../src/server/read-fixtures.js';
import { readScenarioFile } from '../../src/server/read-scenarios.js';

interface Case {
  name: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

interface Seen {
  status: number;
  scenario: string | undefined;
  contentType: string | undefined;
  body: string;
}

const json = { 'content-type': 'application/json' };
const LOGIN = '/api/opendata/instagram/login';
const loginHeaders = { ...json, 'x-session-token': 'test-token-123' };
const loginBody = (code: unknown = 'abc') => JSON.stringify({ data: { code, type: 'web', client_id: null } });
const post = (name: string, headers: Record<string, string>, body = loginBody()): Case => ({ name, method: 'POST', url: LOGIN, headers, body });

const loginFixtures = ['api-key', 'cloudflare', 'credentials', 'default', 'deleted-customer', 'dg', 'google', 'invalid-session', 'microsoft', 'missing-2fa', 'vpn'];

const loginCases: Case[] = [
  post('a valid login', loginHeaders),
  post('a login without its session token', json),
  post('a login whose body breaks the schema', loginHeaders, JSON.stringify({ data: { code: 5, type: 7, client_id: 'x' } })),
  post('a login with malformed JSON', loginHeaders, '{"data":'),
  post('a login sent as text/plain', { ...loginHeaders, 'content-type': 'text/plain' }, 'code=1'),
  post('a login with a forbidden __proto__ key', loginHeaders, '{"__proto__":{"x":1},"data":{"code":"a","type":"web","client_id":null}}'),
  ...loginFixtures.map((f) => post(`Prefer: example=${f}`, { ...loginHeaders, prefer: `example=${f}` })),
  post('Prefer: example of an unknown name', { ...loginHeaders, prefer: 'example=nope' }),
  post('Prefer: code=401', { ...loginHeaders, prefer: 'code=401' }),
  post('Prefer: code=599 (undeclared)', { ...loginHeaders, prefer: 'code=599' }),
  post('Prefer: dynamic=true', { ...loginHeaders, prefer: 'dynamic=true' }),
  post('Prefer: seed=7', { ...loginHeaders, prefer: 'seed=7' }),
  post('Prefer: delay=abc (invalid)', { ...loginHeaders, prefer: 'delay=abc' }),
  ...edgeProfiles.map((e) => post(`Prefer: edge=${e}`, { ...loginHeaders, prefer: `edge=${e}` })),
  post('the scenario cookie', { ...loginHeaders, cookie: 'iwkit-scenario=missing-2fa' }),
  post('the edge cookie', { ...loginHeaders, cookie: 'iwkit-edge=max' }),
  { name: 'the __example query switch', method: 'POST', url: `${LOGIN}?__example=missing-2fa`, headers: loginHeaders, body: loginBody() },
  { name: 'the __code query switch', method: 'POST', url: `${LOGIN}?__code=401`, headers: loginHeaders, body: loginBody() },
  { name: 'an invalid __seed query switch', method: 'POST', url: `${LOGIN}?__seed=x`, headers: loginHeaders, body: loginBody() },
  post('Accept: text/html (not offered)', { ...loginHeaders, accept: 'text/html' }),
  ...['expired', 'needs-2fa', 'invalid', 'down'].map((code) => post(`the rule for code ${code}`, loginHeaders, loginBody(code))),
  { name: 'a method the path does not declare', method: 'GET', url: LOGIN },
];

const petKey = { 'x-api-key': 'k' };
const petCases: Case[] = [
  { name: 'list pets', method: 'GET', url: '/pets', headers: petKey },
  { name: 'list pets with tags and a limit', method: 'GET', url: '/pets?tags=dog&tags=small&limit=3', headers: petKey },
  { name: 'list pets with a bad limit', method: 'GET', url: '/pets?limit=abc', headers: petKey },
  { name: 'list pets without the key', method: 'GET', url: '/pets' },
  { name: 'create a pet', method: 'POST', url: '/pets', headers: { ...petKey, ...json }, body: JSON.stringify({ name: 'Tom', kind: 'cat', tag: 'indoor' }) },
  { name: 'create a pet with a bad body', method: 'POST', url: '/pets', headers: { ...petKey, ...json }, body: JSON.stringify({ name: 7 }) },
  { name: 'create a pet without a body', method: 'POST', url: '/pets', headers: petKey },
  { name: 'get a pet (derived operationId)', method: 'GET', url: '/pets/12', headers: petKey },
  { name: 'get a pet with a bad request id', method: 'GET', url: '/pets/12', headers: { ...petKey, 'x-request-id': 'nope' } },
  { name: 'get a pet as min edge', method: 'GET', url: '/pets/12', headers: { ...petKey, prefer: 'edge=min' } },
];

const thing = '/things/0b6a4e3c-5a41-4f57-9a35-2f1d7f0c9e11';
const kitchenCases: Case[] = [
  { name: 'get a thing with the query key', method: 'GET', url: `${thing}?api_key=k` },
  { name: 'get a thing with the session cookie', method: 'GET', url: thing, headers: { cookie: 'SESSION=abc' } },
  { name: 'get a thing without credentials', method: 'GET', url: thing },
  { name: 'get a thing with a bad id', method: 'GET', url: '/things/not-a-uuid?api_key=k' },
  { name: 'get a thing with fields', method: 'GET', url: `${thing}?api_key=k&fields=id,name` },
  {
    name: 'post numbers in range',
    method: 'POST',
    url: '/numbers?api_key=k',
    headers: { ...json, cookie: 'SESSION=abc' },
    body: JSON.stringify({ i32: 2147483647, i64: 9007199254740991, f: 1.5, d: 0.25, positive: 0.001, belowTen: 9.99, even: 4, notZero: 3, maybe: null }),
  },
  { name: 'post numbers out of range', method: 'POST', url: '/numbers?api_key=k', headers: { ...json, cookie: 'SESSION=abc' }, body: JSON.stringify({ i32: 2 ** 40, even: 3 }) },
  { name: 'get the tree', method: 'GET', url: '/tree' },
  { name: 'get the tree as unicode edge', method: 'GET', url: '/tree', headers: { prefer: 'edge=unicode' } },
];

const bearer = { authorization: 'Bearer abc.def.ghi' };
const libraryCases: Case[] = [
  { name: 'list books with a bearer token', method: 'GET', url: '/books', headers: bearer },
  { name: 'list books with basic auth', method: 'GET', url: '/books', headers: { authorization: 'Basic dTpw' } },
  { name: 'list books without credentials', method: 'GET', url: '/books' },
  { name: 'get a book', method: 'GET', url: '/books/1', headers: bearer },
  { name: 'get a book with id 0', method: 'GET', url: '/books/0', headers: bearer },
  { name: 'search', method: 'POST', url: '/search', headers: json, body: JSON.stringify({ term: 'austen', filter: { minRating: 4 } }) },
  { name: 'search with a bad body', method: 'POST', url: '/search', headers: json, body: JSON.stringify({ term: 5 }) },
  { name: 'the category tree', method: 'GET', url: '/categories' },
  { name: 'the category tree as nulls edge', method: 'GET', url: '/categories', headers: { prefer: 'edge=nulls' } },
];

interface Subject {
  spec: string;
  cases: Case[];
  fixturesDir?: string;
  scenariosFile?: string;
}

const subjects: Subject[] = [
  { spec: 'schema/openapi.yaml', cases: loginCases, fixturesDir: 'fixtures', scenariosFile: 'fixtures/scenarios.yaml' },
  { spec: 'test/specs/petstore-3.0.yaml', cases: petCases },
  { spec: 'test/specs/kitchen-sink-3.1.yaml', cases: kitchenCases },
  { spec: 'test/specs/library-3.1/openapi.yaml', cases: libraryCases },
];

/** The fixtures folder as createHandlers takes fixtures: data per operation and name. */
async function fixtureData(dir: string, api: Api): Promise<Record<string, Record<string, FixtureInput>>> {
  const read = await readFixtures(dir, api.operations.map((o) => o.operationId));
  const data: Record<string, Record<string, FixtureInput>> = {};
  for (const [operationId, fixtures] of read) {
    data[operationId] = {};
    for (const { name, file: _file, ...rest } of fixtures) data[operationId][name] = rest;
  }
  return data;
}

async function viaFastify(app: FastifyInstance, c: Case): Promise<Seen> {
  const res = await app.inject({ method: c.method as 'GET', url: c.url, headers: c.headers, ...(c.body !== undefined ? { payload: c.body } : {}) });
  return { status: res.statusCode, scenario: res.headers['iwkit-scenario'] as string | undefined, contentType: res.headers['content-type'] as string | undefined, body: res.body };
}

async function viaMsw(c: Case): Promise<Seen> {
  const res = await fetch(`http://localhost${c.url}`, { method: c.method, headers: c.headers, ...(c.body !== undefined ? { body: c.body } : {}) });
  return { status: res.status, scenario: res.headers.get('iwkit-scenario') ?? undefined, contentType: res.headers.get('content-type') ?? undefined, body: await res.text() };
}

for (const subject of subjects) {
  describe(`the Fastify mock and the MSW handlers over ${subject.spec}`, () => {
    let app: FastifyInstance;
    let server: ReturnType<typeof setupServer>;

    beforeAll(async () => {
      const api = await loadApi(subject.spec);
      const scenarios = subject.scenariosFile ? ((await readScenarioFile(subject.scenariosFile)).data as ScenarioRules) : undefined;
      const shared = { seed: 42 };
      app = await createMockServer({ spec: api, ...shared, fixturesDir: subject.fixturesDir ?? false, scenarios: subject.scenariosFile ?? false, docs: false, cors: false });
      const options: HandlersOptions = { ...shared, ...(scenarios ? { scenarios } : {}), ...(subject.fixturesDir ? { fixtures: await fixtureData(subject.fixturesDir, api) } : {}) };
      server = setupServer(...createHandlers(api, options));
      server.listen({ onUnhandledRequest: 'error' });
    });

    afterAll(async () => {
      server?.close();
      await app?.close();
    });

    it.each(subject.cases.map((c) => [c.name, c] as const))('answers %s alike: status, iwkit-scenario, Content-Type and body bytes', async (_name, c) => {
      const fastify = await viaFastify(app, c);
      const msw = await viaMsw(c);
      expect(msw).toEqual(fastify);
    });
  });
}
