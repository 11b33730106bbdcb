import type { ProxyServer } from '../../src/proxy/create-proxy-server.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createProxyServer, type ProxyServerOptions } from '../../src/proxy/create-proxy-server.js';
import { parseMultipart } from '../../src/proxy/parse-multipart.js';
import { createMockServer } from '../../src/server/create-mock-server.js';
import { json, startUpstream, type TestUpstream } from './upstreams.js';

// Multipart bodies are checked field by field with the mock's own decoder, and a refused credential gets
// the mock's own challenge, over real loopback HTTP with a real upstream.

const uploadSpec = {
  openapi: '3.1.0',
  info: { title: 'uploads', version: '1' },
  paths: {
    '/uploads': {
      post: {
        operationId: 'upload',
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                required: ['title', 'file'],
                properties: { title: { type: 'string', maxLength: 8 }, count: { type: 'integer' }, file: { type: 'string', format: 'binary' } },
              },
            },
          },
        },
        responses: { '201': { description: 'stored', content: { 'application/json': { schema: { type: 'object' } } } }, '400': { description: 'bad upload' } },
      },
    },
  },
};

const securedSpec = (scheme: Record<string, unknown>) => ({
  openapi: '3.1.0',
  info: { title: 'secured', version: '1' },
  components: { securitySchemes: { main: scheme } },
  security: [{ main: [] }],
  paths: { '/things': { get: { operationId: 'listThings', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array' } } } }, '401': { description: 'no credential' } } } } },
});

const opened: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  while (opened.length > 0) await opened.pop()!.close();
});

async function setup(spec: Record<string, unknown>, options: Partial<ProxyServerOptions> = {}): Promise<{ app: ProxyServer; url: string; up: TestUpstream }> {
  const up = await startUpstream((req, res) => (req.url.startsWith('/uploads') ? json(res, 201, { ok: true }) : json(res, 200, [])));
  opened.push(up);
  const app = await createProxyServer({ upstream: up.url, spec, ...options });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  opened.push(app);
  return { app, url, up };
}

function form(fields: Record<string, string>, file = 'hello bytes'): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  data.append('file', new Blob([file], { type: 'application/octet-stream' }), 'note.bin');
  return data;
}

describe('multipart request bodies', () => {
  it('forwards a valid multipart body unchanged and flags nothing', async () => {
    const { app, url, up } = await setup(uploadSpec);
    const res = await fetch(`${url}/uploads`, { method: 'POST', body: form({ title: 'notes', count: '3' }) });
    expect(res.status).toBe(201);
    expect(res.headers.get('iwkit-violations')).toBeNull();
    expect(app.violations()).toEqual([]);
    expect(up.seen[0].headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(up.seen[0].body).toContain('hello bytes');
    expect(app.proxyResult().operations[0].checks['request-validation']).toMatchObject({ passed: 1, failed: 0 });
  });

  it('reports each invalid multipart field at its JSON pointer and still forwards the request in report mode', async () => {
    const { app, url, up } = await setup(uploadSpec);
    const res = await fetch(`${url}/uploads`, { method: 'POST', body: form({ title: 'a title far too long', count: 'three' }) });
    expect(res.status).toBe(201);
    // Two invalid fields, and the upstream accepted them: the runner's negative-data-rejection says so too.
    expect(res.headers.get('iwkit-violations')).toBe('3 request,accepted-invalid');
    expect(up.seen).toHaveLength(1);
    const pointers = app.violations().filter((v) => v.check === 'request-validation').map((v) => v.pointer).sort();
    expect(pointers).toEqual(['/count', '/title']);
  });

  it('checks a multipart body too large to be read whole before forwarding once it has streamed through', async () => {
    const { app, url, up } = await setup(uploadSpec);
    const res = await fetch(`${url}/uploads`, { method: 'POST', body: form({ count: 'many' }, 'x'.repeat(200 * 1024)) });
    expect(res.status).toBe(201);
    expect(up.seen[0].body.length).toBeGreaterThan(200 * 1024);
    const pointers = app.violations().filter((v) => v.check === 'request-validation').map((v) => v.pointer).sort();
    expect(pointers).toEqual(['/count', '/title']);
  });

  it('answers an invalid multipart body with the problem the mock gives, without forwarding it, in enforce mode', async () => {
    const { url, up } = await setup(uploadSpec, { mode: 'enforce' });
    const res = await fetch(`${url}/uploads`, { method: 'POST', body: form({ title: 'ok', count: 'three' }) });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = (await res.json()) as { errors: { in: string; pointer: string }[] };
    expect(body.errors).toEqual([expect.objectContaining({ in: 'body', pointer: '/count' })]);
    expect(up.seen).toHaveLength(0);

    const mock = await createMockServer({ spec: uploadSpec, docs: false, cors: false, journal: false });
    opened.push(mock);
    const data = form({ title: 'ok', count: 'three' });
    const request = new Request('http://mock/uploads', { method: 'POST', body: data });
    const mocked = await mock.inject({ method: 'POST', url: '/uploads', headers: Object.fromEntries(request.headers), payload: Buffer.from(await request.arrayBuffer()) });
    expect(mocked.statusCode).toBe(400);
    expect((mocked.json() as { errors: { pointer: string }[] }).errors.map((e) => e.pointer)).toEqual(['/count']);
  });

  it('flags a multipart body whose boundary never appears as malformed', async () => {
    const { app, url } = await setup(uploadSpec);
    const res = await fetch(`${url}/uploads`, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=abc' }, body: 'no parts here' });
    expect(res.status).toBe(201);
    expect(app.violations()[0]).toMatchObject({ check: 'request-validation', pointer: '' });
    expect(app.violations()[0].message).toContain('malformed multipart body');
  });

  it('splits parts with a preamble, quoted names and a closing delimiter', () => {
    const body = Buffer.from(['preamble', '--b1', 'Content-Disposition: form-data; name="a \\"b\\""', '', 'one', '--b1', 'Content-Disposition: form-data; name="f"; filename="x.txt"', 'Content-Type: image/png', '', '\u0001\u0002', '--b1--', ''].join('\r\n'), 'latin1');
    const read = parseMultipart(body, 'multipart/form-data; boundary="b1"', 1024);
    expect(read).toEqual({ parts: [{ name: 'a "b"', text: 'one', contentType: 'text/plain' }, { name: 'f', bytes: Buffer.from([1, 2]), filename: 'x.txt', contentType: 'image/png' }] });
  });
});

describe('the 401 challenge in enforce mode', () => {
  it.each([
    ['an http bearer scheme', { type: 'http', scheme: 'bearer' }],
    ['an http basic scheme', { type: 'http', scheme: 'basic' }],
    ['an API key, which has no challenge', { type: 'apiKey', in: 'header', name: 'x-api-key' }],
  ])('is the one the mock sends for %s', async (_name, scheme) => {
    const spec = securedSpec(scheme);
    const { url, up } = await setup(spec, { mode: 'enforce' });
    const res = await fetch(`${url}/things`);
    expect(res.status).toBe(401);
    const mock = await createMockServer({ spec, docs: false, cors: false, journal: false });
    opened.push(mock);
    const mocked = await mock.inject({ method: 'GET', url: '/things' });
    expect(mocked.statusCode).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe((mocked.headers['www-authenticate'] as string | undefined) ?? null);
    if (scheme.type === 'http') expect(res.headers.get('www-authenticate')).toMatch(/^(Bearer|Basic) realm="iwkit"$/);
    expect(up.seen).toHaveLength(0);
  });
});
