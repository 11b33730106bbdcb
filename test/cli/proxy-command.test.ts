import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { json, loginPath, session, startUpstream } from '../proxy/upstreams.js';
import { cli } from './spawn-mock.js';

// Runs the built CLI as a pipeline would: `iwkit proxy … & npm run e2e; kill %1`.

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

function run(args: string[]): { address: Promise<string>; exit: Promise<{ code: number | null; out: string }>; kill: () => void } {
  const child = spawn(process.execPath, [cli, 'proxy', ...args], { env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  const address = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', () => reject(new Error(out)));
  });
  // A run that is meant to fail never listens; its address is then not awaited.
  address.catch(() => undefined);
  const exit = new Promise<{ code: number | null; out: string }>((resolve) => child.on('exit', (code) => resolve({ code, out })));
  closers.push(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return { address, exit, kill: () => child.kill('SIGTERM') };
}

describe('iwkit proxy', () => {
  it('logs each violation, writes the JUnit and JSON summaries on SIGTERM and exits 1 with --fail-on-violation', async () => {
    const up = await startUpstream((_req, res) => json(res, 200, session({ id: 'not-a-number' })));
    closers.push(() => up.close());
    const dir = await mkdtemp(join(tmpdir(), 'iwkit-proxy-cli-'));
    closers.push(() => rm(dir, { recursive: true, force: true }));
    const proxy = run(['--upstream', up.url, '--port', '0', '--fail-on-violation', '--junit', join(dir, 'junit.xml'), '--json', join(dir, 'report.json')]);
    const address = await proxy.address;
    const res = await fetch(`${address}${loginPath}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-session-token': 'tok-abcdef123456' }, body: JSON.stringify({ data: { code: 'a' } }) });
    expect(res.headers.get('iwkit-violations')).toBe('1 schema');
    proxy.kill();
    const { code, out } = await proxy.exit;
    expect(code).toBe(1);
    expect(out).toContain('iwkit proxy violation · response-schema-conformance · instagramLogin · POST /api/opendata/instagram/login → 200 at /id');
    expect(out).toContain('FAILED');
    expect(out).not.toContain('tok-abcdef123456');
    const junit = await readFile(join(dir, 'junit.xml'), 'utf8');
    expect(junit).toContain('<testsuites name="iwkit proxy"');
    expect(junit).toContain('<failure');
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    expect(report.tool).toBe('iwkit proxy');
    expect(report.ok).toBe(false);
  });

  it('exits 0 on SIGTERM when every exchange honoured the contract', async () => {
    const up = await startUpstream((_req, res) => json(res, 200, session()));
    closers.push(() => up.close());
    const proxy = run(['--upstream', up.url, '--port', '0', '--fail-on-violation']);
    const address = await proxy.address;
    await fetch(`${address}${loginPath}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-session-token': 'tok' }, body: JSON.stringify({ data: { code: 'a' } }) });
    proxy.kill();
    expect((await proxy.exit).code).toBe(0);
  });

  it('refuses a missing or bad --upstream with a coded error and exit 2', async () => {
    const missing = run([]);
    const a = await missing.exit;
    expect(a.code).toBe(2);
    expect(a.out).toContain('IWKIT_ERR_OPTION_INVALID');
    const bad = run(['--upstream', 'file:///etc/passwd']);
    expect((await bad.exit).code).toBe(2);
  });
});
