import { readFile } from 'node:fs/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Api, Operation } from '../../src/openapi/api-model.js';
import { createMockServer } from '../../src/server/create-mock-server.js';
import { registerDocs } from '../../src/server/register-docs.js';

/** A hand-made Api around the real login document: register-docs reads only `document`, `title`, `version` and `operations`. */
async function loginApi(overrides: Partial<Api> = {}): Promise<Api> {
  const document = parse(await readFile('schema/openapi.yaml', 'utf8')) as Record<string, unknown>;
  return { openapi: '3.1.0', title: 'IW-ERP open data', version: '1.0.0', servers: [], operations: [], references: [], document, warnings: [], ...overrides };
}

function operation(method: Operation['method'], path: string): Operation {
  return { operationId: `${method}${path}`, operationIdDerived: true, method, path, tags: [], deprecated: false, parameters: [], responses: [], security: [] };
}

async function bareDocs(api: Api): Promise<FastifyInstance> {
  const app = Fastify();
  await registerDocs(app, api);
  return app;
}

describe('registerDocs on a bare Fastify instance', () => {
  let api: Api;
  let app: FastifyInstance;
  beforeAll(async () => {
    api = await loginApi();
    app = await bareDocs(api);
  });
  afterAll(() => app.close());

  it('serves the raw spec at /openapi.json exactly as loaded', async () => {
    const res = await app.inject({ url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.json()).toEqual(api.document);
  });

  it('serves the same document as YAML at /openapi.yaml', async () => {
    const res = await app.inject({ url: '/openapi.yaml' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/yaml; charset=utf-8');
    expect(parse(res.body)).toEqual(api.document);
  });

  it('serves the docs page at /docs and /docs/ with the spec title', async () => {
    for (const url of ['/docs', '/docs/']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('<title>IW-ERP open data 1.0.0 · iwkit mock</title>');
      expect(res.body).toContain('swagger-ui-bundle.js');
    }
  });

  it('serves every asset the page loads from the mock itself, never from another host', async () => {
    const page = (await app.inject({ url: '/docs' })).body;
    const assets = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThanOrEqual(5);
    for (const asset of assets) {
      expect(asset, asset).toMatch(/^\/docs\/static\//);
      const res = await app.inject({ url: asset });
      expect(res.statusCode, asset).toBe(200);
      expect(res.headers['content-type'], asset).toMatch(/^(text\/css|application\/javascript|image\/png|image\/svg\+xml)/);
    }
  });

  it('turns the online spec validator off in the UI configuration', async () => {
    const init = await app.inject({ url: '/docs/static/swagger-initializer.js' });
    expect(init.statusCode).toBe(200);
    expect(init.body).toContain('validatorUrl: null');
    expect(init.body).toContain('"validatorUrl":null');
    expect(init.body).not.toMatch(/validator\.swagger\.io/);
  });

  it('gives the UI a copy of the spec whose first server is the mock as the browser reached it', async () => {
    const res = await app.inject({ url: '/docs/json', headers: { host: 'localhost:4321' } });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { servers: { url: string }[]; paths: Record<string, { post: { parameters: { name: string }[] } }> };
    expect(doc.servers.map((s) => s.url)).toEqual(['http://localhost:4321', 'https://replace-with-own-host.iw-erp.de', 'http://127.0.0.1:4010']);
    expect(doc.paths['/api/opendata/instagram/login'].post.parameters.map((p) => p.name)).toContain('Prefer');
    // The served raw spec is not affected by the UI's copy.
    expect((await app.inject({ url: '/openapi.json' })).json().servers[0].url).toBe('https://replace-with-own-host.iw-erp.de');
  });

  it('keeps the x-session-token scheme in the UI copy, so Authorize offers it', async () => {
    const doc = (await app.inject({ url: '/docs/json' })).json();
    expect(doc.components.securitySchemes.sessionToken).toEqual({ type: 'apiKey', in: 'header', name: 'x-session-token' });
  });
});

describe('registerDocs with unusual specs', () => {
  it('escapes a spec title that contains markup', async () => {
    const app = await bareDocs(await loginApi({ title: '</title><script>alert(1)</script>' }));
    const page = (await app.inject({ url: '/docs' })).body;
    expect(page).toContain('&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>alert(1)');
    await app.close();
  });

  it('leaves /openapi.json to a spec that declares that path itself', async () => {
    const api = await loginApi({ operations: [operation('get', '/openapi.json')] });
    const app = await bareDocs(api);
    // Registering the spec's own route must not collide with a docs route.
    app.get('/openapi.json', async () => ({ from: 'spec' }));
    expect((await app.inject({ url: '/openapi.json' })).json()).toEqual({ from: 'spec' });
    expect((await app.inject({ url: '/openapi.yaml' })).statusCode).toBe(200);
    await app.close();
  });

  it('leaves /docs to a spec with its own operations there, and still serves the raw spec', async () => {
    const api = await loginApi({ operations: [operation('get', '/docs/{id}')] });
    const app = await bareDocs(api);
    expect((await app.inject({ url: '/docs' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/openapi.json' })).statusCode).toBe(200);
    await app.close();
  });
});

describe('docs inside the mock server', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await createMockServer({ seed: 1, tokens: ['only-this-token'] });
  });
  afterAll(() => app.close());

  it('answers the docs routes without a token, from another origin, with the right content types', async () => {
    const expected: [string, RegExp][] = [
      ['/docs', /^text\/html/],
      ['/docs/', /^text\/html/],
      ['/docs/static/swagger-ui-bundle.js', /^application\/javascript/],
      ['/docs/static/swagger-ui.css', /^text\/css/],
      ['/docs/json', /^application\/json/],
      ['/openapi.json', /^application\/json/],
      ['/openapi.yaml', /^application\/yaml/],
    ];
    for (const [url, type] of expected) {
      const res = await app.inject({ url, headers: { origin: 'http://localhost:5173' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(type);
      expect(res.headers['access-control-allow-origin'], url).toBe('http://localhost:5173');
    }
  });

  it('answers a path under /docs that the UI does not have with a 404 problem, the same on its first visit and later', async () => {
    for (const url of ['/docs/no-such-file.js', '/docs/../etc/passwd']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/^application\/problem\+json/);
    }
  });

  it('answers HEAD on the raw spec like GET, without a body', async () => {
    const res = await app.inject({ method: 'HEAD', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toBe('');
  });

  it('still protects the operations themselves', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/opendata/instagram/login', payload: { data: { code: 'x' } } });
    expect(res.statusCode).toBe(401);
  });

  it('serves no docs when created with docs: false', async () => {
    const bare = await createMockServer({ seed: 1, docs: false });
    for (const url of ['/docs', '/openapi.json', '/openapi.yaml']) {
      const res = await bare.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/^application\/problem\+json/);
    }
    await bare.close();
  });
});
