import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createProxyServer } from '../../src/proxy/create-proxy-server.js';
import { cli } from '../cli/spawn-mock.js';
import { json, loginPath, session, startUpstream } from './upstreams.js';

const opened: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  while (opened.length > 0) await opened.pop()!.close();
});

const login = (url: string) => fetch(`${url}${loginPath}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-session-token': 'tok-1234567890' }, body: JSON.stringify({ data: { code: 'alpha' } }) });

describe('an HTTPS upstream with a self-signed certificate', () => {
  let dir: string;
  let tls: { key: string; cert: string };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'iwkit-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    tls = { key: await readFile(join(dir, 'key.pem'), 'utf8'), cert: await readFile(join(dir, 'cert.pem'), 'utf8') };
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is refused (502) without the certificate and forwarded with ca', async () => {
    const up = await startUpstream((_req, res) => json(res, 200, session()), tls);
    opened.push(up);
    const untrusted = await createProxyServer({ upstream: up.url });
    opened.push(untrusted);
    const refused = await untrusted.listen({ port: 0, host: '127.0.0.1' });
    expect((await login(refused)).status).toBe(502);
    const trusted = await createProxyServer({ upstream: up.url, ca: tls.cert });
    opened.push(trusted);
    const url = await trusted.listen({ port: 0, host: '127.0.0.1' });
    const res = await login(url);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(session());
    expect(res.headers.get('iwkit-violations')).toBeNull();
  });

  it('is forwarded by the CLI with NODE_EXTRA_CA_CERTS', async () => {
    const up = await startUpstream((_req, res) => json(res, 200, session()), tls);
    opened.push(up);
    const child = spawn(process.execPath, [cli, 'proxy', '--upstream', up.url, '--port', '0'], { env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') } });
    opened.push({ close: async () => child.kill('SIGKILL') });
    const address = await new Promise<string>((resolve) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
        if (m) resolve(m[1]);
      });
    });
    expect((await login(address)).status).toBe(200);
  });
});

describe('--fallback mock', () => {
  it('answers from the mock, marked fallback, when the upstream is unreachable', async () => {
    const app = await createProxyServer({ upstream: 'http://127.0.0.1:1', fallback: 'mock' });
    opened.push(app);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const res = await login(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('iwkit-scenario')).toMatch(/^fallback:refused:/);
    expect(await res.json()).toHaveProperty('valid');
  });

  it('answers from the mock when the upstream answers 501, and passes other answers through', async () => {
    let status = 501;
    const up = await startUpstream((_req, res) => json(res, status, status === 501 ? { error: 'not implemented' } : session()));
    opened.push(up);
    const app = await createProxyServer({ upstream: up.url, fallback: 'mock' });
    opened.push(app);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const fallback = await login(url);
    expect(fallback.headers.get('iwkit-scenario')).toMatch(/^fallback:not-implemented:/);
    status = 200;
    const real = await login(url);
    expect(real.headers.get('iwkit-scenario')).toBeNull();
    expect(await real.json()).toEqual(session());
  });
});
