// What a frontend team sees in a real browser: Chromium on one origin calling the mock on another,
// and the mock's /docs page.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, Closers, launchChromium, launchTimeoutMs, screenshot, servePage, startMock } from './browser-harness.js';
import { loginPage, repeatLoginPage } from './login-page.js';

const LOGIN = '/api/opendata/instagram/login';
const stepTimeout = 5_000;
const suite = browserAvailability.skip
  ? `the mock in Chromium (skipped: ${browserAvailability.reason})`
  : 'the mock in Chromium';

if (browserAvailability.skip) console.warn(`browser tests skipped: ${browserAvailability.reason}`);

describe.skipIf(browserAvailability.skip)(suite, () => {
  const closers = new Closers();
  let launched: { browser: Browser } | { error: unknown };

  beforeAll(async () => {
    // A launch failure is rethrown by each test, so a missing browser under CI counts as failed tests, not skipped ones.
    launched = await launchChromium().then((browser) => ({ browser }), (error: unknown) => ({ error }));
  }, launchTimeoutMs + 5_000);

  afterAll(async () => {
    await closers.closeAll();
    if (launched && 'browser' in launched) await launched.browser.close();
  });

  /**
   * A fresh page. With `blockOffMachine`, requests to anything but loopback are aborted and recorded, so a
   * test proves nothing leaves the machine. Only for same-origin pages: while routing is on, Playwright
   * answers CORS preflights itself, which would hide the mock's own CORS handling.
   */
  async function openPage(blockOffMachine = false): Promise<{ page: Page; offMachine: string[] }> {
    if ('error' in launched) throw launched.error;
    const context = closers.add(await launched.browser.newContext({ viewport: { width: 1100, height: 800 } }));
    const offMachine: string[] = [];
    if (blockOffMachine) {
      await context.route('**/*', (route) => {
        const url = new URL(route.request().url());
        if (url.protocol === 'data:' || url.hostname === '127.0.0.1') return route.continue();
        offMachine.push(route.request().url());
        return route.abort('blockedbyclient');
      });
    }
    const page = await context.newPage();
    page.setDefaultTimeout(stepTimeout);
    page.setDefaultNavigationTimeout(stepTimeout);
    return { page, offMachine };
  }

  async function openLoginPage(mockUrl: string, options: { token?: string; prefer?: string; cookie?: string }): Promise<Page> {
    const site = closers.add(await servePage(loginPage({ mockUrl, ...options })));
    expect(new URL(site.url).origin).not.toBe(new URL(mockUrl).origin);
    const { page } = await openPage();
    await page.goto(site.url);
    await page.locator('body[data-done=true]').waitFor();
    return page;
  }

  async function openRepeatPage(mockUrl: string): Promise<Page> {
    const site = closers.add(await servePage(repeatLoginPage({ mockUrl, token: 'frontend-dev' })));
    const { page } = await openPage();
    await page.goto(site.url);
    await page.locator('body[data-done=true]').waitFor();
    return page;
  }

  const login = (page: Page): Promise<string> => page.evaluate(() => (window as unknown as { login: () => Promise<string> }).login());

  it('shows Failed to fetch for a times: 1 reset added after a login on the same keep-alive connection, and the next login succeeds', async () => {
    const mock = closers.add(await startMock({ journal: true }));
    const page = await openRepeatPage(mock.url);
    expect(await login(page)).toBe('HTTP 200');
    // The browser keeps that connection open; the next login goes out on it.
    mock.app.use({ operationId: 'instagramLogin', times: 1, respond: { fault: 'reset' } });
    expect(await login(page)).toBe('TypeError: Failed to fetch');
    expect(await login(page)).toBe('HTTP 200');
    await screenshot(page, 'browser-fault-reset');
    const statuses = mock.app.journal({ operationId: 'instagramLogin' }).map((e) => e.status);
    // The browser's silent re-sends of the dropped login got the fault again (one or more drops), then one 200.
    expect(statuses[0]).toBe(200);
    expect(statuses.at(-1)).toBe(200);
    expect(statuses.slice(1, -1).length).toBeGreaterThanOrEqual(1);
    expect(statuses.slice(1, -1).every((s) => s === null)).toBe(true);
  });

  it('shows Failed to fetch for a times: 1 empty answer from the rules, after a first login answered, and the next login succeeds', async () => {
    const mock = closers.add(await startMock({
      journal: true,
      scenarios: { rules: [
        { name: 'first-ok', operationId: 'instagramLogin', times: 1, respond: { status: 200 } },
        { name: 'then-empty', operationId: 'instagramLogin', times: 1, respond: { fault: 'empty' } },
      ] },
    }));
    const page = await openRepeatPage(mock.url);
    expect(await login(page)).toBe('HTTP 200');
    expect(await login(page)).toBe('TypeError: Failed to fetch');
    expect(await login(page)).toBe('HTTP 200');
    expect(await login(page)).toBe('HTTP 200');
  });

  it('logs in from another origin through the CORS preflight and renders the missing-2fa session', async () => {
    const mock = closers.add(await startMock());
    const page = await openLoginPage(mock.url, { token: 'frontend-dev', prefer: 'example=missing-2fa' });
    await screenshot(page, 'browser-cors-ok');

    expect(await page.locator('#status').textContent()).toBe('HTTP 200');
    expect(await page.locator('#scenario').textContent()).toBe('fixture:missing-2fa');
    expect(await page.locator('[data-field=missing2fa]').textContent()).toBe('true');
    expect(await page.locator('[data-field=valid]').textContent()).toBe('true');
    expect(await page.locator('[data-field=sessionid]').textContent()).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(await page.locator('[data-field="selectedcustomer.displayname"]').textContent()).not.toBe('');
    expect(await page.locator('#fetch-error').textContent()).toBe('');

    const preflight = mock.seen.find((r) => r.method === 'OPTIONS' && r.path === LOGIN);
    expect(preflight?.status).toBe(204);
    expect(preflight?.requestHeaders?.split(',').map((h) => h.trim()).sort()).toEqual(['content-type', 'prefer', 'x-session-token']);
    expect(mock.seen.some((r) => r.method === 'POST' && r.path === LOGIN)).toBe(true);
  });

  it('shows the fetch error when the same page calls a mock started with cors: false', async () => {
    const mock = closers.add(await startMock({ cors: false }));
    const page = await openLoginPage(mock.url, { token: 'frontend-dev', prefer: 'example=missing-2fa' });
    await screenshot(page, 'browser-cors-off');

    expect(await page.locator('#status').textContent()).toBe('fetch failed');
    expect(await page.locator('#fetch-error').textContent()).toBe('TypeError: Failed to fetch');
    expect(await page.locator('#session').textContent()).toBe('');
    // The browser stopped at the preflight: the login itself never reached the mock.
    // The mock answers OPTIONS with its Allow list but, with CORS off, no Access-Control-Allow-Origin.
    const preflight = mock.seen.find((r) => r.method === 'OPTIONS' && r.path === LOGIN);
    expect(preflight?.status).toBe(204);
    expect(mock.seen.some((r) => r.method === 'POST')).toBe(false);
  });

  it('selects a scenario through the iwkit-scenario cookie from a page that sets no Prefer header', async () => {
    const mock = closers.add(await startMock());
    const page = await openLoginPage(mock.url, { token: 'frontend-dev', cookie: 'iwkit-scenario=invalid-session' });
    await screenshot(page, 'browser-cookie-scenario');

    expect(await page.locator('#status').textContent()).toBe('HTTP 200');
    expect(await page.locator('#scenario').textContent()).toBe('fixture:invalid-session');
    expect(await page.locator('[data-field=valid]').textContent()).toBe('false');
    const preflight = mock.seen.find((r) => r.method === 'OPTIONS' && r.path === LOGIN);
    expect(preflight?.requestHeaders?.split(',').map((h) => h.trim()).sort()).toEqual(['content-type', 'x-session-token']);
  });

  it("shows the 401 problem's detail when the page sends no token", async () => {
    const mock = closers.add(await startMock());
    const page = await openLoginPage(mock.url, {});
    await screenshot(page, 'browser-401');

    expect(await page.locator('#status').textContent()).toBe('HTTP 401');
    expect(await page.locator('#scenario').textContent()).toBe('problem:401');
    expect(await page.locator('#problem').textContent()).toBe('missing API key in header "x-session-token"');
  });

  it('renders the login in /docs and answers Try it out with a session from the mock itself', async () => {
    const mock = closers.add(await startMock());
    const { page, offMachine } = await openPage(true);
    await page.goto(`${mock.url}/docs`);

    const operation = page.locator('#operations-default-instagramLogin');
    await expect.poll(() => operation.locator('.opblock-summary-path').textContent(), { timeout: stepTimeout }).toBe(LOGIN);
    expect(await operation.locator('.opblock-summary-description').textContent()).toBe('Do log in with instagram code');
    expect(await page.locator('.servers select option').first().textContent()).toContain(mock.url);
    // iwkit's header bar with the raw spec's URL; no Swagger top bar with its Explore box.
    expect(await page.locator('.iwkit-bar a').first().getAttribute('href')).toBe('/openapi.json');
    expect(await page.locator('.topbar').count()).toBe(0);
    expect(await page.locator('.info hgroup.main > a').isVisible()).toBe(false);

    // Authorize with the x-session-token API key.
    await page.locator('.auth-wrapper .btn.authorize').click();
    const modal = page.locator('.dialog-ux .modal-ux');
    await modal.locator('input').first().fill('docs-user-token');
    await modal.locator('.auth-btn-wrapper .btn.authorize').click();
    await modal.locator('.auth-btn-wrapper .btn-done').click();

    await operation.locator('.opblock-summary-control').click();
    await operation.locator('.try-out__btn').click();
    await operation.locator('tr[data-param-name="Prefer"] input').fill('example=missing-2fa');
    await operation.locator('textarea.body-param__text').fill(JSON.stringify({ data: { code: 'from-docs', type: 'web', client_id: null } }));
    await operation.locator('.btn.execute').click();

    const live = operation.locator('.live-responses-table .response');
    await expect.poll(() => live.locator('.response-col_status').first().textContent(), { timeout: stepTimeout }).toBe('200');
    const body = JSON.parse((await live.locator('.response-col_description pre.microlight').first().textContent()) ?? '{}');
    expect(body.missing2fa).toBe(true);
    expect(body.sessionid).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(await operation.locator('.request-url pre').textContent()).toBe(`${mock.url}${LOGIN}`);
    expect(await operation.locator('.curl-command').textContent()).toContain('x-session-token');
    await operation.locator('.live-responses-table').scrollIntoViewIfNeeded();
    await screenshot(page, 'browser-docs-try-it-out');

    expect(mock.seen.some((r) => r.method === 'POST' && r.path === LOGIN)).toBe(true);
    expect(offMachine).toEqual([]);
  });
});
