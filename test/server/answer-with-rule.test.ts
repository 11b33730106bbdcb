import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src/openapi/api-model.js';
import { compileValidator, type Validator } from '../../src/openapi/compile-validator.js';
import { loadApi } from '../../src/openapi/load-api.js';
import type { ScenarioRule } from '../../src/mock/scenario-rules.js';
import { createMockServer } from '../../src/server/create-mock-server.js';
import { LOGIN, listenLocal, parseRawResponse, postLogin, rawLogin } from './scripting-helpers.js';

let api: Api;
let session: Validator;

beforeAll(async () => {
  api = await loadApi('schema/openapi.yaml');
  session = compileValidator(api.operations[0].responses[0].content[0].schema, api.references);
});

describe('the shipped fixtures/scenarios.yaml', () => {
  let app: FastifyInstance;
  let base: string;
  beforeAll(async () => {
    app = await createMockServer({ spec: api, fixturesDir: 'fixtures', seed: 3, admin: true });
    base = await listenLocal(app);
  });
  afterAll(() => app.close());

  it('answers the code "expired" with a 401 problem although the login declares only 200', async () => {
    const res = await postLogin(base, 'expired');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.headers.get('iwkit-scenario')).toBe('rule:expired');
    expect(await res.json()).toMatchObject({ status: 401, title: 'Unauthorized', type: expect.stringContaining('unauthorized') });
  });

  it('answers "needs-2fa" with the missing-2fa fixture and "invalid" with invalid-session', async () => {
    const twoFa = await postLogin(base, 'needs-2fa');
    expect(twoFa.status).toBe(200);
    const body = await twoFa.json();
    expect(body.missing2fa).toBe(true);
    expect(session.errors(body)).toEqual([]);
    const invalid = await postLogin(base, 'invalid');
    expect((await invalid.json()).valid).toBe(false);
    expect(invalid.headers.get('iwkit-scenario')).toBe('rule:invalid');
  });

  it('answers "down" with 503 and Retry-After, and lets any other code log in normally', async () => {
    const down = await postLogin(base, 'down');
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('30');
    expect((await down.json()).title).toBe('Service unavailable');
    const normal = await postLogin(base, 'some-real-code');
    expect(normal.status).toBe(200);
    expect(normal.headers.get('iwkit-scenario')).toBe('fixture:default');
  });

  it('resets the connection for "drop" without sending a byte', async () => {
    const seen = await rawLogin(base, 'drop');
    expect(seen.errorCode).toBe('ECONNRESET');
    expect(seen.received.length).toBe(0);
  });

  it('holds "slow" for 3 seconds (read from the loaded rules, not waited for)', async () => {
    const res = await fetch(`${base}/__iwkit/rules`);
    const { rules } = await res.json();
    expect(rules.map((r: { name: string }) => r.name)).toEqual(['expired', 'needs-2fa', 'invalid', 'slow', 'down', 'drop']);
    expect(rules.find((r: { name: string }) => r.name === 'slow').definition.respond).toEqual({ delay: 3000 });
  });
});

