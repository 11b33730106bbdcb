import { readFile } from 'node:fs/promises';
import { load as loadYaml } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { HttpMethod, Parameter } from '../../src/openapi/api-model.js';
import { basePathsOf, buildRouteTable, type RouteOperation, type RouteTable, type TableRoute } from '../../src/mock/route-table.js';
import { publicCorpus } from '../openapi/public-corpus.js';

const specs = publicCorpus;

function op(method: string, path: string, requiredQuery: string[] = []): RouteOperation {
  const parameters = requiredQuery.map((name) => ({ name, in: 'query', required: true }) as Parameter);
  return { method: method as HttpMethod, path, parameters };
}

function routeOf(table: RouteTable, method: string, shape: string): TableRoute {
  const route = table.routes.find((r) => r.method === method && describeShape(r) === shape);
  if (!route) throw new Error(`no ${method} ${shape} in ${table.routes.map((r) => `${r.method} ${describeShape(r)}`).join(', ')}`);
  return route;
}

function describeShape(route: TableRoute): string {
  return `/${route.shape.map((s) => (s.kind === 'static' ? s.text : s.kind === 'slot' ? '{}' : '**')).join('/')}`;
}

/** Which operation (by path key) answers, with which params. */
function answer(table: RouteTable, ops: RouteOperation[], method: string, shape: string, slots: string[], query: Record<string, unknown> = {}) {
  const route = routeOf(table, method, shape);
  const choice = table.choose(route, slots, query);
  return choice && { path: ops[route.candidates[choice.index].operation].path, params: choice.params };
}

async function rawPaths(file: string): Promise<RouteOperation[]> {
  const text = await readFile(`${specs}/${file}`, 'utf8');
  const doc = (file.endsWith('.json') ? JSON.parse(text) : loadYaml(text)) as { paths: Record<string, Record<string, unknown>> };
  const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
  return Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).filter((m) => methods.includes(m)).map((m) => op(m, path)));
}

