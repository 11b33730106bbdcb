// createHandlers under setupServer: the run-time controls (use, reset, journal), faults as the browser
// sees them, and a spec handed over as a parsed document object.
import { readFile } from 'node:fs/promises';
import { load } from 'js-yaml';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, type MockHandlers } from '../../src/msw/create-handlers.js';
import { loadApi } from '../../src/openapi/load-api.js';

const LOGIN = 'http://localhost/api/opendata/instagram/login';
const headers = { 'content-type': 'application/json', 'x-session-token': 't' };
const body = JSON.stringify({ data: { code: 'abc', type: 'web', client_id: null } });
const login = (extra: Record<string, string> = {}) => fetch(LOGIN, { method: 'POST', headers: { ...headers, ...extra }, body });

describe('createHandlers with setupServer', () => {
  let mock: MockHandlers;
  const server = setupServer();

  beforeAll(async () => {
    mock = createHandlers(await loadApi('schema/openapi.yaml'), { seed: 1 });
    server.use(...mock);
    server.listen({ onUnhandledRequest: 'error' });
  });
  afterEach(() => mock.reset());
  afterAll(() => server.close());

  it('answers the login with a schema-shaped session and journals it with secrets redacted', async () => {
    const res = await login({ 'iwkit-client': 'run-1' });
    expect(res.status).toBe(200);
    expect(res.headers.get('iwkit-scenario')).toBe('generated');
    expect(await res.json()).toMatchObject({ id: expect.any(Number), sessionid: expect.any(String) });
    const [entry] = mock.journal({ client: 'run-1' });
    expect(entry).toMatchObject({ operationId: 'instagramLogin', method: 'POST', status: 200, scenario: 'generated', client: 'run-1' });
    expect(entry.headers['x-session-token']).toBe('[redacted]');
    expect(entry.body).toEqual(JSON.parse(body));
  });

  it('answers as an override says until reset() removes it', async () => {
    const info = mock.use({ operationId: 'instagramLogin', respond: { status: 401 } });
    expect(info.id).toBeTruthy();
    const res = await login();
    expect(res.status).toBe(401);
    expect(res.headers.get('iwkit-scenario')).toBe(`override:${info.id}`);
    mock.reset();
    expect((await login()).status).toBe(200);
    expect(mock.journal()).toHaveLength(1);
  });

  it('turns a reset fault into a network error and a truncated fault into a body that fails to read', async () => {
    mock.use({ operationId: 'instagramLogin', times: 1, respond: { fault: 'reset' } });
    await expect(login()).rejects.toThrow();
    expect(mock.journal().at(-1)).toMatchObject({ status: null });
    mock.use({ operationId: 'instagramLogin', times: 1, respond: { fault: 'truncated' } });
    const cut = await login();
    expect(cut.status).toBe(200);
    await expect(cut.text()).rejects.toThrow();
  });

  it('waits out a rule delay before answering', async () => {
    mock.use({ operationId: 'instagramLogin', times: 1, respond: { delay: 50 } });
    const res = await login();
    expect(res.status).toBe(200);
    expect(mock.journal().at(-1)!.durationMs).toBeGreaterThanOrEqual(40);
  });

  it('refuses an override that names no operation of the spec with a coded error', () => {
    expect(() => mock.use({ operationId: 'nope', respond: { status: 500 } })).toThrow(expect.objectContaining({ code: 'IWKIT_ERR_SCENARIO_INVALID' }));
  });
});

describe('createHandlers given a parsed document', () => {
  it('serves a self-contained document object without loading it, and refuses one with a $ref to another file', async () => {
    const document = load(await readFile('test/specs/petstore-3.0.yaml', 'utf8')) as Record<string, unknown>;
    const server = setupServer(...createHandlers(document, { seed: 3 }));
    server.listen({ onUnhandledRequest: 'error' });
    try {
      const res = await fetch('http://localhost/pets', { headers: { 'x-api-key': 'k' } });
      expect(res.status).toBe(200);
      expect(Array.isArray(await res.json())).toBe(true);
    } finally {
      server.close();
    }
    const library = load(await readFile('test/specs/library-3.1/openapi.yaml', 'utf8')) as Record<string, unknown>;
    expect(() => createHandlers(library)).toThrow(expect.objectContaining({ code: 'IWKIT_ERR_SPEC_REF' }));
  });
});