describe('rules', () => {
  const rules: ScenarioRule[] = [
    { name: 'twice', operationId: 'instagramLogin', match: { body: { '/data/code': 'limited' } }, respond: { fixture: 'vpn' }, times: 2 },
    { name: 'by-query', operationId: 'instagramLogin', match: { query: { 'iw-build-id': { regex: '^beta-' } } }, respond: { fixture: 'google' } },
    { name: 'by-header', match: { headers: { 'X-Test-Case': 'teapot' } }, respond: { status: 418, body: { tea: true } } },
    { name: 'by-cookie', operationId: 'instagramLogin', match: { cookies: { variant: { exists: true } } }, respond: { fixture: 'dg' } },
    { name: 'typed', operationId: 'instagramLogin', match: { body: { '/data/type': { equals: null }, '/data/code': { regex: '^merge$', flags: 'i' } } }, respond: { merge: { ip: '10.0.0.1', selectedcustomer: { displayname: 'Merged GmbH' } }, headers: { 'x-rule': 'typed' } } },
    { name: 'verbatim', operationId: 'instagramLogin', match: { body: { '/data/code': 'verbatim' } }, respond: { body: { anything: ['goes'] } } },
    { name: 'no-client-id', operationId: 'instagramLogin', match: { body: { '/data/client_id': { exists: false }, '/data/code': 'absent' } }, respond: { fixture: 'microsoft' } },
    { name: 'empty', operationId: 'instagramLogin', match: { body: { '/data/code': 'empty' } }, respond: { fault: 'empty' } },
    { name: 'truncated', operationId: 'instagramLogin', match: { body: { '/data/code': 'truncated' } }, respond: { fault: 'truncated' } },
    { name: 'malformed', operationId: 'instagramLogin', match: { body: { '/data/code': 'malformed' } }, respond: { fault: 'malformed' } },
    { name: 'contract', operationId: 'instagramLogin', match: { body: { '/data/code': 'contract' } }, respond: { fault: 'contract' } },
    { name: 'proxy-page', operationId: 'instagramLogin', match: { body: { '/data/code': 'proxy' } }, respond: { status: 502, body: '<html>Bad gateway</html>', headers: { 'Content-Type': 'text/html' } } },
    { name: 'delayed', operationId: 'instagramLogin', match: { body: { '/data/code': 'delayed' } }, respond: { delay: [200, 220] } },
  ];
  let app: FastifyInstance;
  let base: string;
  beforeAll(async () => {
    app = await createMockServer({ spec: api, fixturesDir: 'fixtures', seed: 3, scenarios: rules });
    base = await listenLocal(app);
  });
  afterAll(() => app.close());

  it('stops answering with a rule after its times are used, then answers normally', async () => {
    const labels = [];
    for (let i = 0; i < 3; i++) labels.push((await postLogin(base, 'limited')).headers.get('iwkit-scenario'));
    expect(labels).toEqual(['rule:twice', 'rule:twice', 'fixture:default']);
  });

  it('matches a query value by regex', async () => {
    const res = await postLogin(base, 'q', {}, `${LOGIN}?iw-build-id=beta-7`);
    expect(res.headers.get('iwkit-scenario')).toBe('rule:by-query');
    expect((await res.json()).auth_by_google).toBe(true);
    expect((await postLogin(base, 'q', {}, `${LOGIN}?iw-build-id=7-beta`)).headers.get('iwkit-scenario')).toBe('fixture:default');
  });

  it('matches a header case-insensitively by name and answers an undeclared status with the rule body verbatim', async () => {
    const res = await postLogin(base, 'h', { 'x-test-case': 'teapot' });
    expect(res.status).toBe(418);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ tea: true });
  });

  it('matches on a cookie that exists', async () => {
    const res = await postLogin(base, 'c', { cookie: 'theme=dark; variant=b' });
    expect(res.headers.get('iwkit-scenario')).toBe('rule:by-cookie');
    expect((await res.json()).is_dg).toBe(true);
  });

  it('merges a partial body over the generated one and adds the rule headers, when every matcher holds', async () => {
    const res = await fetch(`${base}${LOGIN}`, { method: 'POST', headers: { 'x-session-token': 't', 'content-type': 'application/json' }, body: JSON.stringify({ data: { code: 'MERGE', type: null } }) });
    expect(res.headers.get('x-rule')).toBe('typed');
    const body = await res.json();
    expect(body.ip).toBe('10.0.0.1');
    expect(body.selectedcustomer.displayname).toBe('Merged GmbH');
    expect(body.selectedcustomer.id).toBeGreaterThan(0);
    expect(session.errors(body)).toEqual([]);
    const typeSet = await fetch(`${base}${LOGIN}`, { method: 'POST', headers: { 'x-session-token': 't', 'content-type': 'application/json' }, body: JSON.stringify({ data: { code: 'merge', type: 'web' } }) });
    expect(typeSet.headers.get('x-rule')).toBeNull();
  });

  it('sends a rule body verbatim with a declared status, even when it breaks the schema', async () => {
    const res = await postLogin(base, 'verbatim');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ anything: ['goes'] });
  });

  it('sends a string body as text, with the content type the rule names', async () => {
    const res = await postLogin(base, 'proxy');
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(await res.text()).toBe('<html>Bad gateway</html>');
  });

  it('matches a body field that must be absent', async () => {
    expect((await postLogin(base, 'absent')).headers.get('iwkit-scenario')).toBe('rule:no-client-id');
  });

  it('closes the connection without a byte for an empty-response fault', async () => {
    const seen = await rawLogin(base, 'empty');
    expect(seen.received.length).toBe(0);
    expect(seen.ended).toBe(true);
    expect(seen.errorCode).toBeUndefined();
  });

  it('sends fewer body bytes than Content-Length promises for a truncated fault', async () => {
    const seen = await rawLogin(base, 'truncated');
    const { status, headers, body } = parseRawResponse(seen.received);
    expect(status).toBe(200);
    expect(body.length).toBeGreaterThan(0);
    expect(body.length).toBeLessThan(Number(headers['content-length']));
  });

  it('sends a complete response whose JSON does not parse for a malformed fault', async () => {
    const res = await postLogin(base, 'malformed');
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(text)).toThrow();
  });

  it('sends a body that breaks the response schema for a contract fault', async () => {
    const res = await postLogin(base, 'contract');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(session.errors(body).length).toBeGreaterThan(0);
  });

  it('holds a rule answer for at least its delay', async () => {
    const started = performance.now();
    const res = await postLogin(base, 'delayed');
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(195);
  });
});

