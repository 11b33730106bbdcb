import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../state/start-redis.js';
import { spawnMock, stopSpawnedMocks } from './spawn-mock.js';

// Two `iwkit mock` processes behind one Redis: what one replica stores, the other answers from.

const SPEC = 'test/specs/things-3.1.yaml';
let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});
afterEach(() => stopSpawnedMocks());

async function call(base: string, method: string, path: string, body?: unknown, token?: string) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : undefined };
}

describe('replicas sharing state through Redis', () => {
  it('lets a session issued by one replica be used on the other, and items created on one be read on the other', async () => {
    const args = ['--spec', SPEC, '--port', '0', '--seed', '4', '--stateful', '--state', redis.url, '--log-level', 'silent'];
    const a = spawnMock(args);
    const b = spawnMock(args);
    const [baseA, baseB] = await Promise.all([a.address, b.address]);
    expect(a.output()).toContain(`persist in ${redis.url}`);
    const token = (await call(baseA, 'POST', '/login', { user: 'replica-user' })).body.token;
    const created = await call(baseB, 'POST', '/things', { name: 'shared', color: 'red' }, token);
    expect(created.status).toBe(201);
    const again = await call(baseA, 'POST', '/things', { name: 'second', color: 'blue' }, token);
    // Ids come from one counter in Redis: no replica hands out an id twice.
    expect(again.body.id).toBe(created.body.id + 1);
    expect((await call(baseA, 'GET', `/things/${created.body.id}`, undefined, token)).body).toEqual(created.body);
    expect((await call(baseB, 'DELETE', `/things/${again.body.id}`, undefined, token)).status).toBe(204);
    expect((await call(baseA, 'GET', `/things/${again.body.id}`, undefined, token)).status).toBe(404);
  });

  it('shares overrides and the journal: a times:1 override set through one replica fires once across both, and either reads both journals', async () => {
    const args = ['--spec', SPEC, '--port', '0', '--seed', '4', '--stateful', '--state', redis.url, '--state-timeout', '2s', '--admin', '--log-level', 'silent'];
    const a = spawnMock(args);
    const b = spawnMock(args);
    const [baseA, baseB] = await Promise.all([a.address, b.address]);
    await call(baseA, 'POST', '/__iwkit/reset');
    const set = await call(baseA, 'POST', '/__iwkit/overrides', { operationId: 'login', respond: { status: 400 }, times: 1 });
    expect(set.status).toBe(201);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => call(i % 2 === 0 ? baseA : baseB, 'POST', '/login', { user: `u${i}` })));
    expect(answers.map((r) => r.status).filter((s) => s === 400)).toHaveLength(1);
    expect(answers.map((r) => r.status).filter((s) => s === 200)).toHaveLength(9);
    const journal = (await call(baseB, 'GET', '/__iwkit/journal?client=*&operationId=login')).body.entries as { status: number }[];
    expect(journal).toHaveLength(10);
    expect(journal.filter((e) => e.status === 400)).toHaveLength(1);
    expect((await call(baseA, 'GET', '/__iwkit/overrides')).body.overrides).toEqual([]);
  });

  it('answers 503 problem+json naming the store while Redis is down, never crashes, and recovers when it returns', async () => {
    const mock = spawnMock(['--spec', SPEC, '--port', '0', '--stateful', '--state', redis.url, '--log-level', 'silent']);
    const base = await mock.address;
    expect((await call(base, 'POST', '/login', { user: 'u' })).status).toBe(200);
    await redis.stop();
    const down = await call(base, 'POST', '/login', { user: 'u' });
    expect(down.status).toBe(503);
    expect(down.type).toMatch(/^application\/problem\+json/);
    expect(down.body.store).toBe(redis.url);
    expect(down.body.detail).toContain(redis.url);
    await redis.start();
    let status = 0;
    for (let i = 0; i < 200 && status !== 200; i++) {
      status = (await call(base, 'POST', '/login', { user: 'u' })).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(status).toBe(200);
    expect(mock.child.exitCode).toBeNull();
  });
});
