import type { AddressInfo } from 'node:net';
import type { MockServer } from '../../src/server/mock-server.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScenarioRule } from '../../src/mock/scenario-rules.js';
import { createMockServer } from '../../src/server/create-mock-server.js';
import { independentValidator, responseSchemaPointer } from '../openapi/independent-validator.js';
import { loginPath, sessionContract, sessionPath } from './session-contract.js';

const rules: ScenarioRule[] = [
  { name: 'dead-session', operationId: 'getSession', match: { session: 'dead' }, respond: { fixture: 'invalid-session' } },
  { name: 'live-session', operationId: 'getSession', match: { session: 'live' }, respond: { merge: { valid: true } } },
];

async function listen(app: MockServer): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

describe('rules on the session state (match.session)', () => {
  let app: MockServer | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  const login = async (base: string, code = 'c-1') => {
    const res = await fetch(`${base}${loginPath}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-session-token': 'start' }, body: JSON.stringify({ data: { code, type: 'web', client_id: null } }) });
    return ((await res.json()) as { sessionid: string }).sessionid;
  };
  const session = async (base: string, token: string) => {
    const res = await fetch(`${base}${sessionPath}`, { headers: { 'x-session-token': token } });
    return { status: res.status, scenario: res.headers.get('iwkit-scenario'), type: res.headers.get('content-type') ?? '', body: (await res.json()) as Record<string, unknown> };
  };

  it('answers a dead session with the valid:false example (200) and a live one with valid:true, over real HTTP', async () => {
    app = await createMockServer({ spec: await sessionContract(), stateful: true, seed: 5, admin: true, scenarios: rules, fixturesDir: false });
    const base = await listen(app);
    const validator = independentValidator(app.iwkitApi.document);
    const pointer = responseSchemaPointer(app.iwkitApi.document, { path: sessionPath, method: 'get' }, 200, 'application/json')!;
    const token = await login(base);

    const live = await session(base, token);
    expect(live).toMatchObject({ status: 200, scenario: 'rule:live-session', body: { valid: true } });
    const unknown = await session(base, 'never-issued');
    expect(unknown).toMatchObject({ status: 200, scenario: 'rule:dead-session', body: { valid: false } });

    expect((await fetch(`${base}/__iwkit/state/sessions/${token}/expire`, { method: 'POST' })).status).toBe(204);
    const expired = await session(base, token);
    expect(expired).toMatchObject({ status: 200, scenario: 'rule:dead-session', body: { valid: false } });

    expect(await login(base)).toBe(token);
    const again = await session(base, token);
    expect(again).toMatchObject({ status: 200, scenario: 'rule:live-session', body: { valid: true } });
    for (const answer of [live, unknown, expired, again]) expect(validator.errors(pointer, 'response', answer.body)).toEqual([]);
  });

  it('tells expired from unknown, and without a matching rule refuses with a 401 problem', async () => {
    const onlyExpired: ScenarioRule[] = [{ name: 'expired', operationId: 'getSession', match: { session: 'expired' }, respond: { fixture: 'invalid-session' } }];
    app = await createMockServer({ spec: await sessionContract(), stateful: true, seed: 5, scenarios: onlyExpired, fixturesDir: false });
    const base = await listen(app);
    const token = await login(base);
    const unknown = await session(base, 'never-issued');
    expect(unknown.status).toBe(401);
    expect(unknown.type).toMatch(/^application\/problem\+json/);
    expect(String(unknown.body.detail)).toContain('unknown');
    await app.expire(token);
    expect(await session(base, token)).toMatchObject({ status: 200, scenario: 'rule:expired', body: { valid: false } });
    await app.invalidate(token);
    expect((await session(base, token)).status).toBe(401);
  });

  it('never matches a session rule without state, and refuses an unknown session condition at start', async () => {
    app = await createMockServer({ spec: await sessionContract(), seed: 5, scenarios: rules, fixturesDir: false });
    const plain = await app.inject({ method: 'GET', url: sessionPath, headers: { 'x-session-token': 'anything' } });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['iwkit-scenario']).not.toMatch(/^rule:/);
    await expect(createMockServer({ spec: await sessionContract(), stateful: true, scenarios: [{ operationId: 'getSession', match: { session: 'gone' as 'dead' }, respond: { status: 200 } }], fixturesDir: false }))
      .rejects.toThrow(/match.session.*session is one of live, dead, expired, unknown/);
  });
});
