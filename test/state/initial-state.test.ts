import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MockServer } from '../../src/server/mock-server.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMockServer } from '../../src/server/create-mock-server.js';
import { cli, spawnMock, stopSpawnedMocks } from '../cli/spawn-mock.js';
import { startRedis } from './start-redis.js';
import { independentValidator, responseSchemaPointer } from '../openapi/independent-validator.js';

const PETSTORE = 'test/specs/petstore-3.0.yaml';
const pets = [
  { id: 10, name: 'Rex', kind: 'dog', status: 'available', tag: null },
  { id: 11, name: 'Tom', kind: 'cat', status: 'sold', tag: 'indoor', lives: 9 },
];
const key = { 'x-api-key': 'k', 'x-request-id': '3f2b8c1e-2d4a-4c6b-9e8f-0a1b2c3d4e5f' };

describe('a starting data set (stateFile / initialState)', () => {
  let app: MockServer | undefined;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'iwkit-state-file-'));
  });
  afterEach(async () => {
    stopSpawnedMocks();
    await app?.close();
    app = undefined;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the file\'s items to every client, keeps each client\'s writes its own, and starts again after reset()', async () => {
    const file = join(dir, 'pets.json');
    await writeFile(file, JSON.stringify({ '/pets': pets }));
    app = await createMockServer({ spec: PETSTORE, stateful: true, stateFile: file, seed: 1 });
    const call = async (method: string, url: string, client: string, payload?: object) => {
      const res = await app!.inject({ method: method as 'GET', url, headers: { ...key, 'iwkit-client': client }, ...(payload ? { payload } : {}) });
      return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
    };
    const list = (await call('GET', '/pets', 'a')).body;
    expect(list).toEqual(pets);
    const validator = independentValidator(app.iwkitApi.document);
    expect(validator.errors(responseSchemaPointer(app.iwkitApi.document, { path: '/pets', method: 'get' }, 200, 'application/json')!, 'response', list)).toEqual([]);
    expect((await call('GET', '/pets/11', 'a')).body).toEqual(pets[1]);
    // The next created item continues after the highest id of the file.
    expect((await call('POST', '/pets', 'a', { name: 'Kit', kind: 'cat' })).body.id).toBe(12);
    expect((await call('DELETE', '/pets/10', 'a')).status).toBe(204);
    expect((await call('GET', '/pets', 'a')).body.map((p: { id: number }) => p.id)).toEqual([11, 12]);
    // Another client starts from the file, untouched by the first one's writes.
    expect((await call('GET', '/pets', 'b')).body).toEqual(pets);
    await app.reset();
    expect((await call('GET', '/pets', 'a')).body).toEqual(pets);
  });

  it('seeds a scope once for replicas sharing Redis: one replica\'s delete shows on the other, and ids continue after the file\'s', async () => {
    const redis = await startRedis();
    const replicas: MockServer[] = [];
    try {
      for (let i = 0; i < 2; i++) replicas.push(await createMockServer({ spec: PETSTORE, stateful: true, state: `${redis.url.replace(/\/\d*$/, '')}/3`, initialState: { '/pets': pets }, seed: 1 }));
      const [one, two] = replicas;
      const ids = async (replica: MockServer, client: string) => (await replica.inject({ method: 'GET', url: '/pets', headers: { ...key, 'iwkit-client': client } })).json().map((p: { id: number }) => p.id);
      expect(await ids(one, 'r')).toEqual([10, 11]);
      expect((await one.inject({ method: 'DELETE', url: '/pets/10', headers: { ...key, 'iwkit-client': 'r' } })).statusCode).toBe(204);
      expect(await ids(two, 'r')).toEqual([11]);
      expect((await two.inject({ method: 'POST', url: '/pets', headers: { ...key, 'iwkit-client': 'r' }, payload: { name: 'Kit', kind: 'cat' } })).json().id).toBe(12);
      expect(await ids(two, 'other')).toEqual([10, 11]);
    } finally {
      for (const replica of replicas) await replica.close();
      await redis.stop();
    }
  });

  it('refuses an item that breaks the item schema, naming file, collection, index and pointer', async () => {
    const bad = [pets[0], { ...pets[1], kind: 'parrot' }];
    await expect(createMockServer({ spec: PETSTORE, stateful: true, initialState: { pets: bad } })).rejects.toMatchObject({
      code: 'IWKIT_ERR_STATE_FILE_INVALID',
      message: expect.stringMatching(/^state file initialState option: item 1 of "\/pets" at \/pets\/1\/kind: breaks the item schema of \w+'s \d+ answer: /),
    });
    await expect(createMockServer({ spec: PETSTORE, stateful: true, initialState: { '/owners': [] } })).rejects.toThrow(/"\/owners" is not a stateful collection of the spec \(collections: \/pets\)/);
    await expect(createMockServer({ spec: PETSTORE, stateful: true, initialState: { '/pets': [pets[0], pets[0]] } })).rejects.toThrow(/the id 10 is given twice/);
    await expect(createMockServer({ spec: PETSTORE, stateful: true, initialState: { '/pets': [{ name: 'x', kind: 'dog', status: 'sold' }] } })).rejects.toThrow(/at \/~1pets\/0\/id: the id "id" must be a whole number/);
    await expect(createMockServer({ spec: PETSTORE, stateful: true, initialState: { '/pets': pets }, limits: { maxStateItems: 2 } })).rejects.toThrow(/past maxStateItems \(--max-state-items\) 2/);
    await expect(createMockServer({ spec: PETSTORE, initialState: { '/pets': pets } })).rejects.toThrow(/initialState: needs stateful: true/);
  });

  it('serves --state-file from the CLI, and exits 2 with a clear message for a bad file', async () => {
    const good = join(dir, 'good.json');
    await writeFile(good, JSON.stringify({ pets }, null, 2));
    const mock = spawnMock(['--spec', PETSTORE, '--state-file', good, '--port', '0', '--seed', '1']);
    const base = await mock.address;
    expect(mock.output()).toContain(`every client starts from ${good}`);
    expect(await (await fetch(`${base}/pets`, { headers: key })).json()).toEqual(pets);
    expect(await (await fetch(`${base}/pets/10`, { headers: key })).json()).toEqual(pets[0]);
    stopSpawnedMocks();

    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ '/pets': [pets[0], { ...pets[1], name: 5 }] }));
    for (const [file, pattern] of [
      [bad, new RegExp(`^IWKIT_ERR_STATE_FILE_INVALID: state file ${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: item 1 of "/pets" at /~1pets/1/name: breaks the item schema of createPet's 201 answer: `)],
      [join(dir, 'missing.json'), /^IWKIT_ERR_STATE_FILE_READ: cannot read state file .*missing\.json: /],
    ] as const) {
      const child = spawn(process.execPath, [cli, 'mock', '--spec', PETSTORE, '--state-file', file, '--port', '0']);
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const [code] = await once(child, 'exit');
      expect(code).toBe(2);
      expect(err).toMatch(pattern);
    }
  });
});
