import type { MockServer } from '../../src/server/mock-server.js';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src/openapi/api-model.js';
import { loadApi } from '../../src/openapi/load-api.js';
import { createMockServer, type MockServerOptions } from '../../src/server/create-mock-server.js';
import { LOGIN, listenLocal, loginHeaders, postLogin } from './scripting-helpers.js';

let api: Api;
const apps: MockServer[] = [];
const sockets: Socket[] = [];
beforeAll(async () => {
  api = await loadApi('schema/openapi.yaml');
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function start(options: MockServerOptions = {}): Promise<{ app: MockServer; base: string }> {
  const app = await createMockServer({ spec: api, fixturesDir: 'fixtures', scenarios: false, seed: 1, ...options });
  apps.push(app);
  return { app, base: await listenLocal(app) };
}

function admin(base: string, method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  return fetch(`${base}/__iwkit${path}`, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
}

/** Opens a bare socket, writes `text`, and resolves with everything received once the server closes it. */
function rawExchange(base: string, text: string, keepOpen = true): { socket: Socket; done: Promise<string> } {
  const url = new URL(base);
  const socket = connect(Number(url.port), url.hostname);
  sockets.push(socket);
  let received = '';
  const done = new Promise<string>((resolve) => {
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('close', () => resolve(received));
    socket.on('error', () => undefined);
  });
  socket.write(text);
  if (!keepOpen) socket.end();
  return { socket, done };
}

/** A string nested `depth` arrays deep. */
function deepJson(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

describe('delayed requests', () => {
  it('refuses a delayed request past maxDelayed with a 503 problem naming the limit and a Retry-After, and serves the others', async () => {
    const { base } = await start({ limits: { maxDelayed: 2 } });
    const answers = await Promise.all([1, 2, 3].map((i) => postLogin(base, `c${i}`, { prefer: 'delay=800' })));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 200, 503]);
    const refused = answers.find((a) => a.status === 503)!;
    expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ status: 503, limit: { name: 'maxDelayed', value: 2 }, detail: expect.stringContaining('maxDelayed=2') });
    // An undelayed request never waits for a place.
    expect((await postLogin(base, 'now')).status).toBe(200);
  });

  it('frees the place of a client that goes away during its delay', async () => {
    const { base } = await start({ limits: { maxDelayed: 1 } });
    const url = new URL(`${base}${LOGIN}`);
    const gone = await new Promise<void>((resolve) => {
      const req = httpRequest(url, { method: 'POST', headers: { ...loginHeaders, prefer: 'delay=60000' } });
      req.on('error', () => resolve());
      req.end(JSON.stringify({ data: { code: 'leaver' } }));
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 300);
    });
    expect(gone).toBeUndefined();
    await new Promise((r) => setTimeout(r, 100));
    expect((await postLogin(base, 'next', { prefer: 'delay=50' })).status).toBe(200);
  });

  it('bounds a rule delay and the global delay by the same gate', async () => {
    const { base } = await start({ delay: 600, limits: { maxDelayed: 1 } });
    const answers = await Promise.all([postLogin(base, 'a'), postLogin(base, 'b')]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 503]);
  });
});

