import type { MockServer } from '../../src/server/mock-server.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadApi } from '../../src/openapi/load-api.js';
import { createMockServer } from '../../src/server/create-mock-server.js';
import { LOGIN, listenLocal, postLogin } from './scripting-helpers.js';

describe('use(), reset() and journal() on the mock', () => {
  let mock: MockServer;
  let base: string;
  beforeAll(async () => {
    mock = await createMockServer({ spec: await loadApi('schema/openapi.yaml'), fixturesDir: 'fixtures', seed: 2 });
    base = await listenLocal(mock);
  });
  afterEach(() => mock.reset());
  afterAll(() => mock.close());

  it('answers the next request as use() says, once, then as before', async () => {
    const info = mock.use({ operationId: 'instagramLogin', respond: { fixture: 'missing-2fa' }, times: 1 });
    expect(info).toMatchObject({ id: expect.any(String), remaining: 1 });
    expect((await (await postLogin(base, 'a')).json()).missing2fa).toBe(true);
    expect((await (await postLogin(base, 'a')).json()).missing2fa).toBe(false);
  });

  it('lets the newest override win and reset() remove them all', async () => {
    mock.use({ operationId: 'instagramLogin', respond: { status: 500 } });
    mock.use({ operationId: 'instagramLogin', match: { body: { '/data/code': 'vip' } }, respond: { fixture: 'vpn' } });
    expect((await postLogin(base, 'vip')).headers.get('iwkit-scenario')).toMatch(/^override:/);
    expect((await postLogin(base, 'vip')).status).toBe(200);
    expect((await postLogin(base, 'other')).status).toBe(500);
    mock.reset();
    expect((await postLogin(base, 'other')).status).toBe(200);
  });

  it('overrides the shipped rules, which apply again after reset()', async () => {
    mock.use({ operationId: 'instagramLogin', match: { body: { '/data/code': 'expired' } }, respond: { fixture: 'google' } });
    expect((await postLogin(base, 'expired')).status).toBe(200);
    mock.reset();
    expect((await postLogin(base, 'expired')).status).toBe(401);
  });

  it('scopes an override to a client when use() names one', async () => {
    mock.use({ client: 'suite-a', respond: { status: 503 } });
    expect((await postLogin(base, 'x', { 'iwkit-client': 'suite-a' })).status).toBe(503);
    expect((await postLogin(base, 'x', { 'iwkit-client': 'suite-b' })).status).toBe(200);
    expect((await postLogin(base, 'x')).status).toBe(200);
  });

  it('offers addOverride() and readJournal() as the async forms of use() and journal(), which work with any store', async () => {
    const info = await mock.addOverride({ operationId: 'instagramLogin', respond: { fixture: 'missing-2fa' }, times: 1 });
    expect(info).toMatchObject({ operationId: 'instagramLogin', remaining: 1 });
    expect((await (await postLogin(base, 'a')).json()).missing2fa).toBe(true);
    expect((await (await postLogin(base, 'a')).json()).missing2fa).toBe(false);
    expect(await mock.readJournal({ operationId: 'instagramLogin' })).toEqual(mock.journal({ operationId: 'instagramLogin' }));
  });

  it('throws a coded error for an override that names an unknown operation', () => {
    expect(() => mock.use({ operationId: 'logout', respond: { status: 204 } })).toThrow(expect.objectContaining({ code: 'IWKIT_ERR_SCENARIO_INVALID', message: expect.stringContaining('unknown operationId "logout"') }));
  });

  it('journals what the app sent, with the chosen scenario, filterable by operation and client', async () => {
    await postLogin(base, 'needs-2fa', { 'iwkit-client': 'suite-a' });
    await postLogin(base, 'plain');
    await fetch(`${base}/nowhere`);
    const all = mock.journal();
    expect(all.map((e) => e.status)).toEqual([200, 200, 404]);
    expect(all[0]).toMatchObject({ client: 'suite-a', scenario: 'rule:needs-2fa', body: { data: { code: 'needs-2fa' } }, headers: { 'x-session-token': '[redacted]' } });
    expect(mock.journal({ operationId: 'instagramLogin' })).toHaveLength(2);
    expect(mock.journal({ client: 'suite-a' })).toHaveLength(1);
    expect(mock.journal({ client: null }).map((e) => e.path)).toEqual([LOGIN, '/nowhere']);
    mock.reset();
    expect(mock.journal()).toEqual([]);
  });

  it('keeps no large body in the journal, whatever its content type, and honours limit 0', async () => {
    await fetch(`${base}/nowhere`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(200_000) });
    const [entry] = mock.journal();
    expect(entry.body).toBe('[200000 characters not kept]');
    expect(mock.journal({ limit: 0 })).toEqual([]);
    mock.reset();
  });

  it('journals a request whose connection a fault dropped, with no status', async () => {
    await postLogin(base, 'drop').catch(() => undefined);
    expect(mock.journal()).toEqual([expect.objectContaining({ scenario: 'rule:drop', status: null })]);
  });

  it('keeps only the newest entries of a bounded journal', async () => {
    const small = await createMockServer({ spec: await loadApi('schema/openapi.yaml'), fixturesDir: false, journal: 3 });
    for (let i = 0; i < 5; i++) await small.inject({ method: 'POST', url: LOGIN, headers: { 'x-session-token': 't' }, payload: { data: { code: `c${i}` } } });
    expect(small.journal().map((e) => (e.body as { data: { code: string } }).data.code)).toEqual(['c2', 'c3', 'c4']);
    await small.close();
  });
});
