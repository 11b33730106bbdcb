import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileValidator, type Validator } from '../../src/openapi/compile-validator.js';
import { loadApi } from '../../src/openapi/load-api.js';
import { createMockServer } from '../../src/server/create-mock-server.js';

const LOGIN = '/api/opendata/instagram/login';

let app: FastifyInstance;
let session: Validator;

function login(target: FastifyInstance, headers: Record<string, string> = {}, url = LOGIN, code = 'edge') {
  return target.inject({
    method: 'POST',
    url,
    headers: { 'x-session-token': 't', 'content-type': 'application/json', ...headers },
    payload: JSON.stringify({ data: { code } }),
  });
}

beforeAll(async () => {
  const api = await loadApi('schema/openapi.yaml');
  session = compileValidator(api.operations[0].responses[0].content[0].schema, api.references);
  app = await createMockServer({ seed: 11 });
});
afterAll(() => app.close());

describe('edge profiles in the mock', () => {
  it('pushes generated values to the maximum with Prefer: edge=max and says so in iwkit-scenario', async () => {
    const res = await login(app, { prefer: 'edge=max' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['iwkit-scenario']).toBe('fixture:default; edge=max');
    const body = res.json();
    expect(session.errors(body)).toEqual([]);
    expect(body.sessionid.length).toBeGreaterThanOrEqual(1000);
    expect(body.valid).toBe(true);
  });

  it('keeps a fixture’s flags and pushes the other values to the edge', async () => {
    const res = await login(app, { prefer: 'example=missing-2fa, edge=unicode' });
    expect(res.headers['iwkit-scenario']).toBe('fixture:missing-2fa; edge=unicode');
    const body = res.json();
    expect(session.errors(body)).toEqual([]);
    expect(body.missing2fa).toBe(true);
    expect(JSON.stringify([body.sessionid, body.ip, body.selectedcustomer?.displayname, body.selectedcustomer?.slackchannel])).toMatch(/[^\x00-\x7f]/);
  });

  it('selects a profile through the __edge query key and the iwkit-edge cookie', async () => {
    const byQuery = await login(app, {}, `${LOGIN}?__edge=dates`);
    expect(byQuery.headers['iwkit-scenario']).toBe('fixture:default; edge=dates');
    const byCookie = await login(app, { cookie: 'iwkit-edge=min' });
    expect(byCookie.headers['iwkit-scenario']).toBe('fixture:default; edge=min');
    expect(session.errors(byCookie.json())).toEqual([]);
  });

  it('keeps every profile’s body schema-valid and deterministic', async () => {
    for (const profile of ['min', 'max', 'unicode', 'dates', 'nulls', 'random']) {
      for (let seed = 0; seed < 25; seed++) {
        const res = await login(app, { prefer: `edge=${profile}, seed=${seed}` });
        expect(session.errors(res.json()), `${profile} seed ${seed}`).toEqual([]);
      }
      const again = await createMockServer({ seed: 11 });
      expect((await login(again, { prefer: `edge=${profile}` })).body).toBe((await login(app, { prefer: `edge=${profile}` })).body);
      await again.close();
    }
  });

  it('answers an unknown profile with a 400 problem naming the profiles', async () => {
    const res = await login(app, { prefer: 'edge=huge' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ in: 'header', pointer: '/prefer', message: expect.stringContaining('min, max, unicode') });
  });

  it('applies a global profile unless a request names another, and a rule’s own profile', async () => {
    const global = await createMockServer({
      seed: 2,
      edge: 'nulls',
      scenarios: [{ name: 'long', operationId: 'instagramLogin', match: { body: { '/data/code': 'long' } }, respond: { edge: 'max' } }],
    });
    expect((await login(global)).headers['iwkit-scenario']).toBe('fixture:default; edge=nulls');
    expect((await login(global, { prefer: 'edge=dates' })).headers['iwkit-scenario']).toBe('fixture:default; edge=dates');
    const ruled = await login(global, {}, LOGIN, 'long');
    expect(ruled.headers['iwkit-scenario']).toBe('rule:long');
    expect(ruled.json().sessionid.length).toBeGreaterThanOrEqual(1000);
    await global.close();
    await expect(createMockServer({ edge: 'huge' as never })).rejects.toMatchObject({ code: 'IWKIT_ERR_OPTION_INVALID' });
  });
});
