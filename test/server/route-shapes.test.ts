import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MockServer } from '../../src/server/mock-server.js';
import { load as loadYaml } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockServer } from '../../src/server/create-mock-server.js';
import { publicSpec } from '../openapi/public-corpus.js';

// One small spec per route shape real documents use; every operation answers with a fixture that echoes what the
// mock handed it, and names itself in a declared `x-op` response header, so a test sees which operation answered.

type Param = { name: string; in: string; style?: string; explode?: boolean; required?: boolean; schema?: Record<string, unknown> };
type Declared = [method: string, key: string, id: string, params?: Param[]];

const text = { type: 'string' };

function pathParam(name: string, schema: Record<string, unknown> = text, style?: string, explode?: boolean): Param {
  return { name, in: 'path', required: true, schema, ...(style ? { style } : {}), ...(explode !== undefined ? { explode } : {}) };
}

const declared: Declared[] = [
  ['get', '/files/{file_id}', 'getFile', [pathParam('file_id')]],
  ['get', '/files/{file_id}#get_shared_link', 'getSharedLink', [pathParam('file_id'), { name: 'fields', in: 'query', required: true, schema: text }]],
  ['post', '/items?action=archive', 'archiveItems'],
  ['post', '/items?action=restore', 'restoreItems'],
  ['get', '/items', 'listItems'],
  ['get', '/a/{id}', 'getA', [pathParam('id')]],
  ['delete', '/a/{name}', 'deleteA', [pathParam('name')]],
  ['put', '/a/{other}', 'putA', [pathParam('other')]],
  ['put', '/a/{again}', 'putAAgain', [pathParam('again')]],
  ['get', '/slash', 'getSlash'],
  ['post', '/slash/', 'postSlash'],
  ['get', '/only', 'getOnly'],
  ['get', '/only-slash/', 'getOnlySlash'],
  ['get', '/lit+plus/{v}', 'plusLiteral', [pathParam('v')]],
  ['get', '/space%20lit/{v}', 'spaceLiteral', [pathParam('v')]],
  ['get', '/f/{name}.{ext}', 'fileParts', [pathParam('name'), pathParam('ext')]],
  ['delete', '/f/{id}', 'deleteF', [pathParam('id')]],
  ['post', '/v1/{name=projects/*}:cancel', 'cancelJob'],
  ['get', '/v1/{name=projects/*}', 'getProject'],
  ['get', '/t/{deployment.series_name}/{deployment.build_id}', 'dotted', [pathParam('deployment.series_name'), pathParam('deployment.build_id')]],
  ['get', '/m/{id}', 'matrixList', [pathParam('id', { type: 'array', items: { type: 'integer' } }, 'matrix', true)]],
  ['get', '/m1/{id}', 'matrixOne', [pathParam('id', { type: 'integer' }, 'matrix')]],
  ['get', '/l/{id}', 'labelList', [pathParam('id', { type: 'array', items: { type: 'integer' } }, 'label')]],
  ['get', '/h/{name}', 'getH', [pathParam('name')]],
  ['head', '/h/{name}', 'headH', [pathParam('name')]],
  ['get', '/int/{n}', 'getInt', [pathParam('n', { type: 'integer' })]],
];

function spec(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [method, key, id, parameters = []] of declared) {
    (paths[key] ??= {})[method] = {
      operationId: id,
      parameters,
      ...(method === 'post' ? { requestBody: { required: false, content: { 'application/json': { schema: { type: 'object' } } } } } : {}),
      responses: {
        '200': {
          description: 'ok',
          headers: { 'x-op': { schema: { type: 'string', enum: [id] } } },
          content: { 'application/json': { schema: { type: 'object' } } },
        },
        '400': { description: 'bad', content: { 'application/problem+json': { schema: { type: 'object' } } } },
      },
    };
  }
  return { openapi: '3.1.0', info: { title: 'route shapes', version: '1' }, servers: [{ url: 'https://api.example.com/v2' }], paths };
}