describe('buildRouteTable', () => {
  it('hands a plain template straight to the router, one parameter per slot', () => {
    const table = buildRouteTable([op('get', '/users/{user-id}/posts/{post.id}')]);
    expect(table.routes).toHaveLength(2); // and its trailing-slash alias
    const route = routeOf(table, 'GET', '/users/{}/posts/{}');
    expect(route.direct).toEqual(['user-id', 'post.id']);
    expect(route.declared).toBe(true);
    expect(table.warnings).toEqual([]);
  });

  it('serves templates that differ only in parameter names under different methods on one shape', () => {
    const ops = [op('get', '/a/{id}'), op('delete', '/a/{name}')];
    const table = buildRouteTable(ops);
    expect(routeOf(table, 'GET', '/a/{}').direct).toEqual(['id']);
    expect(routeOf(table, 'DELETE', '/a/{}').direct).toEqual(['name']);
    expect(table.allowedMethods('/a/7')).toEqual(['GET', 'DELETE']);
    expect(table.warnings).toEqual([]);
  });

  it('serves the first of two operations that answer the same requests and warns about the second', () => {
    const ops = [op('get', '/a/{id}'), op('get', '/a/{name}')];
    const table = buildRouteTable(ops);
    const route = routeOf(table, 'GET', '/a/{}');
    expect(route.candidates).toHaveLength(1);
    expect(route.direct).toEqual(['id']);
    expect(table.warnings).toEqual(['#/paths/~1a~1{name}/get: GET /a/{id} is declared first and answers the same requests; this operation is never served']);
  });

  it('tells #fragment variants apart by their required query parameters, else answers with the first', () => {
    const ops = [op('get', '/files/{file_id}'), op('get', '/files/{file_id}#get_shared_link', ['fields'])];
    const table = buildRouteTable(ops);
    expect(routeOf(table, 'GET', '/files/{}').direct).toBeUndefined();
    expect(answer(table, ops, 'GET', '/files/{}', ['12'], { fields: 'shared_link' })).toEqual({ path: '/files/{file_id}#get_shared_link', params: { file_id: '12' } });
    expect(answer(table, ops, 'GET', '/files/{}', ['12'])).toEqual({ path: '/files/{file_id}', params: { file_id: '12' } });
    expect(table.warnings).toEqual([]);
  });

  it('chooses ?query-keyed variants by the request\'s query, falling back to the first', () => {
    const ops = [op('post', '/items?action=archive'), op('post', '/items?action=restore'), op('post', '/items?action=restore&hard')];
    const table = buildRouteTable(ops);
    expect(answer(table, ops, 'POST', '/items', [], { action: 'restore' })?.path).toBe('/items?action=restore');
    expect(answer(table, ops, 'POST', '/items', [], { action: 'restore', hard: '' })?.path).toBe('/items?action=restore&hard');
    expect(answer(table, ops, 'POST', '/items', [], { action: ['x', 'archive'] })?.path).toBe('/items?action=archive');
    expect(answer(table, ops, 'POST', '/items', [], {})?.path).toBe('/items?action=archive');
  });

  it('warns about #fragment variants nothing in a request can tell apart', () => {
    const table = buildRouteTable([op('get', '/f/{id}'), op('get', '/f/{id}#again')]);
    expect(table.warnings).toEqual(['#/paths/~1f~1{id}#again/get: GET /f/{id} is declared first and answers the same requests; this operation is never served']);
  });

  it('splits a segment holding text around parameters, linearly and never into empty parameters', () => {
    const ops = [op('get', '/files/{name}.{ext}'), op('get', '/v1/{name}:cancel'), op('get', '/r/{a}-{b}-{c}.json')];
    const table = buildRouteTable(ops);
    expect(answer(table, ops, 'GET', '/files/{}', ['report.tar.gz'])?.params).toEqual({ name: 'report', ext: 'tar.gz' });
    expect(answer(table, ops, 'GET', '/files/{}', ['report'])).toBeUndefined();
    expect(answer(table, ops, 'GET', '/files/{}', ['.png'])).toBeUndefined();
    expect(answer(table, ops, 'GET', '/files/{}', ['a.'])).toBeUndefined();
    expect(answer(table, ops, 'GET', '/v1/{}', ['jobs:7:cancel'])?.params).toEqual({ name: 'jobs:7' });
    expect(answer(table, ops, 'GET', '/r/{}', ['1-2-3.json'])?.params).toEqual({ a: '1', b: '2', c: '3' });
    expect(answer(table, ops, 'GET', '/r/{}', [`${'-'.repeat(20000)}x`])).toBeUndefined();
  });

  it('joins a {name=pattern} variable\'s segments into one parameter value', () => {
    const ops = [op('get', '/v1/{name=projects/*/locations/*}'), op('get', '/v2/{path=**}'), op('post', '/v3/{name=projects/*}:run')];
    const table = buildRouteTable(ops);
    expect(answer(table, ops, 'GET', '/v1/projects/{}/locations/{}', ['p1', 'eu'])?.params).toEqual({ name: 'projects/p1/locations/eu' });
    expect(answer(table, ops, 'GET', '/v2/**', ['a/b/c'])?.params).toEqual({ path: 'a/b/c' });
    expect(routeOf(table, 'GET', '/v2/**').direct).toEqual(['path']);
    expect(answer(table, ops, 'POST', '/v3/projects/{}', ['p9:run'])?.params).toEqual({ name: 'projects/p9' });
  });

  it('turns fixed text with reserved characters into a slot that must equal it, preferred over a parameter there', () => {
    const ops = [op('get', '/{id}/x'), op('get', '/a+b/x'), op('get', '/v1/projects:batchGet')];
    const table = buildRouteTable(ops);
    const route = routeOf(table, 'GET', '/{}/x');
    expect(route.candidates).toHaveLength(2);
    expect(answer(table, ops, 'GET', '/{}/x', ['a+b'])?.path).toBe('/a+b/x');
    expect(answer(table, ops, 'GET', '/{}/x', ['zz'])).toEqual({ path: '/{id}/x', params: { id: 'zz' } });
    expect(answer(table, ops, 'GET', '/v1/{}', ['projects:batchGet'])?.params).toEqual({});
    expect(answer(table, ops, 'GET', '/v1/{}', ['projects:other'])).toBeUndefined();
    expect(table.allowedMethods('/a%2Bb/x')).toEqual(['GET']);
  });

  it('aliases the other trailing slash unless that path is declared itself', () => {
    const table = buildRouteTable([op('get', '/a'), op('post', '/a/'), op('get', '/b/'), op('get', '/'), op('get', '/c/{id}')]);
    const shapes = table.routes.map((r) => `${r.method} ${describeShape(r)} ${r.declared ? 'declared' : 'alias'}`);
    expect(shapes).toEqual(['GET /a declared', 'POST /a/ declared', 'GET /b/ declared', 'GET / declared', 'GET /c/{} declared', 'GET /b alias', 'GET /c/{}/ alias']);
    expect(table.allowedMethods('/a/')).toEqual(['POST']);
    expect(table.allowedMethods('/b')).toEqual(['GET']);
  });

  it('also serves every path under the base path, where no declared path takes it', () => {
    const ops = [op('get', '/pets'), op('get', '/v2/pets/{id}'), op('get', '/pets/{id}')];
    const table = buildRouteTable(ops, { basePaths: ['/v2'] });
    expect(routeOf(table, 'GET', '/v2/pets').declared).toBe(false);
    expect(routeOf(table, 'GET', '/v2/pets/').declared).toBe(false);
    // "/v2/pets/{id}" is declared: the alias of "/pets/{id}" under /v2 would take its requests.
    expect(routeOf(table, 'GET', '/v2/pets/{}').candidates.map((c) => c.path)).toEqual(['/v2/pets/{id}']);
    expect(table.allowedMethods('/v2/pets')).toEqual(['GET']);
    expect(table.basePaths).toEqual(['/v2']);
  });

  it('marks GET routes whose shape a declared HEAD shares', () => {
    const table = buildRouteTable([op('get', '/p/{name}/proxy'), op('head', '/p/{name}/proxy'), op('get', '/q')]);
    expect(routeOf(table, 'GET', '/p/{}/proxy').headDeclared).toBe(true);
    expect(routeOf(table, 'GET', '/p/{}/proxy/').headDeclared).toBe(true);
    expect(routeOf(table, 'GET', '/q').headDeclared).toBe(false);
  });

  it('routes kubernetes-core and temporal without a duplicate route shape', async () => {
    for (const file of ['kubernetes-core-3.0.json', 'temporal-3.0.yaml', 'traccar-3.1.yaml', 'appng-3.0.yaml']) {
      const ops = await rawPaths(file);
      const table = buildRouteTable(ops, { basePaths: ['/base'] });
      const keys = table.routes.map((r) => `${r.method} ${describeShape(r)}`);
      expect(new Set(keys).size, file).toBe(keys.length);
      // Every declared operation answers on its own route (none collide in these documents).
      expect(table.warnings, file).toEqual([]);
      const served = new Set(table.routes.flatMap((r) => r.candidates.map((c) => c.operation)));
      expect(served.size, file).toBe(ops.length);
    }
  });

  it('tells temporal\'s dotted-name and plain-name templates apart by method', async () => {
    const ops = await rawPaths('temporal-3.0.yaml');
    const table = buildRouteTable(ops);
    expect(answer(table, ops, 'GET', '/api/v1/namespaces/{}/workflows/{}', ['ns', 'wf-1'])).toEqual({
      path: '/api/v1/namespaces/{namespace}/workflows/{execution.workflow_id}',
      params: { namespace: 'ns', 'execution.workflow_id': 'wf-1' },
    });
    expect(routeOf(table, 'POST', '/api/v1/namespaces/{}/workflows/{}').direct).toEqual(['namespace', 'workflowId']);
  });
});

describe('basePathsOf', () => {
  it('takes the path of the first server URL', () => {
    expect(basePathsOf([{ url: 'https://api.example.com/v2' }, { url: 'https://other/v3' }])).toEqual(['/v2']);
    expect(basePathsOf([{ url: 'https://api.example.com/api/v1/' }])).toEqual(['/api/v1']);
    expect(basePathsOf([{ url: '/relative/v1' }])).toEqual(['/relative/v1']);
    expect(basePathsOf([{ url: '//cdn.example.com/v9' }])).toEqual(['/v9']);
  });

  it('has none for a bare host, no servers, or a variable without a default', () => {
    expect(basePathsOf([{ url: 'https://api.example.com' }])).toEqual([]);
    expect(basePathsOf([{ url: 'http://127.0.0.1:4010/' }])).toEqual([]);
    expect(basePathsOf([])).toEqual([]);
    expect(basePathsOf([{ url: 'https://x/{basePath}' }])).toEqual([]);
  });
});
