import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, spawnMock, stopSpawnedMocks } from './spawn-mock.js';

afterEach(stopSpawnedMocks);


const startMock = spawnMock;

describe('iwkit mock', () => {
  it('prints its base URL and routes, answers, logs one line per request without secrets, and exits 0 on SIGTERM', async () => {
    const mock = startMock(['--port', '0', '--seed', '5']);
    const base = await mock.address;
    expect(mock.output()).toMatch(/POST\s+http:\/\/127\.0\.0\.1:\d+\/api\/opendata\/instagram\/login\s+\(instagramLogin\)/);

    const res = await fetch(`${base}/api/opendata/instagram/login?iw-build-id=secret-query-value`, {
      method: 'POST',
      headers: { 'x-session-token': 'very-secret-token', 'content-type': 'application/json', prefer: 'example=dg' },
      body: JSON.stringify({ data: { code: 'c' } }),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).is_dg).toBe(true);

    await new Promise((r) => setTimeout(r, 100));
    const exit = once(mock.child, 'exit');
    mock.child.kill('SIGTERM');
    const [code] = await exit;
    expect(code).toBe(0);
    const requestLines = mock.output().split('\n').filter((l) => l.includes('"msg":"request"'));
    expect(requestLines).toHaveLength(1);
    expect(JSON.parse(requestLines[0])).toMatchObject({ method: 'POST', path: '/api/opendata/instagram/login', status: 200, scenario: 'fixture:dg' });
    expect(mock.output()).not.toContain('very-secret-token');
    expect(mock.output()).not.toContain('secret-query-value');
  });

  it('says which base path it also serves every path under, and serves it', async () => {
    const mock = startMock(['--port', '0', '--spec', 'test/specs/petstore-3.0.yaml', '--no-docs']);
    const base = await mock.address;
    expect(mock.output()).toContain(`  base    every path is also served under ${base}/v1 (the first server URL's path)`);
    const key = { headers: { 'x-api-key': 'k' } };
    expect((await fetch(`${base}/v1/pets`, key)).status).toBe(200);
    expect((await fetch(`${base}/pets`, key)).status).toBe(200);
  });

  it('exits 2 with a coded error for a bad option or a missing spec', async () => {
    for (const args of [['--port', 'eighty'], ['--spec', 'no/such/spec.yaml']]) {
      const child = spawn(process.execPath, [cli, 'mock', ...args]);
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const [code] = await once(child, 'exit');
      expect(code, args.join(' ')).toBe(2);
      expect(err).toMatch(/^IWKIT_ERR_(OPTION_INVALID|SPEC_READ): /);
    }
  });
});