async function echoFixtures(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'iwkit-routes-'));
  for (const [, , id] of declared) {
    await mkdir(join(dir, id));
    await writeFile(join(dir, id, 'default.mjs'), 'export default ({ request }) => ({ params: request.params, query: request.query });');
  }
  return dir;
}

let app: MockServer;

beforeAll(async () => {
  app = await createMockServer({ spec: spec(), fixturesDir: await echoFixtures(), seed: 1 });
  await app.ready();
});
afterAll(() => app.close());

async function call(method: string, url: string) {
  const res = await app.inject({ method: method as 'GET', url, ...(method === 'POST' ? { payload: {} } : {}) });
  const body = res.body && res.headers['content-type']?.toString().includes('json') ? res.json() : undefined;
  return { status: res.statusCode, op: res.headers['x-op'], params: body?.params, allow: res.headers.allow, body };
}

describe('route shapes served by the mock', () => {
  it('tells #fragment variants apart by their required query parameter', async () => {
    expect(await call('GET', '/files/12')).toMatchObject({ status: 200, op: 'getFile', params: { file_id: '12' } });
    expect(await call('GET', '/files/12?fields=shared_link')).toMatchObject({ status: 200, op: 'getSharedLink', params: { file_id: '12' } });
  });

  it('chooses a ?query-keyed variant by the request\'s query, else the first', async () => {
    expect((await call('POST', '/items?action=restore')).op).toBe('restoreItems');
    expect((await call('POST', '/items?action=archive')).op).toBe('archiveItems');
    expect((await call('POST', '/items')).op).toBe('archiveItems');
    expect((await call('GET', '/items')).op).toBe('listItems');
  });

  it('serves templates that differ only in parameter names, each method with its own names', async () => {
    expect(await call('GET', '/a/7')).toMatchObject({ op: 'getA', params: { id: '7' } });
    expect(await call('DELETE', '/a/7')).toMatchObject({ op: 'deleteA', params: { name: '7' } });
    expect(await call('PUT', '/a/7')).toMatchObject({ op: 'putA', params: { other: '7' } });
  });

  it('records a warning for a declared operation another one shadows', () => {
    expect(app.iwkitApi.warnings).toContain('#/paths/~1a~1{again}/put: PUT /a/{other} is declared first and answers the same requests; this operation is never served');
  });

  it('serves both trailing-slash forms when declared, and the other form when only one is', async () => {
    expect((await call('GET', '/slash')).op).toBe('getSlash');
    expect((await call('POST', '/slash/')).op).toBe('postSlash');
    expect(await call('POST', '/slash')).toMatchObject({ status: 405, allow: 'GET, HEAD, OPTIONS' });
    expect((await call('GET', '/only/')).op).toBe('getOnly');
    expect((await call('GET', '/only-slash')).op).toBe('getOnlySlash');
  });

  it('matches "+" and percent-encoded characters in fixed text and decodes them in values', async () => {
    expect(await call('GET', '/lit+plus/a+b')).toMatchObject({ op: 'plusLiteral', params: { v: 'a+b' } });
    expect(await call('GET', '/lit%2Bplus/a%2Bb%20c')).toMatchObject({ op: 'plusLiteral', params: { v: 'a+b c' } });
    expect(await call('GET', '/space%20lit/caf%C3%A9%2F1')).toMatchObject({ op: 'spaceLiteral', params: { v: 'café/1' } });
    expect((await call('GET', '/lit-plus/x')).status).toBe(404);
  });

  it('splits parameters that share a segment with fixed text, and answers 405 when only the method differs', async () => {
    expect(await call('GET', '/f/report.tar.gz')).toMatchObject({ op: 'fileParts', params: { name: 'report', ext: 'tar.gz' } });
    expect(await call('GET', '/f/report')).toMatchObject({ status: 405, allow: 'DELETE, OPTIONS' });
    expect(await call('DELETE', '/f/report')).toMatchObject({ op: 'deleteF', params: { id: 'report' } });
  });

  it('serves {name=pattern} variables spanning segments, with a fixed suffix', async () => {
    expect(await call('POST', '/v1/projects/p9:cancel')).toMatchObject({ op: 'cancelJob', params: { name: 'projects/p9' } });
    expect(await call('GET', '/v1/projects/p9')).toMatchObject({ op: 'getProject', params: { name: 'projects/p9' } });
    expect((await call('GET', '/v1/folders/p9')).status).toBe(404);
  });

  it('hands dotted parameter names over whole', async () => {
    expect(await call('GET', '/t/series-1/build.7')).toMatchObject({ op: 'dotted', params: { 'deployment.series_name': 'series-1', 'deployment.build_id': 'build.7' } });
  });

  it('decodes matrix and label path parameters by their style', async () => {
    expect(await call('GET', '/m/;id=3;id=4')).toMatchObject({ status: 200, op: 'matrixList', params: { id: [3, 4] } });
    expect(await call('GET', '/m1/;id=5')).toMatchObject({ status: 200, op: 'matrixOne', params: { id: 5 } });
    expect(await call('GET', '/l/.3,4')).toMatchObject({ status: 200, op: 'labelList', params: { id: [3, 4] } });
    const bad = await call('GET', '/m1/;id=five');
    expect(bad.status).toBe(400);
  });

  it('answers a declared HEAD with its own operation and GET with the GET operation', async () => {
    const head = await app.inject({ method: 'HEAD', url: '/h/x' });
    expect(head.statusCode).toBe(200);
    expect(head.headers['x-op']).toBe('headH');
    expect((await call('GET', '/h/x')).op).toBe('getH');
    // A GET route without a declared HEAD still answers HEAD from GET.
    const implicit = await app.inject({ method: 'HEAD', url: '/a/1' });
    expect(implicit.headers['x-op']).toBe('getA');
  });

  it('also serves every path under the first server URL\'s path', async () => {
    expect(await call('GET', '/v2/a/7')).toMatchObject({ op: 'getA', params: { id: '7' } });
    expect(await call('GET', '/v2/files/3?fields=x')).toMatchObject({ op: 'getSharedLink', params: { file_id: '3' } });
    expect((await call('GET', '/v2/only/')).op).toBe('getOnly');
    expect(await call('PATCH', '/v2/a/7')).toMatchObject({ status: 405, allow: 'GET, DELETE, PUT, HEAD, OPTIONS' });
  });

  it('keeps 405 with Allow, OPTIONS 204 and 404 for unknown paths', async () => {
    expect(await call('PATCH', '/a/7')).toMatchObject({ status: 405, allow: 'GET, DELETE, PUT, HEAD, OPTIONS' });
    const options = await app.inject({ method: 'OPTIONS', url: '/items' });
    expect(options.statusCode).toBe(204);
    expect(options.headers.allow).toBe('POST, GET, HEAD, OPTIONS');
    expect((await call('GET', '/nowhere/at/all')).status).toBe(404);
  });

  it('still validates path values on a plain route', async () => {
    expect(await call('GET', '/int/42')).toMatchObject({ status: 200, params: { n: 42 } });
    expect((await call('GET', '/int/forty-two')).status).toBe(400);
  });

  it('routes the same shapes over real HTTP', async () => {
    const server = await createMockServer({ spec: spec(), fixturesDir: await echoFixtures(), seed: 1, docs: false });
    const address = await server.listen({ port: 0, host: '127.0.0.1' });
    try {
      const plus = await fetch(`${address}/v2/lit%2Bplus/a+b`);
      expect(plus.headers.get('x-op')).toBe('plusLiteral');
      expect((await plus.json()).params).toEqual({ v: 'a+b' });
      const matrix = await fetch(`${address}/m/;id=3;id=4`);
      expect((await matrix.json()).params).toEqual({ id: [3, 4] });
      const head = await fetch(`${address}/h/x`, { method: 'HEAD' });
      expect(head.headers.get('x-op')).toBe('headH');
      const shared = await fetch(`${address}/files/9?fields=shared_link`);
      expect(shared.headers.get('x-op')).toBe('getSharedLink');
    } finally {
      await server.close();
    }
  });
});

