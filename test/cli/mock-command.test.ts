import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, spawnMock, stopSpawnedMocks } from './spawn-mock.js';
import { runMockCommand, type MockOptions } from '../../src/cli/mock-command.js';
import { isToolkitError } from '../../src/errors.js';

afterEach(stopSpawnedMocks);


const startMock = spawnMock;

describe('iwkit mock', () => {
  it('prints its base URL and routes, answers, logs one line per request without secrets, and exits 0 on SIGTERM', async () => {
    const mock = startMock(['--port', '0', '--seed', '5']);
    const base = await mock.address;
    expect(mock.output()).toMatch(/POST\s+http:\/\/127\.0\.0\.1:\d+\/api\/opendata\/instagram\/login\s+\(instagramLogin\)/);

    const res = await fetch(`${base}/api/opendata/instagram/login?iw-build-id=build-7`, {
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
    // One readable line per request (no JSON, no "Server listening" line); the query shown, secrets never.
    const requestLines = mock.output().split('\n').filter((l) => /^\d\d:/.test(l) && l.includes(' POST '));
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} POST {3}\/api\/opendata\/instagram\/login\?iw-build-id=build-7 200 fixture:dg [\d.]+ ms$/);
    expect(mock.output()).not.toContain('{"level"');
    expect(mock.output()).not.toContain('Server listening');
    expect(mock.output()).not.toContain('very-secret-token');
  });

  it('writes JSON log lines with --log-format json', async () => {
    const mock = startMock(['--port', '0', '--log-format', 'json']);
    const base = await mock.address;
    await fetch(`${base}/api/opendata/instagram/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-session-token': 't' }, body: JSON.stringify({ data: { code: 'c' } }) });
    await expect.poll(() => mock.output().includes('"msg":"request"')).toBe(true);
    const line = mock.output().split('\n').find((l) => l.includes('"msg":"request"'))!;
    expect(JSON.parse(line)).toMatchObject({ level: 30, method: 'POST', path: '/api/opendata/instagram/login', status: 200 });
  });

  it('refuses bodies over --body-limit with a 413 naming the limit', async () => {
    const mock = startMock(['--port', '0', '--log-level', 'silent', '--body-limit', '100']);
    const base = await mock.address;
    const res = await fetch(`${base}/api/opendata/instagram/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-session-token': 't' }, body: JSON.stringify({ data: { code: 'x'.repeat(200) } }) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ limit: { name: 'bodyLimit', value: 100 } });
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
    for (const args of [['--port', 'eighty'], ['--spec', 'no/such/spec.yaml'], ['--log-format', 'xml'], ['--body-limit', '0']]) {
      const child = spawn(process.execPath, [cli, 'mock', ...args]);
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const [code] = await once(child, 'exit');
      expect(code, args.join(' ')).toBe(2);
      expect(err).toMatch(/^IWKIT_ERR_(OPTION_INVALID|SPEC_READ): /);
    }
  });
});

describe('runMockCommand (iwkit mock in-process)', () => {
  const flags = (extra: Partial<MockOptions> = {}): MockOptions => ({ port: '0', host: '127.0.0.1', cors: true, docs: true, logLevel: 'silent', logFormat: 'text', seed: '5', ...extra });
  const captured = () => {
    let stop!: () => void;
    const stopped = new Promise<void>((done) => (stop = done));
    const out: string[] = [];
    const err: string[] = [];
    return { io: { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) }, env: {}, stopped: () => stopped }, out, stop };
  };

  it('serves the login on the address it prints, and returns 0 once told to stop', async () => {
    const { io, out, stop } = captured();
    const exit = runMockCommand(flags(), io);
    await expect.poll(() => out.join('')).toMatch(/http:\/\/127\.0\.0\.1:\d+/);
    const base = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out.join(''))![1];
    const res = await fetch(`${base}/api/opendata/instagram/login`, {
      method: 'POST', headers: { 'x-session-token': 't', 'content-type': 'application/json' }, body: JSON.stringify({ data: { code: 'c' } }),
    });
    expect(res.status).toBe(200);
    stop();
    expect(await exit).toBe(0);
    await expect(fetch(`${base}/openapi.json`)).rejects.toThrow();
  });

  it('refuses a bad flag with a coded option error before it listens', async () => {
    const { io, out } = captured();
    const error = await runMockCommand(flags({ logFormat: 'xml' }), io).catch((e: unknown) => e);
    expect(isToolkitError(error) && error.code).toBe('IWKIT_ERR_OPTION_INVALID');
    expect(out.join('')).toBe('');
  });
});
