// createHandlers in a real browser: a page bundled with esbuild (createHandlers + setupWorker + the
// precompiled login contract) is served with MSW's service worker by a static file server on 127.0.0.1,
// with no mock server anywhere; the page's fetch of the login is answered by the worker.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderContractModule } from '../../src/msw/render-contract-module.js';
import { loadApi } from '../../src/openapi/load-api.js';
import { readFixtures } from '../../src/server/read-fixtures.js';
import { browserAvailability, launchChromium, launchTimeoutMs } from './browser-harness.js';
import { independentValidator, responseSchemaPointer } from '../openapi/independent-validator.js';

const page = `
import { setupWorker } from 'msw/browser';
import { createHandlers } from ${JSON.stringify(resolve('src/msw/create-handlers.ts'))};
import contract from './contract.js';

const mock = createHandlers(contract.document, { fixtures: contract.fixtures, seed: 1 });
// The same contract, stateful, under /stateful: sessions kept in the in-memory store, in the page.
const stateful = createHandlers(contract.document, { fixtures: contract.fixtures, seed: 1, stateful: true, baseUrl: location.origin + '/stateful' });
await setupWorker(...stateful, ...mock).start({ quiet: true, onUnhandledRequest: 'bypass', serviceWorker: { url: '/mockServiceWorker.js' } });
const call = async (prefer, base = '') => {
  const res = await fetch(base + '/api/opendata/instagram/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-session-token': 'browser-token', ...(prefer ? { prefer } : {}) },
    body: JSON.stringify({ data: { code: 'abc', type: 'web', client_id: null } }),
  });
  return { status: res.status, scenario: res.headers.get('iwkit-scenario'), body: await res.json() };
};
const first = await call(undefined, '/stateful');
const second = await call(undefined, '/stateful');
const invalidated = await stateful.invalidate(first.body.sessionid);
const third = await call(undefined, '/stateful');
window.results = { plain: await call(), twoFactor: await call('example=missing-2fa'), invalid: await fetch('/api/opendata/instagram/login', { method: 'POST' }).then((r) => r.status), stateful: { first, second, invalidated, third } };
`;

const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

/** Serves the files of one folder, nothing else. */
async function serveFolder(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(async (request, response) => {
    const name = (request.url ?? '/').split('?')[0] === '/' ? 'index.html' : (request.url ?? '').split('?')[0].slice(1);
    if (!/^[\w.-]+$/.test(name)) return response.writeHead(404).end();
    try {
      const body = await readFile(join(dir, name));
      response.writeHead(200, { 'content-type': types[extname(name)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise<void>((done) => { server.closeAllConnections(); server.close(() => done()); }) };
}

describe.skipIf(browserAvailability.skip)('createHandlers with setupWorker in Chromium', () => {
  let dir: string;
  let site: Awaited<ReturnType<typeof serveFolder>>;
  let browser: Browser;
  let gzipBytes = 0;
  let inputs: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'iwkit-msw-'));
    const api = await loadApi('schema/openapi.yaml');
    const fixtures = await readFixtures('fixtures', api.operations.map((o) => o.operationId));
    await writeFile(join(dir, 'contract.js'), renderContractModule(api, fixtures, '// test contract').source);
    await writeFile(join(dir, 'page.js'), page);
    const result = await build({ entryPoints: [join(dir, 'page.js')], bundle: true, minify: true, platform: 'browser', format: 'esm', target: 'es2022', outfile: join(dir, 'app.js'), metafile: true, logLevel: 'silent', nodePaths: [resolve('node_modules')] });
    inputs = Object.keys(result.metafile.inputs);
    gzipBytes = gzipSync(await readFile(join(dir, 'app.js'))).length;
    await writeFile(join(dir, 'mockServiceWorker.js'), await readFile('node_modules/msw/lib/mockServiceWorker.js'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>iwkit msw</title><script type="module" src="/app.js"></script>');
    site = await serveFolder(dir);
    browser = await launchChromium();
  }, launchTimeoutMs + 30_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers the page’s login fetch with a realistic, schema-valid session and the missing-2fa fixture via Prefer', async () => {
    const tab = await browser.newPage();
    await tab.goto(site.url);
    await tab.waitForFunction(() => (window as unknown as { results?: unknown }).results !== undefined, undefined, { timeout: 15_000 });
    const results = (await tab.evaluate(() => (window as unknown as { results: unknown }).results)) as {
      plain: { status: number; scenario: string; body: Record<string, unknown> };
      twoFactor: { status: number; scenario: string; body: Record<string, unknown> };
      invalid: number;
      stateful: { first: { scenario: string; body: Record<string, string> }; second: { scenario: string; body: Record<string, string> }; invalidated: boolean; third: { scenario: string } };
    };
    const api = await loadApi('schema/openapi.yaml');
    const login = api.operations.find((o) => o.operationId === 'instagramLogin')!;
    const pointer = responseSchemaPointer(api.document, login, 200, 'application/json')!;
    const checker = independentValidator(api.document);
    const validate = (value: unknown) => checker.errors(pointer, 'response', value);
    expect(results.plain).toMatchObject({ status: 200, scenario: 'fixture:default' });
    expect(results.plain.body).toMatchObject({ id: expect.any(Number), sessionid: expect.any(String) });
    expect(validate(results.plain.body)).toEqual([]);
    expect(results.twoFactor).toMatchObject({ status: 200, scenario: 'fixture:missing-2fa' });
    expect(validate(results.twoFactor.body)).toEqual([]);
    expect(results.invalid).toBe(401);
    // In-process state in the browser: the same login body gets its session back, refreshed, until it is invalidated.
    const { first, second, invalidated, third } = results.stateful;
    expect(first.scenario).toBe('state:session-created');
    expect(second.scenario).toBe('state:session-refreshed');
    expect(second.body.sessionid).toBe(first.body.sessionid);
    expect(Date.parse(second.body.refreshed_start)).toBeGreaterThan(Date.parse(first.body.refreshed_start));
    expect(validate(second.body)).toEqual([]);
    expect(invalidated).toBe(true);
    expect(third.scenario).toBe('state:session-created');
    await tab.close();
  });

  it('keeps the page bundle free of a YAML parser, the OpenAPI loader and ajv, and reports its size', () => {
    console.log(`iwkit msw page bundle: ${(gzipBytes / 1024).toFixed(1)} KiB min+gzip`);
    expect(inputs.filter((i) => /openapi\/load-api|openapi-parser|node_modules\/yaml\/|node_modules\/ajv\//.test(i))).toEqual([]);
    // The stateful core and the in-memory store are in the bundle (built for the browser, so without Node built-ins); Redis is not.
    expect(inputs.some((i) => i.endsWith('src/state/memory-store.ts')) && inputs.some((i) => i.endsWith('src/mock/answer-stateful.ts'))).toBe(true);
    expect(inputs.filter((i) => /redis/.test(i))).toEqual([]);
    expect(inputs.some((i) => i.includes('@faker-js/faker/dist/locale/') && !/locale\/en\b/.test(i))).toBe(false);
  });
});