describe('real documents', () => {
  it('serves kubernetes-core, whose explicit HEADs share paths with GETs', async () => {
    const k8s = await createMockServer({ spec: publicSpec('kubernetes-core-3.0.json'), docs: false, seed: 1 });
    try {
      await k8s.ready();
      const auth = { authorization: 'Bearer t' };
      const head = await k8s.inject({ method: 'HEAD', url: '/api/v1/namespaces/ns/pods/p1/proxy', headers: auth });
      expect(head.statusCode).toBe(200);
      expect((await k8s.inject({ url: '/api/v1/namespaces/ns/pods/p1/proxy', headers: auth })).statusCode).toBe(200);
      expect((await k8s.inject({ url: '/api/v1', headers: auth })).statusCode).toBe(200);
      expect(k8s.iwkitApi.warnings.filter((w) => w.includes('never served'))).toEqual([]);
    } finally {
      await k8s.close();
    }
  }, 60_000);

  it('serves temporal\'s dotted parameter names (its two schema faults mended in memory)', async () => {
    const doc = loadYaml(await readFile(publicSpec('temporal-3.0.yaml'), 'utf8')) as Record<string, unknown>;
    // The file breaks the OpenAPI schema twice (a root description, repeated operationIds); routing is what is tested here.
    delete doc.description;
    const seen = new Set<string>();
    for (const item of Object.values(doc.paths as Record<string, Record<string, { operationId?: string }>>)) {
      for (const operation of Object.values(item)) {
        if (!operation?.operationId) continue;
        while (seen.has(operation.operationId)) operation.operationId += '_';
        seen.add(operation.operationId);
      }
    }
    const temporal = await createMockServer({ spec: doc, docs: false, seed: 1 });
    try {
      await temporal.ready();
      const get = await temporal.inject({ url: '/api/v1/namespaces/ns1/workflows/wf-1' });
      expect(get.statusCode).toBe(200);
      const post = await temporal.inject({ method: 'POST', url: '/api/v1/namespaces/ns1/workflows/wf-1', payload: {} });
      expect(post.statusCode).toBe(200);
      expect(temporal.iwkitApi.warnings.filter((w) => w.includes('never served'))).toEqual([]);
    } finally {
      await temporal.close();
    }
  }, 60_000);
});

