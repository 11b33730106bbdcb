import type { MockServer } from '../../src/server/mock-server.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Operation } from '../../src/openapi/api-model.js';
import { createMockServer } from '../../src/server/create-mock-server.js';
import { independentValidator, responseSchemaPointer } from '../openapi/independent-validator.js';
import { publicSpec } from '../openapi/public-corpus.js';

// Real public documents with `--stateful`: a collection round trip where every 2xx JSON answer is checked
// by ajv against the raw document's own response schema (not the mock's compiled copy).

type Call = (method: string, url: string, payload?: unknown) => Promise<{ status: number; type: string; body: any }>;

/** Sends through inject; every 2xx JSON answer must satisfy the raw document's schema for it. */
function client(app: MockServer, headers: Record<string, string>): Call {
  const validator = independentValidator(app.iwkitApi.document);
  const find = (method: string, url: string): Operation | undefined =>
    app.iwkitApi.operations.find((o) => o.method === method.toLowerCase() && new RegExp(`^${o.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(url.split('?')[0]));
  return async (method, url, payload) => {
    const response = await app.inject({ method: method as 'GET', url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
    const type = String(response.headers['content-type'] ?? '').split(';')[0];
    const body = response.body && /json/.test(type) ? JSON.parse(response.body) : undefined;
    const op = find(method, url);
    if (response.statusCode >= 200 && response.statusCode < 300 && body !== undefined) {
      const pointer = op ? responseSchemaPointer(app.iwkitApi.document, op, response.statusCode, type) : undefined;
      expect(pointer, `${method} ${url} → ${response.statusCode} has a declared schema`).toBeDefined();
      expect(validator.errors(pointer!, 'response', body), `${method} ${url} → ${response.statusCode}`).toEqual([]);
    }
    return { status: response.statusCode, type, body };
  };
}

describe('stateful mocking of public specs, checked by ajv', () => {
  let app: MockServer | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('runs POST → GET → PUT → GET list → DELETE → GET 404 on scalar-galaxy planets, behind its own token login', async () => {
    app = await createMockServer({ spec: publicSpec('scalar-galaxy-3.1.yaml'), stateful: true, seed: 5 });
    const anonymous = client(app, {});
    const login = await anonymous('POST', '/auth/token', { email: 'marc@scalar.com', password: 'i-love-scalar' });
    expect(login.status).toBe(201);
    const call = client(app, { authorization: `Bearer ${login.body.token}` });
    const created = await call('POST', '/planets', { id: 999, name: 'Vulcan', type: 'terrestrial' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Vulcan', type: 'terrestrial' });
    const id = created.body.id;
    expect((await call('GET', `/planets/${id}`)).body).toEqual(created.body);
    const replaced = await call('PUT', `/planets/${id}`, { id, name: 'Vulcan II', type: 'super_earth' });
    expect(replaced, JSON.stringify(replaced.body)).toMatchObject({ status: 200, body: { id, name: 'Vulcan II', type: 'super_earth' } });
    const listed = await call('GET', '/planets');
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).toContain('"Vulcan II"');
    expect((await call('DELETE', `/planets/${id}`)).status).toBe(204);
    const gone = await call('GET', `/planets/${id}`);
    expect(gone.status).toBe(404);
  });

  it('runs POST → GET → PATCH → GET list → DELETE → GET 404 on resend domains, every answer valid for the raw document', async () => {
    app = await createMockServer({ spec: publicSpec('resend-3.1.yaml'), stateful: true, seed: 5 });
    const call = client(app, { authorization: 'Bearer re_123456789' });
    const created = await call('POST', '/domains', { name: 'example.com', region: 'eu-west-1' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(typeof id).toBe('string');
    const read = await call('GET', `/domains/${id}`);
    expect(read).toMatchObject({ status: 200, body: { id } });
    const patched = await call('PATCH', `/domains/${id}`, { open_tracking: true });
    expect(patched.status).toBe(200);
    expect((await call('GET', `/domains/${id}`)).body).toMatchObject({ id });
    const listed = await call('GET', '/domains');
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).toContain(id);
    expect((await call('DELETE', `/domains/${id}`)).status).toBe(200);
    const gone = await call('GET', `/domains/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.type).toBe('application/problem+json');
  });
});
