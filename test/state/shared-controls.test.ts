import { createClient } from '@redis/client';
import type { MockServer } from '../../src/server/mock-server.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMockServer, type MockServerOptions } from '../../src/server/create-mock-server.js';
import { startRedis, type RedisServer } from './start-redis.js';

// Two mocks on two loopback ports behind one real Redis: overrides, their `times` counters and the
// journal are the same whichever replica a request reaches.

const SPEC = 'test/specs/things-3.1.yaml';
let redis: RedisServer;
let raw: ReturnType<typeof createClient>;
const apps: MockServer[] = [];

beforeAll(async () => {
  redis = await startRedis();
  raw = createClient({ url: redis.url });
  raw.on('error', () => {});
  await raw.connect();
});
afterAll(async () => {
  raw?.destroy();
  await redis?.stop();
});
beforeEach(async () => {
  await raw.sendCommand(['FLUSHDB']);
});
afterEach(async () => {
  redis.resume();
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/** A replica listening on its own loopback port. */
async function replica(options: MockServerOptions = {}): Promise<{ app: MockServer; base: string }> {
  const app = await createMockServer({ spec: SPEC, stateful: true, state: redis.url, admin: true, seed: 3, ...options });
  apps.push(app);
  return { app, base: await app.listen({ port: 0, host: '127.0.0.1' }) };
}

async function call(base: string, method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) {
  const headers = { ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers };
  const response = await fetch(`${base}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type') ?? '', scenario: response.headers.get('iwkit-scenario'), body: text ? JSON.parse(text) : undefined };
}

const login = (base: string, headers: Record<string, string> = {}) => call(base, 'POST', '/login', { body: { user: 'ann' }, headers });

describe('overrides shared through Redis', () => {
  it('fires a times:1 override added through one replica exactly once across both, and both then forget it', async () => {
    const [a, b] = [await replica(), await replica()];
    const set = await call(a.base, 'POST', '/__iwkit/overrides', { body: { operationId: 'login', respond: { status: 400 }, times: 1 } });
    expect(set.status).toBe(201);
    expect((await call(b.base, 'GET', '/__iwkit/overrides')).body.overrides).toMatchObject([{ id: set.body.override.id, remaining: 1 }]);
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => login(i % 2 === 0 ? a.base : b.base)));
    expect(answers.filter((r) => r.scenario?.startsWith('override:'))).toHaveLength(1);
    expect(answers.filter((r) => r.status === 400)).toHaveLength(1);
    expect(answers.filter((r) => r.status === 200)).toHaveLength(11);
    expect((await call(a.base, 'GET', '/__iwkit/overrides')).body.overrides).toEqual([]);
    expect((await call(b.base, 'GET', '/__iwkit/overrides')).body.overrides).toEqual([]);
  });

  it('counts times:3 down across replicas, one use per answer, and shows the uses left on either', async () => {
    const [a, b] = [await replica(), await replica()];
    await call(a.base, 'POST', '/__iwkit/overrides', { body: { operationId: 'login', respond: { status: 400 }, times: 3 } });
    expect((await login(b.base)).status).toBe(400);
    expect((await call(a.base, 'GET', '/__iwkit/overrides')).body.overrides[0].remaining).toBe(2);
    expect((await login(a.base)).status).toBe(400);
    expect((await login(b.base)).status).toBe(400);
    expect((await login(a.base)).status).toBe(200);
    expect((await login(b.base)).status).toBe(200);
  });

  it('keeps an override to its iwkit-client on every replica, and only that client removes it', async () => {
    const [a, b] = [await replica(), await replica()];
    const set = await call(a.base, 'POST', '/__iwkit/overrides', { body: { operationId: 'login', respond: { status: 400 } }, headers: { 'iwkit-client': 'alice' } });
    const { id } = set.body.override;
    expect((await login(b.base, { 'iwkit-client': 'alice' })).status).toBe(400);
    expect((await login(b.base, { 'iwkit-client': 'bob' })).status).toBe(200);
    expect((await login(b.base)).status).toBe(200);
    expect((await call(b.base, 'GET', '/__iwkit/overrides', { headers: { 'iwkit-client': 'bob' } })).body.overrides).toEqual([]);
    expect((await call(b.base, 'DELETE', `/__iwkit/overrides/${id}`, { headers: { 'iwkit-client': 'bob' } })).status).toBe(404);
    expect((await call(b.base, 'DELETE', `/__iwkit/overrides/${id}`, { headers: { 'iwkit-client': 'alice' } })).status).toBe(204);
    expect((await login(a.base, { 'iwkit-client': 'alice' })).status).toBe(200);
  });

  it('holds maxOverrides and maxOverrideBytes across replicas: the third override is refused whichever replica takes it', async () => {
    const limits = { maxOverrides: 2, maxOverrideBytes: 400 };
    const [a, b] = [await replica({ limits }), await replica({ limits })];
    const override = { operationId: 'login', respond: { status: 400 } };
    expect((await call(a.base, 'POST', '/__iwkit/overrides', { body: override })).status).toBe(201);
    expect((await call(b.base, 'POST', '/__iwkit/overrides', { body: override })).status).toBe(201);
    const refused = await call(a.base, 'POST', '/__iwkit/overrides', { body: override });
    expect(refused).toMatchObject({ status: 409, body: { code: 'IWKIT_ERR_OVERRIDE_LIMIT', limit: { name: 'maxOverrides', value: 2 } } });
    expect((await call(b.base, 'DELETE', '/__iwkit/overrides')).body.removed).toBe(2);
    const big = { ...override, respond: { status: 400, body: { error: 'x'.repeat(300) } } };
    expect((await call(a.base, 'POST', '/__iwkit/overrides', { body: big })).status).toBe(201);
    expect((await call(b.base, 'POST', '/__iwkit/overrides', { body: big })).body).toMatchObject({ status: 413, limit: { name: 'maxOverrideBytes', value: 400 } });
  });

  it('asks code for the async controls: use() and journal() refuse with a coded error, addOverride() and readJournal() work', async () => {
    const [a, b] = [await replica(), await replica()];
    expect(() => a.app.use({ operationId: 'login', respond: { status: 400 } })).toThrow(expect.objectContaining({ code: 'IWKIT_ERR_CONTROLS_SHARED' }));
    expect(() => a.app.journal()).toThrow(expect.objectContaining({ code: 'IWKIT_ERR_CONTROLS_SHARED' }));
    const info = await a.app.addOverride({ operationId: 'login', respond: { status: 400 }, times: 1 });
    expect(info).toMatchObject({ operationId: 'login', remaining: 1 });
    expect((await login(b.base)).status).toBe(400);
    expect((await b.app.readJournal({ operationId: 'login' })).map((e) => e.status)).toEqual([400]);
    await a.app.reset();
    expect(await b.app.readJournal()).toEqual([]);
  });
});

describe('the journal shared through Redis', () => {
  it('lets entries written by one replica be read through the other, in order, capped, secrets redacted before Redis', async () => {
    const [a, b] = [await replica({ journal: 3 }), await replica({ journal: 3 })];
    const token = (await login(a.base, { 'iwkit-client': 'j1' })).body.token as string;
    for (const base of [a.base, b.base, a.base]) await call(base, 'GET', '/things/9', { headers: { authorization: `Bearer ${token}`, 'iwkit-client': 'j1' } });
    const read = await call(b.base, 'GET', '/__iwkit/journal?client=*');
    expect(read.body.capacity).toBe(3);
    const entries = read.body.entries as { id: number; status: number; operationId: string; headers: Record<string, string> }[];
    expect(entries.map((e) => [e.operationId, e.status])).toEqual([['getThing', 404], ['getThing', 404], ['getThing', 404]]);
    expect(entries.map((e) => e.headers['iwkit-client'])).toEqual(['j1', 'j1', 'j1']);
    expect(entries.map((e) => e.id)).toEqual([...entries.map((e) => e.id)].sort((x, y) => x - y));
    expect(entries[0].headers.authorization).not.toContain(token);
    const stored = (await raw.sendCommand(['LRANGE', 'iwkit:controls:journal', '0', '-1'])) as string[];
    expect(stored).toHaveLength(3);
    expect(stored.join('\n')).not.toContain(token);
    expect((await call(a.base, 'GET', '/__iwkit/journal', { headers: { 'iwkit-client': 'j1' } })).body.entries).toHaveLength(3);
    expect((await call(a.base, 'GET', '/__iwkit/journal', { headers: { 'iwkit-client': 'other' } })).body.entries).toHaveLength(0);
    expect((await call(b.base, 'DELETE', '/__iwkit/journal', { headers: { 'iwkit-client': 'j1' } })).body.removed).toBe(3);
    expect((await call(a.base, 'GET', '/__iwkit/journal?client=*')).body.entries).toEqual([]);
  });
});

describe('a stalled Redis', () => {
  it('answers 503 problem+json naming the store within the state time-out while Redis is stopped, and recovers after', async () => {
    const { base } = await replica({ stateTimeoutMs: 200 });
    expect((await login(base)).status).toBe(200);
    redis.pause();
    const stalled = await login(base);
    expect(stalled).toMatchObject({ status: 503, body: { store: redis.url } });
    expect(stalled.type).toMatch(/^application\/problem\+json/);
    expect(stalled.body.detail).toContain('no answer within 200 ms');
    const admin = await call(base, 'GET', '/__iwkit/overrides');
    expect(admin).toMatchObject({ status: 503, body: { store: redis.url } });
    redis.resume();
    let status = 0;
    for (let i = 0; i < 200 && status !== 200; i++) {
      status = (await login(base)).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(status).toBe(200);
  });

  it('forgets the overrides a restarted (empty) Redis no longer holds, and takes new ones', async () => {
    const { base } = await replica({ stateTimeoutMs: 500 });
    await call(base, 'POST', '/__iwkit/overrides', { body: { operationId: 'login', respond: { status: 400 } } });
    expect((await login(base)).status).toBe(400);
    await redis.stop();
    await redis.start();
    let status = 0;
    for (let i = 0; i < 200 && status !== 200; i++) {
      status = (await login(base)).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(status).toBe(200);
    expect((await call(base, 'POST', '/__iwkit/overrides', { body: { operationId: 'login', respond: { status: 400 }, times: 1 } })).status).toBe(201);
    expect((await login(base)).status).toBe(400);
    expect((await login(base)).status).toBe(200);
  });

  it('refuses a state time-out that is not a positive whole number of ms', async () => {
    await expect(createMockServer({ spec: SPEC, stateful: true, stateTimeoutMs: 0 })).rejects.toMatchObject({ code: 'IWKIT_ERR_OPTION_INVALID' });
  });
});