describe('route registration errors', () => {
  it('skips an operation on one of the mock\'s own paths with a warning instead of crashing', async () => {
    const own = {
      openapi: '3.1.0',
      info: { title: 'own paths', version: '1' },
      paths: { '/__iwkit/rules': { get: { operationId: 'rules', responses: { '200': { description: 'ok' } } } } },
    };
    const server = await createMockServer({ spec: own, admin: true });
    try {
      expect(server.iwkitApi.warnings).toContain("#/paths/~1__iwkit~1rules/get: not served: the mock's own GET /__iwkit/rules takes this path");
    } finally {
      await server.close();
    }
  });

  it('registers fixed text with any character a router could misread', async () => {
    const keys = ['/x/(a', '/x/a)b[c]', "/x/!~'", '/x/100%', '/x/%E2%82%AC', '/x/a*b', '/x/a:b'];
    const odd = {
      openapi: '3.1.0',
      info: { title: 'odd', version: '1' },
      paths: Object.fromEntries(keys.map((key, i) => [key, { get: { operationId: `odd${i}`, responses: { '200': { description: 'ok' } } } }])),
    };
    const server = await createMockServer({ spec: odd, docs: false });
    try {
      for (const url of ['/x/(a', '/x/a)b%5Bc%5D', "/x/!~'", '/x/100%25', '/x/%E2%82%AC', '/x/a*b', '/x/a:b', '/x/a%3Ab']) {
        expect((await server.inject({ url })).statusCode, url).toBe(200);
      }
    } finally {
      await server.close();
    }
  });
});
