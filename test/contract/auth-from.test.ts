import { afterEach, describe, expect, it } from 'vitest';
import { deriveTokenPointer, expandEnv, planAuth } from '../../src/contract/auth-from.js';
import { renderJson } from '../../src/contract/reporters/json-reporter.js';
import { renderJunit } from '../../src/contract/reporters/junit-reporter.js';
import { formatConsoleReport } from '../../src/contract/reporters/console-reporter.js';
import { runContract } from '../../src/contract/run-contract.js';
import { createSchemaValidation } from '../../src/contract/schema-validation.js';
import { loadApi } from '../../src/openapi/load-api.js';
import { packagedSpecPath } from '../../src/openapi/package-root.js';
import { startSessionServer, type SessionServer } from './session-login-server.js';

const fast = { cases: 1, seed: 9, ratePerSecond: 1000, concurrency: 2, timeoutMs: 2000 };
const body = { data: { code: '$IW_CODE', type: 'instagram' } };

describe('--auth-from: logging in through the contract', () => {
  let server: SessionServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('derives the token pointer, the login body and the credential placement from the spec', async () => {
    const api = await loadApi(packagedSpecPath());
    const schemas = createSchemaValidation(api.references, false);
    const login = api.operations.find((o) => o.operationId === 'instagramLogin')!;
    expect(deriveTokenPointer(login, schemas)).toBe('/sessionid');
    const plan = await planAuth(api, { from: 'instagramLogin' }, schemas, {});
    expect(plan.pointer).toBe('/sessionid');
    expect(plan.header).toBeUndefined();
    expect(plan.case.request.body).toMatchObject({ contentType: 'application/json', value: { data: { code: 'string' } } });
  });

  it('reads environment variables in the login body and refuses a missing one with a coded error', () => {
    const found: string[] = [];
    expect(expandEnv({ a: ['$X', 'pre-${X}-post'], n: 1 }, { X: 'v' }, found)).toEqual({ a: ['v', 'pre-v-post'], n: 1 });
    expect(found).toEqual(['v', 'v']);
    expect(() => expandEnv('$MISSING', {})).toThrow(/auth\.body: environment variable MISSING is not set/);
  });

  it('passes against a server that only accepts sessions it issued, and keeps the session out of every report', async () => {
    server = await startSessionServer({ code: 'ig-code-1234' });
    const result = await runContract({ spec: packagedSpecPath(), baseUrl: server.baseUrl, ...fast, auth: { from: 'instagramLogin', body }, env: { IW_CODE: 'ig-code-1234' } });
    expect(result.warnings).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.auth).toMatchObject({ from: 'instagramLogin', pointer: '/sessionid', logins: 1, relogins: 0, retried: [] });
    expect(server.logins()).toBe(1);
    const valid = result.outcomes.filter((o) => o.auth === 'valid' && o.kind !== 'negative');
    expect(valid.length).toBeGreaterThan(0);
    for (const o of valid) expect(o.response?.status).toBe(200);
    expect(valid[0].curl).toContain('--header "x-session-token: $IWKIT_TOKEN"');
    const [token] = server.issued();
    const outputs = [renderJson(result), renderJunit(result), formatConsoleReport(result, { color: false })];
    for (const text of outputs) {
      for (const form of [token, Buffer.from(token).toString('base64'), 'ig-code-1234']) expect(text).not.toContain(form);
    }
    expect(formatConsoleReport(result, { color: false })).toContain('authenticated through instagramLogin (token at /sessionid');
  });

  it('logs in again when the session expires after N calls, retries the refused case and still passes, reporting the re-login', async () => {
    server = await startSessionServer({ code: 'ig-code-1234', sessionUses: 6 });
    const result = await runContract({ spec: packagedSpecPath(), baseUrl: server.baseUrl, ...fast, concurrency: 1, auth: { from: 'instagramLogin', body, token: '/sessionid' }, env: { IW_CODE: 'ig-code-1234' } });
    expect(result.ok).toBe(true);
    expect(result.auth!.relogins).toBeGreaterThanOrEqual(1);
    expect(result.auth!.logins).toBe(server.logins());
    expect(result.auth!.retried.length).toBe(result.auth!.relogins);
    const retried = result.outcomes.filter((o) => o.relogin);
    expect(retried.map((o) => o.id)).toEqual(result.auth!.retried);
    for (const o of retried) expect(o.response?.status).not.toBe(401);
    expect(formatConsoleReport(result, { color: false })).toMatch(/\d+ re-logins? after a 401 \(retried: instagramLogin\//);
    const text = renderJson(result);
    for (const token of server.issued()) expect(text).not.toContain(token);
  });

  it('stops with IWKIT_ERR_AUTH_FAILED, sending nothing else, when the login is refused', async () => {
    server = await startSessionServer({ code: 'right' });
    await expect(runContract({ spec: packagedSpecPath(), baseUrl: server.baseUrl, ...fast, auth: { from: 'instagramLogin', body: { data: { code: 'wrong' } } } })).rejects.toMatchObject({
      code: 'IWKIT_ERR_AUTH_FAILED',
      message: 'authentication through instagramLogin failed: the login answered 401',
    });
  });

  it('refuses an unknown login operation, a pointer that is no pointer and a header name that is no token', async () => {
    const base = { spec: packagedSpecPath(), baseUrl: 'http://127.0.0.1:9', ...fast };
    await expect(runContract({ ...base, auth: { from: 'nope' } })).rejects.toMatchObject({ code: 'IWKIT_ERR_OPTION_INVALID', message: expect.stringContaining('auth.from') });
    await expect(runContract({ ...base, auth: { from: 'instagramLogin', token: 'sessionid' } })).rejects.toMatchObject({ message: expect.stringContaining('auth.token') });
    await expect(runContract({ ...base, auth: { from: 'instagramLogin', header: 'x session' } })).rejects.toMatchObject({ message: expect.stringContaining('auth.header') });
  });
});
