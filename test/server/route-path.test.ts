import { readFile } from 'node:fs/promises';
import Fastify from 'fastify';
import { load as loadYaml } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { isToolkitError } from '../../src/errors.js';
import { createFaker } from '../../src/fake/create-faker.js';
import { compileOperation } from '../../src/mock/compile-operation.js';
import { buildRouteTable, type RouteOperation } from '../../src/mock/route-table.js';
import { loadApi } from '../../src/openapi/load-api.js';
import type { HttpMethod } from '../../src/openapi/api-model.js';
import type { MockRuntime } from '../../src/server/handle-operation.js';
import { registerOperationRoutes } from '../../src/server/register-operation-routes.js';
import { routePathOf, routeUrl, slotKeys, toRoutePath } from '../../src/server/route-path.js';
import { publicCorpus } from '../openapi/public-corpus.js';

const specs = publicCorpus;

async function rawOperations(file: string): Promise<RouteOperation[]> {
  const text = await readFile(`${specs}/${file}`, 'utf8');
  const doc = (file.endsWith('.json') ? JSON.parse(text) : loadYaml(text)) as { paths: Record<string, Record<string, unknown>> };
  const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item).filter((m) => methods.includes(m)).map((m) => ({ method: m as HttpMethod, path, parameters: [] })));
}

describe('route paths', () => {
  it('writes slots as positional params and the rest of a path as a wildcard', () => {
    const shape = [{ kind: 'static', text: 'a' }, { kind: 'slot' }, { kind: 'static', text: 'b' }, { kind: 'slot' }, { kind: 'rest' }] as const;
    expect(routeUrl([...shape])).toBe('/a/:p0/b/:p1/*');
    expect(slotKeys([...shape])).toEqual(['p0', 'p1', '*']);
  });

  it('maps a plain template\'s param keys back to the spec\'s names, dots and dashes included', () => {
    const route = toRoutePath('/users/{user-id}/d/{deployment.series_name}');
    expect(route.url).toBe('/users/:p0/d/:p1');
    expect([...route.names]).toEqual([['p0', 'user-id'], ['p1', 'deployment.series_name']]);
  });

  it('turns text around a parameter and reserved fixed text into plain slots', () => {
    expect(toRoutePath('/v1/{name}:cancel').url).toBe('/v1/:p0');
    expect(toRoutePath('/v1/projects:batchGet/{id}').url).toBe('/v1/:p0/:p1');
    expect(toRoutePath('/files/{name}.{ext}#download').url).toBe('/files/:p0');
    expect(toRoutePath('/space%20here').url).toBe('/space here');
  });

  it('registers the kubernetes-core, temporal, traccar and appng route sets on Fastify without an error', async () => {
    for (const file of ['kubernetes-core-3.0.json', 'temporal-3.0.yaml', 'traccar-3.1.yaml', 'appng-3.0.yaml']) {
      const table = buildRouteTable(await rawOperations(file), { basePaths: ['/v9'] });
      const app = Fastify();
      for (const route of table.routes) {
        app.route({ method: route.method, url: routePathOf(route).url, exposeHeadRoute: !route.headDeclared, handler: async () => 'ok' });
      }
      await app.ready();
      await app.close();
    }
  });
});

describe('registerOperationRoutes', () => {
  it('turns a route Fastify refuses into a coded toolkit error naming the operation', async () => {
    const api = await loadApi('test/specs/petstore-3.0.yaml');
    const operations = api.operations.map((op) => compileOperation(api, op, [], createFaker(), 0));
    const table = buildRouteTable(api.operations);
    const app = Fastify();
    await app.ready(); // a started instance takes no more routes
    let caught: unknown;
    try {
      await registerOperationRoutes(app, { table, operations, runtime: { now: 0 } as MockRuntime, source: 'petstore.yaml', warnings: [] });
    } catch (error) {
      caught = error;
    }
    expect(isToolkitError(caught)).toBe(true);
    expect((caught as Error & { code: string }).code).toBe('IWKIT_ERR_SPEC_INVALID');
    expect((caught as Error).message).toMatch(/^petstore\.yaml#\/paths\/~1pets\/get: cannot serve GET \/pets: /);
    await app.close();
  });
});