describe('per-request and global switches', () => {
  let app: FastifyInstance;
  let base: string;
  beforeAll(async () => {
    app = await createMockServer({ spec: api, fixturesDir: 'fixtures', seed: 3 });
    base = await listenLocal(app);
  });
  afterAll(() => app.close());

  it('selects a fixture with the iwkit-scenario cookie as Prefer: example= does, and Prefer wins over it', async () => {
    const byCookie = await postLogin(base, 'k', { cookie: 'iwkit-scenario=missing-2fa' });
    expect(byCookie.headers.get('iwkit-scenario')).toBe('fixture:missing-2fa');
    expect((await byCookie.json()).missing2fa).toBe(true);
    const both = await postLogin(base, 'k', { cookie: 'iwkit-scenario=missing-2fa', prefer: 'example=vpn' });
    expect(both.headers.get('iwkit-scenario')).toBe('fixture:vpn');
  });

  it('ignores a scenario cookie naming nothing this operation has, unlike an explicit Prefer', async () => {
    const res = await postLogin(base, 'k', { cookie: 'iwkit-scenario=no-such-thing' });
    expect(res.status).toBe(200);
    expect(res.headers.get('iwkit-scenario')).toBe('fixture:default');
    expect((await postLogin(base, 'k', { prefer: 'example=no-such-thing' })).status).toBe(400);
  });

  it('delays one request by Prefer: delay= and refuses a delay it cannot honour', async () => {
    const started = performance.now();
    const res = await postLogin(base, 'd', { prefer: 'delay=200' });
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(195);
    const bad = await postLogin(base, 'd', { prefer: 'delay=soon' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0]).toMatchObject({ in: 'header', pointer: '/prefer' });
  });

  it('delays every answer with a global delay, and answers a share of requests 500/503 with an error rate', async () => {
    const slow = await createMockServer({ spec: api, fixturesDir: false, delay: '200-210', errorRate: 1 });
    const slowBase = await listenLocal(slow);
    try {
      const started = performance.now();
      const res = await postLogin(slowBase, 'e');
      expect(performance.now() - started).toBeGreaterThanOrEqual(195);
      expect([500, 503]).toContain(res.status);
      expect(res.headers.get('iwkit-scenario')).toBe('fault:error-rate');
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    } finally {
      await slow.close();
    }
  });

  it('refuses a bad delay or error rate option with a coded error', async () => {
    await expect(createMockServer({ spec: api, delay: '800-200' })).rejects.toMatchObject({ code: 'IWKIT_ERR_OPTION_INVALID' });
    await expect(createMockServer({ spec: api, errorRate: 2 })).rejects.toMatchObject({ code: 'IWKIT_ERR_OPTION_INVALID' });
  });
});
