import { mkdtemp, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchMockServer, type ReloadOutcome, type WatchedMockServer } from '../../src/server/watch-reload.js';

function spec(paths: string[]): string {
  const ops = paths.map((p) => `  /${p}:\n    get:\n      operationId: ${p}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: { type: object, properties: { word: { type: string, enum: [${p}] } }, required: [word] }\n`);
  return `openapi: 3.1.0\ninfo: { title: reload, version: '1' }\npaths:\n${ops.join('')}`;
}

function rules(status: number): string {
  return `rules:\n  - name: switch\n    operationId: hello\n    match:\n      headers:\n        x-mode: on\n    respond:\n      status: ${status}\n`;
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** GET over one kept-alive socket; tells whether the socket was reused. */
function get(base: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; reused: boolean; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { agent, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('--watch hot reload', () => {
  let dir: string;
  let watched: WatchedMockServer;
  let waiting: ((o: ReloadOutcome) => boolean)[] = [];
  // File systems may report one save as several events: wait for the outcome a test expects, not just the next one.
  const nextReload = (ok = true) => new Promise<ReloadOutcome>((resolve) => waiting.push((o) => (o.ok === ok ? (resolve(o), true) : false)));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'iwkit-watch-'));
    await writeFile(join(dir, 'api.yaml'), spec(['hello']));
    await writeFile(join(dir, 'rules.yaml'), rules(503));
    watched = await watchMockServer(
      { spec: join(dir, 'api.yaml'), scenarios: join(dir, 'rules.yaml'), fixturesDir: false, seed: 1, docs: false },
      { port: 0, host: '127.0.0.1', debounceMs: 50, onReload: (o) => (waiting = waiting.filter((f) => !f(o))) },
    );
  });
  afterAll(async () => {
    agent.destroy();
    await watched.close();
  });

  it('serves the first version', async () => {
    expect((await get(watched.address, '/hello')).status).toBe(200);
    expect((await get(watched.address, '/hello', { 'x-mode': 'on' })).status).toBe(503);
  });

  it('picks up an edited rules file and keeps run-time overrides, on the same kept-alive connection', async () => {
    watched.current().use({ operationId: 'hello', match: { headers: { 'x-kept': { exists: true } } }, respond: { status: 202 } });
    const reloaded = nextReload();
    await writeFile(join(dir, 'rules.yaml'), rules(418));
    expect(await reloaded).toEqual({ ok: true });
    const res = await get(watched.address, '/hello', { 'x-mode': 'on' });
    expect(res.status).toBe(418);
    expect(res.reused).toBe(true);
    expect((await get(watched.address, '/hello', { 'x-kept': '1' })).status).toBe(202);
  });

  it('finishes a request in flight across a reload, and serves a path added to the spec', async () => {
    const inFlight = get(watched.address, '/hello', { prefer: 'delay=300' });
    const reloaded = nextReload();
    await writeFile(join(dir, 'api.yaml'), spec(['hello', 'bye']));
    expect(await reloaded).toEqual({ ok: true });
    expect((await inFlight).status).toBe(200);
    const bye = await get(watched.address, '/bye');
    expect(bye.status).toBe(200);
    expect(JSON.parse(bye.body)).toEqual({ word: 'bye' });
  });

  it('keeps the last good version when an edit breaks the spec or the rules, and reports the coded error', async () => {
    let failed = nextReload(false);
    await writeFile(join(dir, 'api.yaml'), 'openapi: 3.1.0\npaths: [unclosed\n');
    const badSpec = await failed;
    expect(badSpec.ok).toBe(false);
    expect(badSpec.ok === false && (badSpec.error as Error & { code?: string }).code).toMatch(/^IWKIT_ERR_SPEC_/);
    expect((await get(watched.address, '/bye')).status).toBe(200);

    await writeFile(join(dir, 'api.yaml'), spec(['hello', 'bye']));
    expect(await nextReload()).toEqual({ ok: true });
    failed = nextReload(false);
    await writeFile(join(dir, 'rules.yaml'), 'rules:\n  - operationId: nope\n    respond: { status: 500 }\n');
    const broken = await failed;
    expect(broken.ok === false && (broken.error as Error & { code?: string }).code).toBe('IWKIT_ERR_SCENARIO_INVALID');
    expect((await get(watched.address, '/hello', { 'x-mode': 'on' })).status).toBe(418);
  });
});
