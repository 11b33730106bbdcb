import type { MockServer } from '../../src/server/mock-server.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Operation } from '../../src/openapi/api-model.js';
import { createMockServer } from '../../src/server/create-mock-server.js';
import { independentValidator, responseSchemaPointer } from '../openapi/independent-validator.js';

/** Sends through inject and checks every JSON answer against its declared response schema with ajv. */
function client(app: MockServer, headers: Record<string, string>) {
  const validator = independentValidator(app.iwkitApi.document);
  const find = (method: string, url: string): Operation | undefined => {
    const path = url.split('?')[0];
    return app.iwkitApi.operations.find((o) => o.method === method.toLowerCase() && new RegExp(`^${o.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path));
  };
  return async (method: string, url: string, payload?: unknown) => {
    const response = await app.inject({ method: method as 'GET', url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
    const body = response.body ? JSON.parse(response.body) : undefined;
    const op = find(method, url);
    const type = String(response.headers['content-type'] ?? '').split(';')[0];
    const pointer = op && body !== undefined ? responseSchemaPointer(app.iwkitApi.document, op, response.statusCode, type) : undefined;
    if (pointer) expect(validator.errors(pointer, 'response', body), `${method} ${url} → ${response.statusCode}`).toEqual([]);
    return { status: response.statusCode, body, headers: response.headers };
  };
}

describe('stateful resources', () => {
  let app: MockServer | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('round-trips create → read → replace → read → delete → 404 on things-3.1, every answer schema-valid', async () => {
    app = await createMockServer({ spec: 'test/specs/things-3.1.yaml', stateful: true, seed: 2 });
    const token = (await app.inject({ method: 'POST', url: '/login', payload: { user: 'eve' } })).json().token;
    const call = client(app, { authorization: `Bearer ${token}` });
    const created = await call('POST', '/things', { name: 'kettle', color: 'green' });
    expect(created).toMatchObject({ status: 201, body: { id: 1, name: 'kettle', color: 'green' } });
    expect(created.headers.location).toBe('/things/1');
    expect((await call('GET', '/things/1')).body).toEqual(created.body);
    expect((await call('PUT', '/things/1', { name: 'teapot', color: 'blue' })).body).toEqual({ id: 1, name: 'teapot', color: 'blue' });
    expect((await call('GET', '/things/1')).body).toEqual({ id: 1, name: 'teapot', color: 'blue' });
    expect((await call('DELETE', '/things/1')).status).toBe(204);
    const gone = await call('GET', '/things/1');
    expect(gone.status).toBe(404);
    expect(typeof gone.body.error).toBe('string');
    expect((await call('DELETE', '/things/1')).status).toBe(404);
    expect((await call('PUT', '/things/7', { name: 'x', color: 'red' })).status).toBe(404);
  });

  it('round-trips pets on petstore-3.0 and lists them honouring the declared limit', async () => {
    app = await createMockServer({ spec: 'test/specs/petstore-3.0.yaml', stateful: true, seed: 2 });
    const call = client(app, { 'x-api-key': 'k', 'x-request-id': '3f2b8c1e-2d4a-4c6b-9e8f-0a1b2c3d4e5f' });
    const ids: number[] = [];
    for (const name of ['Rex', 'Tom', 'Kit']) {
      const created = await call('POST', '/pets', { name, kind: name === 'Tom' ? 'cat' : 'dog', tag: null });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name, tag: null });
      ids.push(created.body.id);
    }
    expect(ids).toEqual([1, 2, 3]);
    expect((await call('GET', '/pets/2')).body.name).toBe('Tom');
    expect((await call('GET', '/pets')).body.map((p: { name: string }) => p.name)).toEqual(['Rex', 'Tom', 'Kit']);
    expect((await call('GET', '/pets?limit=2')).body.map((p: { name: string }) => p.name)).toEqual(['Rex', 'Tom']);
    expect((await call('DELETE', '/pets/2')).status).toBeLessThan(300);
    expect((await call('GET', '/pets/2')).status).toBe(404);
    expect((await call('GET', '/pets')).body.map((p: { id: number }) => p.id)).toEqual([1, 3]);
  });

  it('round-trips books on library-3.1: readOnly id and createdAt generated, writeOnly secretNote never stored or returned', async () => {
    app = await createMockServer({ spec: 'test/specs/library-3.1/openapi.yaml', stateful: true, seed: 2 });
    const call = client(app, { authorization: 'Bearer t' });
    const book = { isbn: '9780141439518', title: 'Emma', authors: [{ name: 'Jane Austen' }], format: { kind: 'print', pages: 474 }, secretNote: 'hush' };
    const created = await call('POST', '/books', book);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 1, title: 'Emma', authors: [{ name: 'Jane Austen' }] });
    expect(typeof created.body.createdAt).toBe('string');
    expect(created.body).not.toHaveProperty('secretNote');
    expect((await call('GET', '/books/1')).body).toEqual(created.body);
    const basic = client(app, { authorization: `Basic ${btoa('a:b')}` });
    const replaced = await basic('PUT', '/books/1', { ...book, title: 'Persuasion' });
    expect(replaced.body).toMatchObject({ id: 1, title: 'Persuasion', createdAt: created.body.createdAt });
    expect((await call('GET', '/books/1')).body.title).toBe('Persuasion');
  });

  it('refuses with a 400 problem an item the answer schema cannot represent, and stores nothing', async () => {
    const spec = {
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      paths: {
        '/notes': { post: { requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { text: { type: 'string' } } } } } }, responses: { '201': { description: 'c', content: { 'application/json': { schema: { $ref: '#/components/schemas/Note' } } } } } } },
        '/notes/{id}': { get: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }], responses: { '200': { description: 'n', content: { 'application/json': { schema: { $ref: '#/components/schemas/Note' } } } } } } },
      },
      components: { schemas: { Note: { type: 'object', required: ['id', 'text'], properties: { id: { type: 'integer' }, text: { type: 'string', maxLength: 5 } } } } },
    };
    app = await createMockServer({ spec, stateful: true, seed: 2 });
    const refused = await app.inject({ method: 'POST', url: '/notes', payload: { text: 'far too long' } });
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json().errors[0]).toMatchObject({ in: 'body', pointer: '/text' });
    const ok = await app.inject({ method: 'POST', url: '/notes', payload: { text: 'short' } });
    expect(ok.json()).toMatchObject({ id: 1, text: 'short' });
    // 404 where the spec declares none: a problem naming the parameter.
    const missing = await app.inject({ method: 'GET', url: '/notes/9' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().errors[0]).toMatchObject({ in: 'path', pointer: '/id' });
  });

  it('answers a seeded sequence byte for byte the same across restarts, and keeps clients apart', async () => {
    const run = async () => {
      const mock = await createMockServer({ spec: 'test/specs/petstore-3.0.yaml', stateful: true, seed: 11 });
      const bodies: string[] = [];
      for (const [method, url, payload, client] of [
        ['POST', '/pets', { name: 'A', kind: 'dog' }, 'one'],
        ['POST', '/pets', { name: 'B', kind: 'cat' }, 'one'],
        ['POST', '/pets', { name: 'C', kind: 'cat' }, 'two'],
        ['GET', '/pets', undefined, 'one'],
        ['GET', '/pets', undefined, 'two'],
        ['GET', '/pets/2', undefined, 'two'],
      ] as const) {
        const r = await mock.inject({ method, url, headers: { 'x-api-key': 'k', 'x-request-id': '3f2b8c1e-2d4a-4c6b-9e8f-0a1b2c3d4e5f', 'iwkit-client': client }, ...(payload ? { payload } : {}) });
        bodies.push(`${r.statusCode} ${r.body}`);
      }
      await mock.close();
      return bodies;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(JSON.parse(first[4].slice(4))).toHaveLength(1);
    expect(first[5].startsWith('404')).toBe(true);
  });

  it('refuses a create past maxStateItems with a 507 problem naming the limit, per client', async () => {
    app = await createMockServer({ spec: 'test/specs/petstore-3.0.yaml', stateful: true, seed: 2, limits: { maxStateItems: 3 } });
    const post = (client: string) => app!.inject({ method: 'POST', url: '/pets', payload: { name: 'P', kind: 'dog' }, headers: { 'x-api-key': 'k', 'iwkit-client': client } });
    // A counter and two pets fill the three entries.
    expect((await post('a')).statusCode).toBe(201);
    expect((await post('a')).statusCode).toBe(201);
    const full = await post('a');
    expect(full.statusCode).toBe(507);
    // Petstore declares its own error shape (a default response): the detail still names the limit.
    expect(full.body).toContain('maxStateItems');
    expect((await post('b')).statusCode).toBe(201);
  });

  it('names every stateful operation and why', async () => {
    app = await createMockServer({ spec: 'test/specs/petstore-3.0.yaml', stateful: true });
    expect(app.iwkitState).toEqual(expect.arrayContaining([expect.stringMatching(/^createPet POST \/pets: create of \/pets \(path parameter \{petId\} ↔ property "id"\)$/), expect.stringMatching(/^listPets GET \/pets: list/)]));
  });
});