describe('the override store', () => {
  it('refuses override number maxOverrides + 1 with a 409 problem naming the limit, and does not store it', async () => {
    const { base } = await start({ admin: true, limits: { maxOverrides: 3 } });
    for (let i = 0; i < 3; i++) expect((await admin(base, 'POST', '/overrides', { operationId: 'instagramLogin', respond: { status: 500 } })).status).toBe(201);
    const fourth = await admin(base, 'POST', '/overrides', { operationId: 'instagramLogin', respond: { status: 500 } });
    expect(fourth.status).toBe(409);
    expect(fourth.headers.get('content-type')).toMatch(/problem\+json/);
    expect(await fourth.json()).toMatchObject({ code: 'IWKIT_ERR_OVERRIDE_LIMIT', limit: { name: 'maxOverrides', value: 3 } });
    expect((await (await admin(base, 'GET', '/overrides')).json()).overrides).toHaveLength(3);
    await admin(base, 'DELETE', '/overrides');
    expect((await admin(base, 'POST', '/overrides', { operationId: 'instagramLogin', respond: { status: 500 } })).status).toBe(201);
  });

  it('refuses an override that would take the store past maxOverrideBytes with a 413 problem, and takes it once there is room', async () => {
    const { app, base } = await start({ admin: true, limits: { maxOverrideBytes: 50_000 } });
    const big = (n: number) => ({ operationId: 'instagramLogin', respond: { status: 500, body: { pad: 'x'.repeat(n) } } });
    expect((await admin(base, 'POST', '/overrides', big(30_000))).status).toBe(201);
    const second = await admin(base, 'POST', '/overrides', big(30_000));
    expect(second.status).toBe(413);
    expect(await second.json()).toMatchObject({ limit: { name: 'maxOverrideBytes', value: 50_000 } });
    expect(() => app.use(big(30_000))).toThrow(expect.objectContaining({ code: 'IWKIT_ERR_OVERRIDE_LIMIT' }));
    expect((await (await admin(base, 'GET', '/overrides')).json()).overrides).toHaveLength(1);
    await admin(base, 'DELETE', '/overrides');
    expect((await admin(base, 'POST', '/overrides', big(30_000))).status).toBe(201);
  });

  it('refuses an override nested 20,000 deep with a 400 problem, stores nothing, and keeps answering logins and listings', async () => {
    const { base } = await start({ admin: true });
    const deep = `{"operationId":"instagramLogin","respond":{"status":500,"body":${deepJson(20_000)}}}`;
    const refused = await admin(base, 'POST', '/overrides', deep);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
    const listing = await admin(base, 'GET', '/overrides');
    expect(listing.status).toBe(200);
    expect((await listing.json()).overrides).toEqual([]);
    expect((await postLogin(base, 'after')).status).toBe(200);
  });

  it('gives each issue of an override its JSON pointer, and names an unsafe regex', async () => {
    const { base } = await start({ admin: true });
    const bad = await admin(base, 'POST', '/overrides', { operationId: 'instagramLogin', match: { body: { '/data/cdoe': 'x' } }, respond: { delya: 5 } });
    expect(bad.status).toBe(400);
    const pointers = (await bad.json()).errors.map((e: { pointer: string }) => e.pointer).sort();
    expect(pointers).toEqual(['/match/body/~1data~1cdoe', '/respond/delya']);
    const redos = await admin(base, 'POST', '/overrides', { operationId: 'instagramLogin', match: { body: { '/data/code': { regex: '^(a+)+$' } } }, respond: { status: 500 } });
    expect(redos.status).toBe(400);
    const problem = await redos.json();
    expect(problem.errors).toEqual([expect.objectContaining({ in: 'body', pointer: '/match/body/~1data~1code', message: expect.stringContaining('exponential') })]);
    const long = await admin(base, 'POST', '/overrides', { match: { headers: { 'x-case': { regex: 'a'.repeat(1001) } } }, respond: { status: 500 } });
    expect(long.status).toBe(400);
    expect((await long.json()).errors[0]).toMatchObject({ pointer: '/match/headers/x-case', message: expect.stringContaining('at most 1000') });
  });
});

describe('rules files', () => {
  async function rulesFile(text: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'iwkit-limits-'));
    const file = join(dir, 'scenarios.yaml');
    await writeFile(file, text);
    return file;
  }

  it('refuses an unsafe matcher regex at load time with a coded error naming the rule', async () => {
    const file = await rulesFile("rules:\n  - name: slow\n    operationId: instagramLogin\n    match:\n      body:\n        /data/code: { regex: '^(a+)+$' }\n    respond: { status: 500 }\n");
    await expect(createMockServer({ spec: api, scenarios: file })).rejects.toMatchObject({
      code: 'IWKIT_ERR_SCENARIO_INVALID',
      message: expect.stringMatching(/scenarios\.yaml:6:\d+ \(rules\[0\]\.match\.body\["\/data\/code"\]\).*exponential/),
    });
  });

  it('makes iwkit mock exit 2 with the coded error for a rules file with an unsafe regex', async () => {
    const file = await rulesFile("- name: slow\n  match:\n    headers:\n      x-case: { regex: '(x+x+)+y' }\n  respond: { status: 500 }\n");
    const run = spawnSync(process.execPath, ['dist/iwkit.mjs', 'mock', '--port', '0', '--scenarios', file], { encoding: 'utf8', timeout: 20_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/IWKIT_ERR_SCENARIO_INVALID: .*\[0\]\.match\.headers\["x-case"\].*exponential/);
  });

  it('reports every error of a rules file in one toolkit error', async () => {
    const file = await rulesFile('rules:\n  - operationId: instagramLogin\n    match:\n      body:\n        /data/cdoe: x\n    respond:\n      delya: 5\n  - operationId: nope\n    respond: {}\n');
    const error = await createMockServer({ spec: api, scenarios: file }).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'IWKIT_ERR_SCENARIO_INVALID' });
    const message = (error as Error).message;
    expect(message).toContain('unknown key "delya"');
    expect(message).toContain('has no field /data/cdoe');
    expect(message).toContain('unknown operationId "nope"');
  });
});

