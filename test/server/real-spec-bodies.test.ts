import type { MockServer } from '../../src/server/mock-server.js';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockServer } from '../../src/server/create-mock-server.js';
import { publicCorpus } from '../openapi/public-corpus.js';

const specs = publicCorpus;

async function multipart(fd: FormData): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const encoded = new Response(fd);
  return { payload: Buffer.from(await encoded.arrayBuffer()), headers: { 'content-type': encoded.headers.get('content-type')! } };
}

function pointers(res: { json(): { errors: { in: string; pointer: string }[] } }): string[] {
  return res.json().errors.map((e) => `${e.in} ${e.pointer}`).sort();
}

describe('traccar: forms, image uploads and non-JSON answers', () => {
  let app: MockServer;
  beforeAll(async () => {
    app = await createMockServer({ spec: `${specs}/traccar-3.1.yaml`, seed: 1, docs: false });
  });
  afterAll(() => app.close());

  const session = (payload: string) => app.inject({ method: 'POST', url: '/session', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload });

  it('logs in with a form body on POST /session', async () => {
    const res = await session('email=ada%40example.com&password=s3cret');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(typeof res.json()).toBe('object');
    const [entry] = app.journal({ operationId: 'postSession' });
    expect(entry.body).toEqual({ email: 'ada@example.com', password: 's3cret' });
  });

  it('names the missing form field of POST /session', async () => {
    const res = await session('email=ada%40example.com');
    expect(res.statusCode).toBe(400);
    expect(pointers(res)).toEqual(['body /password']);
  });

  it('refuses JSON on POST /session with 415 naming the form type', async () => {
    const res = await app.inject({ method: 'POST', url: '/session', payload: { email: 'a', password: 'b' } });
    expect(res.statusCode).toBe(415);
    expect(res.json().accepted).toEqual(['application/x-www-form-urlencoded']);
  });

  it('converts typed form fields on POST /share/device', async () => {
    const res = await app.inject({ method: 'POST', url: '/share/device', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer t' }, payload: 'deviceId=12&expiration=2025-05-04T09:42:00Z' });
    expect(res.statusCode).toBe(200);
    const bad = await app.inject({ method: 'POST', url: '/share/device', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer t' }, payload: 'deviceId=twelve&expiration=soon' });
    expect(bad.statusCode).toBe(400);
    expect(pointers(bad)).toEqual(['body /deviceId', 'body /expiration']);
  });

  it('takes an image/* upload and answers the text/plain example', async () => {
    const res = await app.inject({ method: 'POST', url: '/devices/1/image', headers: { 'content-type': 'image/jpeg', authorization: 'Bearer t' }, payload: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.body).toBe('device.png');
  });

  it('answers GET /positions as JSON, CSV or GPX by Accept', async () => {
    const get = (accept: string) => app.inject({ method: 'GET', url: '/positions', headers: { accept, authorization: 'Bearer t' } });
    expect((await get('application/json')).headers['content-type']).toMatch(/^application\/json/);
    const csv = await get('text/csv');
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.body.split('\r\n')[0]).toMatch(/^id,/);
    const gpx = await get('application/gpx+xml');
    expect(gpx.headers['content-type']).toBe('application/gpx+xml; charset=utf-8');
    expect(XMLValidator.validate(gpx.body)).toBe(true);
  });
});

describe('resend: a multipart import', () => {
  let app: MockServer;
  beforeAll(async () => {
    app = await createMockServer({ spec: `${specs}/resend-3.1.yaml`, seed: 1, docs: false });
  });
  afterAll(() => app.close());

  it('accepts POST /contacts/imports with a CSV file and text options, and names a missing file', async () => {
    const fd = new FormData();
    fd.append('file', new Blob(['email\r\nada@example.com\r\n'], { type: 'text/csv' }), 'contacts.csv');
    fd.append('on_conflict', 'upsert');
    fd.append('column_map', '{"email":"email"}');
    const { payload, headers } = await multipart(fd);
    const res = await app.inject({ method: 'POST', url: '/contacts/imports', headers: { ...headers, authorization: 'Bearer re_123' }, payload });
    expect(res.statusCode, res.body).toBe(201);
    const [entry] = app.journal({ operationId: 'contacts/create-import' });
    expect(entry.body).toEqual({ file: 'email\r\nada@example.com\r\n', on_conflict: 'upsert', column_map: '{"email":"email"}' });

    const none = new FormData();
    none.append('on_conflict', 'sometimes');
    const missing = await multipart(none);
    const bad = await app.inject({ method: 'POST', url: '/contacts/imports', headers: { ...missing.headers, authorization: 'Bearer re_123' }, payload: missing.payload });
    expect(bad.statusCode).toBe(400);
    expect(pointers(bad)).toEqual(['body /file', 'body /on_conflict']);
  });
});

describe('a trimmed copy of scalar-galaxy uploadImage and kubernetes patch bodies', () => {
  let app: MockServer;
  beforeAll(async () => {
    app = await createMockServer({
      seed: 2,
      docs: false,
      spec: {
        openapi: '3.1.1',
        info: { title: 'galaxy (trimmed)', version: '1' },
        paths: {
          '/planets/{planetId}/image': {
            post: {
              operationId: 'uploadImage',
              parameters: [{ name: 'planetId', in: 'path', required: true, schema: { type: 'integer', format: 'int64' } }],
              requestBody: {
                description: 'Image to upload',
                content: { 'multipart/form-data': { schema: { type: 'object', properties: { image: { type: 'string', format: 'binary', examples: ['@mars.jpg'] } } } } },
              },
              responses: {
                '200': { description: 'uploaded', content: { 'application/json': { schema: { type: 'object', properties: { message: { type: 'string' }, imageUrl: { type: 'string', format: 'uri' } } } } } },
              },
            },
          },
        },
      },
    });
  });
  afterAll(() => app.close());

  it('takes an image file in a multipart body', async () => {
    const fd = new FormData();
    fd.append('image', new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' }), 'mars.jpg');
    const { payload, headers } = await multipart(fd);
    const res = await app.inject({ method: 'POST', url: '/planets/1/image', headers, payload });
    expect(res.statusCode).toBe(200);
    expect(app.journal()[0].body).toEqual({ image: '\xff\xd8\xff' });
  });
});

describe('a trimmed copy of apideck file storage filesUpload: a */* binary upload', () => {
  // The real operation also requires a header described by `content: application/json`, which the mock does not read yet.
  let app: MockServer;
  beforeAll(async () => {
    app = await createMockServer({
      seed: 1,
      docs: false,
      spec: {
        openapi: '3.0.3',
        info: { title: 'file storage (trimmed)', version: '1' },
        components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'Authorization' } } },
        paths: {
          '/file-storage/files': {
            post: {
              operationId: 'filesUpload',
              security: [{ apiKey: [] }],
              requestBody: { required: true, content: { '*/*': { schema: { type: 'string', format: 'binary' } } } },
              responses: { '201': { description: 'created', content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string' } } } } } } },
            },
          },
        },
      },
    });
  });
  afterAll(() => app.close());

  it('takes any bytes, of any type or none, and refuses an empty upload', async () => {
    const send = (headers: Record<string, string>, payload: Buffer) => app.inject({ method: 'POST', url: '/file-storage/files', headers: { authorization: 'k', ...headers }, payload });
    expect((await send({ 'content-type': 'application/pdf' }, Buffer.from('%PDF-1.4 fake'))).statusCode).toBe(201);
    expect((await send({ 'content-type': 'application/json' }, Buffer.from('{"not":"parsed"}'))).statusCode).toBe(201);
    expect(app.journal().at(-1)!.body).toBe('{"not":"parsed"}');
    expect((await send({}, Buffer.from([1, 2, 3]))).statusCode).toBe(201);
    expect((await send({ 'content-type': 'image/png' }, Buffer.alloc(0))).statusCode).toBe(400);
  });
});
