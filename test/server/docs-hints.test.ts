import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createMockServer } from '../../src/server/create-mock-server.js';

// The Prefer hints on /docs must work on the operation they are shown on: each one is sent back to the mock.

type DocsOp = { parameters?: { name: string; description?: string }[] };

function hintsOf(op: DocsOp): string[] {
  const prefer = op.parameters?.find((p) => p.name === 'Prefer');
  return [...(prefer?.description ?? '').matchAll(/`([a-z]+=[^`]+)`/g)].map((m) => m[1]);
}

async function docsOperation(app: FastifyInstance, path: string, method: string): Promise<DocsOp> {
  const doc = (await app.inject({ url: '/docs/json' })).json() as { paths: Record<string, Record<string, DocsOp>> };
  return doc.paths[path][method];
}

describe('Prefer hints on /docs for the login contract', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await createMockServer({ seed: 1 });
  });
  afterAll(() => app.close());

  it('suggests an example the operation has and a status it declares, never an undeclared one', async () => {
    const hints = hintsOf(await docsOperation(app, '/api/opendata/instagram/login', 'post'));
    expect(hints.some((h) => h.startsWith('example='))).toBe(true);
    expect(hints).toContain('code=200');
    expect(hints).toContain('seed=3');
    expect(hints).not.toContain('code=401');
  });

  it('answers each suggested Prefer value as asked, not with a 400', async () => {
    const hints = hintsOf(await docsOperation(app, '/api/opendata/instagram/login', 'post'));
    for (const hint of hints) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/opendata/instagram/login',
        headers: { 'x-session-token': 't', prefer: hint },
        payload: { data: { code: 'c', type: 'web', client_id: null } },
      });
      expect(res.statusCode, hint).toBe(200);
      if (hint.startsWith('example=')) expect(res.headers['iwkit-scenario'], hint).toBe(`fixture:${hint.slice(8)}`);
    }
  });
});

describe('Prefer hints on /docs for a spec with error responses', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await createMockServer({ seed: 1, spec: 'test/specs/petstore-3.0.yaml' });
  });
  afterAll(() => app.close());

  it('suggests a declared error status, and the mock answers it', async () => {
    const doc = (await app.inject({ url: '/docs/json' })).json() as { paths: Record<string, Record<string, DocsOp & { responses: Record<string, unknown> }>> };
    let checked = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      const op = item.get;
      if (!op || path.includes('{')) continue;
      const code = hintsOf(op).find((h) => h.startsWith('code='));
      expect(code, path).toBeDefined();
      const status = Number(code!.slice(5));
      expect(Object.keys(op.responses).some((declared) => declared === String(status) || declared === 'default' || declared === `${String(status)[0]}XX`), path).toBe(true);
      const res = await app.inject({ url: path, headers: { prefer: code!, 'x-api-key': 'k' } });
      expect(res.statusCode, `${path} ${code}`).toBe(status);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('the /docs page branding', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await createMockServer({ seed: 1 });
  });
  afterAll(() => app.close());

  it("uses iwkit's favicon, title and header bar with the mock's own spec URLs, and no Swagger top bar", async () => {
    const page = (await app.inject({ url: '/docs' })).body;
    expect(page).toMatch(/<title>IW-ERP open data [^<]* · iwkit mock<\/title>/);
    expect(page).toContain('/docs/static/theme/iwkit.svg');
    expect(page).not.toContain('favicon-32x32.png');
    const init = (await app.inject({ url: '/docs/static/swagger-initializer.js' })).body;
    expect(init).toContain('"layout":"BaseLayout"');
    const bar = (await app.inject({ url: '/docs/static/theme/iwkit.js' })).body;
    expect(bar).toContain('"/openapi.json"');
    expect(bar).toContain('iwkit mock');
    const icon = await app.inject({ url: '/docs/static/theme/iwkit.svg' });
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
  });
});
