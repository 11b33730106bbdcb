// A frontend's session life in a real browser: a page on one origin logs in against the stateful mock on
// another (loopback, CORS), uses the sessionid in x-session-token, the test expires the session through the
// admin API (no sleeping), the page sees the 401 (or, with a session rule, valid: false), logs in again and
// is valid again.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioRule } from '../../src/mock/scenario-rules.js';
import { independentValidator, responseSchemaPointer } from '../openapi/independent-validator.js';
import { loginPath, sessionContract, sessionPath } from '../state/session-contract.js';
import { browserAvailability, Closers, launchChromium, launchTimeoutMs, screenshot, servePage, startMock } from './browser-harness.js';

const stepTimeout = 5_000;

/** The page: window.login() returns the sessionid, window.me(token) the session call's status and body. */
function sessionPage(mockUrl: string): string {
  return `<!doctype html><title>session</title><pre id="log"></pre><script>
const mock = ${JSON.stringify(mockUrl)};
const log = (line) => { document.getElementById('log').textContent += line + '\\n'; };
window.login = async () => {
  const res = await fetch(mock + ${JSON.stringify(loginPath)}, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-session-token': 'browser-start' },
    body: JSON.stringify({ data: { code: 'browser-code', type: 'web', client_id: null } }),
  });
  const body = await res.json();
  log('login ' + res.status + ' ' + body.sessionid);
  return body.sessionid;
};
window.me = async (token) => {
  const res = await fetch(mock + ${JSON.stringify(sessionPath)}, { headers: { 'x-session-token': token } });
  const body = await res.json();
  log('session ' + res.status + ' ' + JSON.stringify(body.valid ?? body.detail));
  return { status: res.status, type: res.headers.get('content-type'), scenario: res.headers.get('iwkit-scenario'), body };
};
document.body.dataset.ready = 'true';
</script>`;
}

interface Me {
  status: number;
  type: string;
  scenario: string;
  body: Record<string, unknown>;
}

describe.skipIf(browserAvailability.skip)('a stateful session in Chromium', () => {
  const closers = new Closers();
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  }, launchTimeoutMs + 5_000);
  afterAll(async () => {
    await closers.closeAll();
    await browser?.close();
  });

  async function open(rules: ScenarioRule[]) {
    const mock = closers.add(await startMock({ spec: await sessionContract(), stateful: true, admin: true, fixturesDir: false, scenarios: rules }));
    const site = closers.add(await servePage(sessionPage(mock.url)));
    expect(new URL(site.url).origin).not.toBe(new URL(mock.url).origin);
    const context = closers.add(await browser.newContext());
    const page = await context.newPage();
    page.setDefaultTimeout(stepTimeout);
    await page.goto(site.url);
    await page.locator('body[data-ready=true]').waitFor({ state: 'attached' });
    const login = () => page.evaluate(() => (window as unknown as { login: () => Promise<string> }).login());
    const me = (token: string) => page.evaluate((t) => (window as unknown as { me: (t: string) => Promise<Me> }).me(t), token);
    const expire = async (token: string) => (await fetch(`${mock.url}/__iwkit/state/sessions/${encodeURIComponent(token)}/expire`, { method: 'POST' })).status;
    const validator = independentValidator(mock.app.iwkitApi.document);
    const pointer = responseSchemaPointer(mock.app.iwkitApi.document, { path: sessionPath, method: 'get' }, 200, 'application/json')!;
    const valid = (body: unknown) => validator.errors(pointer, 'response', body);
    return { page, login, me, expire, valid };
  }

  it('logs in, is valid, sees the 401 once the session expired, logs in again and is valid again', async () => {
    const { page, login, me, expire, valid } = await open([{ name: 'live', operationId: 'getSession', match: { session: 'live' }, respond: { merge: { valid: true } } }]);
    const token = await login();
    expect(token).toEqual(expect.any(String));
    const first = await me(token);
    expect(first).toMatchObject({ status: 200, scenario: 'rule:live', body: { valid: true } });
    expect(valid(first.body)).toEqual([]);

    expect(await expire(token)).toBe(204);
    const refused = await me(token);
    expect(refused.status).toBe(401);
    expect(refused.type).toMatch(/^application\/problem\+json/);
    expect(String(refused.body.detail)).toContain('expired');

    expect(await login()).toBe(token);
    const again = await me(token);
    expect(again).toMatchObject({ status: 200, body: { valid: true } });
    expect(valid(again.body)).toEqual([]);
    await screenshot(page, 'browser-stateful-session');
  });

  it('sees valid: false (200) for the expired session where a rule answers dead sessions so', async () => {
    const { login, me, expire, valid } = await open([
      { name: 'dead', operationId: 'getSession', match: { session: 'dead' }, respond: { fixture: 'invalid-session' } },
      { name: 'live', operationId: 'getSession', match: { session: 'live' }, respond: { merge: { valid: true } } },
    ]);
    const token = await login();
    expect((await me(token)).body.valid).toBe(true);
    expect(await expire(token)).toBe(204);
    const dead = await me(token);
    expect(dead).toMatchObject({ status: 200, scenario: 'rule:dead', body: { valid: false } });
    expect(valid(dead.body)).toEqual([]);
    await login();
    expect((await me(token)).body.valid).toBe(true);
  });
});
