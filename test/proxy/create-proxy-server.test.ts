import type { ProxyServer } from '../../src/proxy/create-proxy-server.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createProxyServer, type ProxyServerOptions } from '../../src/proxy/create-proxy-server.js';
import { json, loginPath, rawRequest, session, startUpstream, type TestUpstream } from './upstreams.js';

const token = 'tok-3b9f2e7c41d84a0f9c6e5b2a1d0f8e7c';
const opened: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  while (opened.length > 0) await opened.pop()!.close();
});

async function upstream(answer: Parameters<typeof startUpstream>[0]): Promise<TestUpstream> {
  const up = await startUpstream(answer);
  opened.push(up);
  return up;
}

async function proxy(options: ProxyServerOptions): Promise<{ app: ProxyServer; url: string; port: number }> {
  const app = await createProxyServer(options);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  opened.push(app);
  return { app, url, port: Number(new URL(url).port) };
}

function login(url: string, body: unknown = { data: { code: 'alpha', type: 'web', client_id: 'c1' } }, headers: Record<string, string> = { 'x-session-token': token }): Promise<Response> {
  return fetch(`${url}${loginPath}?iw-build-id=7`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

describe('createProxyServer forwarding', () => {
  it('forwards a conforming login to the upstream and returns its answer unchanged, without a violations header', async () => {
    const up = await upstream((_req, res) => json(res, 200, session(), { 'x-trace': 'abc' }));
    const { app, url } = await proxy({ upstream: up.url });
    const res = await login(url);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(session());
    expect(res.headers.get('x-trace')).toBe('abc');
    expect(res.headers.get('iwkit-violations')).toBeNull();
    expect(app.violations()).toEqual([]);
    const seen = up.seen[0];
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe(`${loginPath}?iw-build-id=7`);
    expect(seen.headers.host).toBe(new URL(up.url).host);
    expect(seen.headers['x-session-token']).toBe(token);
    expect(JSON.parse(seen.body)).toEqual({ data: { code: 'alpha', type: 'web', client_id: 'c1' } });
  });

  it('drops hop-by-hop headers and those the Connection header names, and rewrites Host whatever the client sends', async () => {
    const up = await upstream((_req, res) => json(res, 200, session()));
    const { port } = await proxy({ upstream: up.url });
    const body = JSON.stringify({ data: { code: 'alpha' } });
    const answer = await rawRequest(port, `POST ${loginPath} HTTP/1.1\r\nHost: evil.example\r\nConnection: close, x-private\r\nX-Private: 1\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\nx-session-token: ${token}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
    expect(answer.startsWith('HTTP/1.1 200')).toBe(true);
    const seen = up.seen[0].headers;
    expect(seen.host).toBe(new URL(up.url).host);
    expect(seen['x-private']).toBeUndefined();
    expect(seen['keep-alive']).toBeUndefined();
    expect(seen.te).toBeUndefined();
  });

  it('refuses absolute-form targets and CONNECT instead of forwarding them to another host', async () => {
    const up = await upstream((_req, res) => json(res, 200, session()));
    const { port } = await proxy({ upstream: up.url });
    const absolute = await rawRequest(port, 'GET http://example.com/ HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n');
    expect(absolute.startsWith('HTTP/1.1 400')).toBe(true);
    expect(absolute).toContain('not an open proxy');
    const connect = await rawRequest(port, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    expect(connect.startsWith('HTTP/1.1 405')).toBe(true);
    expect(up.seen).toHaveLength(0);
  });

  it('streams a request body through within the body limit and answers 413 naming bodyLimit past it', async () => {
    const up = await upstream((_req, res) => json(res, 200, session()));
    const { url } = await proxy({ upstream: up.url, bodyLimit: 200 });
    const big = await login(url, { data: { code: 'x'.repeat(500) } });
    expect(big.status).toBe(413);
    expect((await big.json()).detail).toContain('bodyLimit');
    const ok = await login(url);
    expect(ok.status).toBe(200);
  });

  it('answers 504 naming upstreamTimeout when the upstream does not answer in time, and 502 when it is unreachable', async () => {
    const up = await upstream(() => undefined);
    const { url } = await proxy({ upstream: up.url, upstreamTimeout: 200 });
    const slow = await login(url);
    expect(slow.status).toBe(504);
    expect((await slow.json()).detail).toContain('upstreamTimeout');
    const { url: dead } = await proxy({ upstream: 'http://127.0.0.1:1' });
    const refused = await login(dead);
    expect(refused.status).toBe(502);
  });

  it('refuses bad options with coded toolkit errors', async () => {
    await expect(createProxyServer({ upstream: 'ftp://x' })).rejects.toMatchObject({ code: 'IWKIT_ERR_OPTION_INVALID' });
    await expect(createProxyServer({ upstream: 'http://127.0.0.1:9', mode: 'strict' as 'report' })).rejects.toMatchObject({ code: 'IWKIT_ERR_OPTION_INVALID' });
    await expect(createProxyServer({ upstream: 'http://127.0.0.1:9', connections: 0 })).rejects.toMatchObject({ code: 'IWKIT_ERR_OPTION_INVALID' });
    await expect(createProxyServer({ upstream: 'http://user:pw@127.0.0.1:9' })).rejects.toMatchObject({ code: 'IWKIT_ERR_OPTION_INVALID' });
  });
});