describe('the journal', () => {
  it('keeps no more than maxJournalBytes, dropping the oldest entries, and serves no more than that', async () => {
    const { app, base } = await start({ admin: true, limits: { maxJournalBytes: 100_000 } });
    for (let i = 0; i < 40; i++) {
      const res = await fetch(`${base}${LOGIN}`, { method: 'POST', headers: loginHeaders, body: JSON.stringify({ data: { code: `c${i}` }, pad: 'x'.repeat(16_000) }) });
      expect(res.status).toBe(200);
    }
    const served = await admin(base, 'GET', '/journal');
    const text = await served.text();
    expect(served.status).toBe(200);
    expect(text.length).toBeLessThan(100_000 + 200);
    const entries = JSON.parse(text).entries as { body: { data: { code: string } } }[];
    expect(entries.length).toBeGreaterThan(2);
    expect(entries.length).toBeLessThan(40);
    expect(entries.at(-1)!.body.data.code).toBe('c39');
    expect(app.journal().length).toBe(entries.length);
  });

  it('journals a body nested 30,000 deep as a note, and keeps answering the journal with JSON', async () => {
    const { base } = await start({ admin: true });
    await fetch(`${base}/nowhere`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: deepJson(30_000) });
    const journal = await admin(base, 'GET', '/journal');
    expect(journal.status).toBe(200);
    expect(journal.headers.get('content-type')).toMatch(/application\/json/);
    const [entry] = (await journal.json()).entries;
    if (entry?.body !== undefined) expect(entry.body).toMatch(/not kept/);
  });

  it('journals the body of a delayed request although the body is let go of during the delay', async () => {
    const { app, base } = await start({ admin: true });
    expect((await postLogin(base, 'slow-one', { prefer: 'delay=50' })).status).toBe(200);
    expect(app.journal()[0].body).toEqual({ data: { code: 'slow-one' } });
  });
});

describe('connections', () => {
  const head = (base: string, extra: string) => `POST ${LOGIN} HTTP/1.1\r\nhost: ${new URL(base).host}\r\nx-session-token: t\r\ncontent-type: application/json\r\n${extra}\r\n`;

  it('closes a socket that sent 4 of 1,000 announced body bytes with a 408 problem within the request time-out', async () => {
    const { base } = await start({ limits: { requestTimeout: 400 } });
    const { done } = rawExchange(base, `${head(base, 'content-length: 1000\r\n')}{"da`);
    const received = await done;
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(received).toContain('application/problem+json');
  }, 10_000);

  it('closes a chunked body that never ends within the request time-out', async () => {
    const { base } = await start({ limits: { requestTimeout: 400 } });
    const { socket, done } = rawExchange(base, `${head(base, 'transfer-encoding: chunked\r\n')}4\r\n{"da\r\n`);
    const trickle = setInterval(() => socket.writable && socket.write('1\r\nx\r\n'), 100);
    const received = await done;
    clearInterval(trickle);
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
  }, 10_000);

  it('answers a request on a connection past maxConnections with a 503 problem naming the limit, and serves again once one closes', async () => {
    const { base } = await start({ limits: { maxConnections: 2 } });
    const url = new URL(base);
    const idle = [connect(Number(url.port), url.hostname), connect(Number(url.port), url.hostname)];
    sockets.push(...idle);
    await Promise.all(idle.map((s) => new Promise((r) => s.once('connect', r))));
    const { done } = rawExchange(base, `GET /openapi.json HTTP/1.1\r\nhost: ${url.host}\r\n\r\n`);
    const received = await done;
    expect(received).toMatch(/^HTTP\/1\.1 503 /);
    expect(received).toContain('"name":"maxConnections"');
    for (const s of idle) s.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect((await postLogin(base, 'back')).status).toBe(200);
  }, 10_000);

  it('reads large bodies maxLargeBodies at a time, queueing the others unread, while small requests never wait', async () => {
    const { base } = await start({ limits: { maxLargeBodies: 1 } });
    // A half-sent large body holds the only place.
    const { socket } = rawExchange(base, `${head(base, 'content-length: 100000\r\n')}{"data":`);
    await new Promise((r) => setTimeout(r, 100));
    const large = fetch(`${base}${LOGIN}`, { method: 'POST', headers: loginHeaders, body: JSON.stringify({ data: { code: 'big' }, pad: 'x'.repeat(80_000) }) });
    expect((await postLogin(base, 'small')).status).toBe(200);
    socket.destroy();
    expect((await large).status).toBe(200);
  }, 10_000);

  it('answers CONNECT with a 405 problem instead of dropping the socket', async () => {
    const { base } = await start();
    const { done } = rawExchange(base, `CONNECT example.com:443 HTTP/1.1\r\nhost: example.com:443\r\n\r\n`);
    const received = await done;
    expect(received).toMatch(/^HTTP\/1\.1 405 /);
    expect(JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 405, type: expect.stringContaining('urn:iwkit:problem') });
  });

  it('refuses a limit that is not a positive whole number with a coded option error', async () => {
    await expect(createMockServer({ spec: api, limits: { maxDelayed: 0 } })).rejects.toMatchObject({ code: 'IWKIT_ERR_OPTION_INVALID' });
    await expect(createMockServer({ spec: api, limits: { maxConections: 5 } as never })).rejects.toMatchObject({ code: 'IWKIT_ERR_OPTION_INVALID' });
  });
});

afterAll(() => undefined);
