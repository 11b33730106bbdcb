import { Ajv2020 } from 'ajv/dist/2020.js';
import formatsPlugin from 'ajv-formats';

// ajv-formats is CommonJS: its plugin is the module's default export.
const addFormats = formatsPlugin as unknown as typeof formatsPlugin.default;
import type { MockServer } from '../../src/server/mock-server.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockServer } from '../../src/server/create-mock-server.js';
import { bodiesSpec, formSchema } from './bodies-spec.js';

let app: MockServer;

const ajv = new Ajv2020({ strict: false });
addFormats(ajv);
// ajv has no idea of `format: binary`; any string is one.
ajv.addFormat('binary', true);

beforeAll(async () => {
  app = await createMockServer({ spec: structuredClone(bodiesSpec), seed: 7 });
});
afterAll(() => app.close());

function form(payload: string, url = '/forms', type = 'application/x-www-form-urlencoded') {
  return app.inject({ method: 'POST', url, headers: { 'content-type': type }, payload });
}

/** The body the mock decoded, as its journal recorded it. */
function lastBody(): unknown {
  const entries = app.journal();
  return entries[entries.length - 1].body;
}

/** A multipart body as a browser would send it, with its boundary. */
async function multipart(fd: FormData): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const encoded = new Response(fd);
  return { payload: Buffer.from(await encoded.arrayBuffer()), headers: { 'content-type': encoded.headers.get('content-type')! } };
}

function pointers(res: { json(): { errors: { in: string; pointer: string }[] } }): string[] {
  return res.json().errors.map((e) => `${e.in} ${e.pointer}`).sort();
}

describe('application/x-www-form-urlencoded bodies', () => {
  it('decodes every style into the schema shape: repeated keys, comma and pipe lists, deepObject, exploded objects, JSON fields', async () => {
    const res = await form('name=Ada+L&age=36&active=true&tags=a&tags=b&ids=1,2,3&pipes=x|y&color[R]=10&color[G]=20&lat=1.5&lng=-2&meta=%7B%22level%22%3A3%7D');
    expect(res.statusCode).toBe(200);
    const body = lastBody();
    expect(body).toEqual({ name: 'Ada L', age: 36, active: true, tags: ['a', 'b'], ids: [1, 2, 3], pipes: ['x', 'y'], color: { R: 10, G: 20 }, point: { lat: 1.5, lng: -2 }, meta: { level: 3 } });
    expect(ajv.validate(formSchema, body), ajv.errorsText()).toBe(true);
  });

  it('answers an invalid form with 400 naming every offending field by its pointer', async () => {
    const res = await form('name=&age=old&ids=1,x&color[R]=red&color[Q]=1&meta=%7B%7D&extra=1');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(pointers(res)).toEqual(['body /age', 'body /color/Q', 'body /color/R', 'body /extra', 'body /ids/1', 'body /meta/level', 'body /name']);
  });

  it('names a missing required field', async () => {
    const res = await form('age=3');
    expect(res.statusCode).toBe(400);
    expect(pointers(res)).toEqual(['body /name']);
  });

  it('refuses a __proto__ key with a 400 and pollutes nothing', async () => {
    const res = await form('name=a&age=1&__proto__[polluted]=yes&color[__proto__][x]=1');
    expect(res.statusCode).toBe(400);
    expect(pointers(res)).toEqual(['body /__proto__[polluted]', 'body /color[__proto__][x]']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads a form on an operation that also takes JSON, and judges both alike', async () => {
    const asForm = await form('name=a&age=x', '/either');
    const asJson = await app.inject({ method: 'POST', url: '/either', payload: { name: 'a', age: 'x' } });
    expect(asForm.statusCode).toBe(400);
    expect(asJson.statusCode).toBe(400);
    expect(pointers(asForm)).toEqual(pointers(asJson));
  });

  it('gives the same form the same answer, and a different form another', async () => {
    const a = await app.inject({ method: 'POST', url: '/either', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'name=a&age=1' });
    const b = await app.inject({ method: 'POST', url: '/either', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'name=a&age=1' });
    expect(a.statusCode).toBe(200);
    expect(a.body).toBe(b.body);
    const bodies = new Set<string>();
    for (let i = 0; i < 8; i++) bodies.add((await form(`name=a&age=${i}`, '/either')).body);
    expect(bodies.size).toBeGreaterThan(1);
  });

  it('answers a form with more fields than the limit with a 413 naming the limit', async () => {
    const res = await form(Array.from({ length: 1001 }, (_, i) => `f${i}=1`).join('&'));
    expect(res.statusCode).toBe(413);
    expect(res.json().detail).toMatch(/fields=1000/);
  });
});

describe('multipart/form-data bodies', () => {
  function upload(fd: FormData) {
    return multipart(fd).then(({ payload, headers }) => app.inject({ method: 'POST', url: '/upload', headers, payload }));
  }

  it('decodes text fields by their schema, JSON fields and files as binary strings', async () => {
    const fd = new FormData();
    fd.append('title', 'holiday');
    fd.append('count', '3');
    fd.append('file', new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255])], { type: 'image/png' }), 'a.png');
    fd.append('photos', new Blob([new Uint8Array([1, 2])]), 'p1.jpg');
    fd.append('photos', new Blob([new Uint8Array([3])]), 'p2.jpg');
    fd.append('tags', 'x');
    fd.append('tags', 'y');
    fd.append('meta', new Blob(['{"kind":"a"}'], { type: 'application/json' }));
    fd.append('request', new Blob(['{"idempotency_key":"k1"}'], { type: 'application/json' }), 'request.json');
    const res = await upload(fd);
    expect(res.statusCode, res.body).toBe(200);
    const body = lastBody() as Record<string, unknown>;
    expect(body).toEqual({
      title: 'holiday',
      count: 3,
      file: '\x89PNG\x00\xff',
      photos: ['\x01\x02', '\x03'],
      tags: ['x', 'y'],
      meta: { kind: 'a' },
      request: { idempotency_key: 'k1' },
    });
    expect((body.file as string).length).toBe(6);
  });

  it('answers an invalid multipart body with 400 naming each field', async () => {
    const fd = new FormData();
    fd.append('title', 'a title that is far too long for the schema');
    fd.append('count', 'many');
    fd.append('meta', '{"kind":"z"}');
    fd.append('request', '{}');
    const res = await upload(fd);
    expect(res.statusCode).toBe(400);
    expect(pointers(res)).toEqual(['body /count', 'body /file', 'body /meta/kind', 'body /request/idempotency_key', 'body /title']);
  });

  it('checks a file against maxLength in bytes', async () => {
    const fd = new FormData();
    fd.append('title', 't');
    fd.append('file', new Blob([new Uint8Array(1001)]), 'big.bin');
    const res = await upload(fd);
    expect(res.statusCode).toBe(400);
    expect(pointers(res)).toEqual(['body /file']);
  });

  it('answers more files than the limit with a 413 naming the limit, never a 5xx', async () => {
    const fd = new FormData();
    fd.append('title', 't');
    for (let i = 0; i < 101; i++) fd.append('photos', new Blob([new Uint8Array([i])]), `p${i}.jpg`);
    const res = await upload(fd);
    expect(res.statusCode).toBe(413);
    expect(res.json().limit).toEqual({ name: 'files', value: 100 });
  });

  it('answers more text fields than the limit, or an overlong field name, with a 413 naming the limit', async () => {
    const fd = new FormData();
    for (let i = 0; i < 1001; i++) fd.append(`f${i}`, 'x');
    const fields = await upload(fd);
    expect(fields.statusCode).toBe(413);
    expect(fields.json().limit).toEqual({ name: 'fields', value: 1000 });
    const named = new FormData();
    named.append('n'.repeat(1001), 'x');
    const name = await upload(named);
    expect(name.statusCode).toBe(413);
    expect(name.json().limit).toEqual({ name: 'fieldNameSize', value: 1000 });
  });

  it('answers a file larger than the body limit with a 413', async () => {
    const small = await createMockServer({ spec: structuredClone(bodiesSpec), bodyLimit: 2048 });
    const fd = new FormData();
    fd.append('title', 't');
    fd.append('file', new Blob([new Uint8Array(4096)]), 'big.bin');
    const { payload, headers } = await multipart(fd);
    const declared = await small.inject({ method: 'POST', url: '/upload', headers, payload });
    expect(declared.statusCode).toBe(413);
    expect(declared.json().detail).toMatch(/bodyLimit=2048/);
    // Without a Content-Length the parts are counted as they arrive.
    const chunked = await small.inject({ method: 'POST', url: '/upload', headers: { ...headers, 'transfer-encoding': 'chunked' }, payload });
    expect(chunked.statusCode).toBe(413);
    await small.close();
  });

  it('answers a malformed multipart body with a 400 problem', async () => {
    const res = await app.inject({ method: 'POST', url: '/upload', headers: { 'content-type': 'multipart/form-data; boundary=xyz' }, payload: '--xyz\r\nContent-Disposition: form-data; name="title"\r\n\r\nunterminated' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const noBoundary = await app.inject({ method: 'POST', url: '/upload', headers: { 'content-type': 'multipart/form-data' }, payload: 'x' });
    expect(noBoundary.statusCode).toBe(400);
  });

  it('answers a multipart body sent to an operation that takes JSON with 415', async () => {
    const fd = new FormData();
    fd.append('name', 'a');
    const { payload, headers } = await multipart(fd);
    const res = await app.inject({ method: 'POST', url: '/either', headers, payload });
    expect(res.statusCode).toBe(415);
    expect(res.json().accepted).toEqual(['application/json', 'application/x-www-form-urlencoded']);
  });

  it('takes a real multipart upload over HTTP on 127.0.0.1', async () => {
    const server = await createMockServer({ spec: structuredClone(bodiesSpec), seed: 3 });
    const address = await server.listen({ port: 0, host: '127.0.0.1' });
    try {
      const fd = new FormData();
      fd.append('title', 'over http');
      fd.append('file', new Blob([new Uint8Array(Array.from({ length: 256 }, (_, i) => i))], { type: 'application/octet-stream' }), 'all-bytes.bin');
      const res = await fetch(`${address}/upload`, { method: 'POST', body: fd });
      expect(res.status).toBe(200);
      expect(await res.json()).toHaveProperty('ok');
      const [entry] = server.journal();
      const file = (entry.body as { file: string }).file;
      expect(file.length).toBe(256);
      expect([...file].every((c, i) => c.charCodeAt(0) === i)).toBe(true);

      const big = new FormData();
      big.append('title', 't');
      big.append('file', new Blob([new Uint8Array(2 * 1024 * 1024)]), 'huge.bin');
      const refused = await fetch(`${address}/upload`, { method: 'POST', body: big });
      expect(refused.status).toBe(413);
      expect((await refused.json()).title).toBe('Request body too large');
    } finally {
      await server.close();
    }
  });
});

describe('text, binary and other media types', () => {
  it('accepts application/octet-stream bytes and checks maxLength in bytes', async () => {
    const bytes = Buffer.from([0, 1, 2, 200, 255]);
    const res = await app.inject({ method: 'PUT', url: '/raw', headers: { 'content-type': 'application/octet-stream' }, payload: bytes });
    expect(res.statusCode).toBe(200);
    expect(lastBody()).toBe(bytes.toString('latin1'));
    const big = await app.inject({ method: 'PUT', url: '/raw', headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.alloc(101) });
    expect(big.statusCode).toBe(400);
    expect(pointers(big)).toEqual(['body ']);
    const empty = await app.inject({ method: 'PUT', url: '/raw', headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.alloc(0) });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().detail).toMatch(/required/);
  });

  it('accepts image/jpeg exactly and any other image through image/*', async () => {
    const jpeg = await app.inject({ method: 'POST', url: '/image', headers: { 'content-type': 'image/jpeg' }, payload: Buffer.from([0xff, 0xd8, 0xff, 0xd9]) });
    expect(jpeg.statusCode).toBe(200);
    const webp = await app.inject({ method: 'POST', url: '/image', headers: { 'content-type': 'image/webp' }, payload: Buffer.from('RIFF') });
    expect(webp.statusCode).toBe(200);
    const text = await app.inject({ method: 'POST', url: '/image', headers: { 'content-type': 'text/plain' }, payload: 'not an image' });
    expect(text.statusCode).toBe(415);
  });

  it('seeds answers from the raw bytes: the same upload gets the same body', async () => {
    const send = (payload: Buffer) => app.inject({ method: 'PUT', url: '/raw', headers: { 'content-type': 'application/octet-stream' }, payload });
    const a = await send(Buffer.from([1, 2, 3]));
    const b = await send(Buffer.from([1, 2, 3]));
    expect(a.body).toBe(b.body);
  });

  it('reads text/plain as a string and checks it against the string schema', async () => {
    const res = await app.inject({ method: 'POST', url: '/text', headers: { 'content-type': 'text/plain; charset=utf-8' }, payload: 'héllo' });
    expect(res.statusCode).toBe(200);
    expect(lastBody()).toBe('héllo');
    const long = await app.inject({ method: 'POST', url: '/text', headers: { 'content-type': 'text/plain' }, payload: 'far too long text' });
    expect(long.statusCode).toBe(400);
  });

  it('reads */* bodies by their own type: JSON validated, text and bytes taken as they are', async () => {
    const json = await app.inject({ method: 'POST', url: '/anything', payload: { kind: 'x' } });
    expect(json.statusCode).toBe(200);
    const invalid = await app.inject({ method: 'POST', url: '/anything', payload: { other: 1 } });
    expect(invalid.statusCode).toBe(400);
    expect(pointers(invalid)).toEqual(['body /kind']);
    const yaml = await app.inject({ method: 'POST', url: '/anything', headers: { 'content-type': 'application/yaml' }, payload: 'kind: x\n' });
    expect(yaml.statusCode).toBe(200);
    const bytes = await app.inject({ method: 'POST', url: '/anything', headers: { 'content-type': 'application/x-protobuf' }, payload: Buffer.from([8, 1]) });
    expect(bytes.statusCode).toBe(200);
  });

  it('reads the patch media types: JSON patch and merge patch validated as JSON, apply-patch YAML as text', async () => {
    const patch = (type: string, payload: string) => app.inject({ method: 'PATCH', url: '/anything', headers: { 'content-type': type }, payload });
    expect((await patch('application/json-patch+json', '[{"op":"add","path":"/a","value":1}]')).statusCode).toBe(200);
    const bad = await patch('application/json-patch+json', '[{"op":"add"}]');
    expect(bad.statusCode).toBe(400);
    expect(pointers(bad)).toEqual(['body /0/path']);
    expect((await patch('application/merge-patch+json', '{"a":null}')).statusCode).toBe(200);
    expect((await patch('application/apply-patch+yaml', 'a: 1\n')).statusCode).toBe(200);
    expect((await patch('application/strategic-merge-patch+json', '{}')).statusCode).toBe(415);
  });

  it('answers an undeclared content type with 415 listing the accepted types and a hint', async () => {
    const res = await app.inject({ method: 'POST', url: '/forms', headers: { 'content-type': 'application/xml' }, payload: '<a/>' });
    expect(res.statusCode).toBe(415);
    const problem = res.json();
    expect(problem.accepted).toEqual(['application/x-www-form-urlencoded']);
    expect(problem.hint).toMatch(/Content-Type: application\/x-www-form-urlencoded/);
    expect(problem.errors).toEqual([{ in: 'header', pointer: '/content-type', message: 'expected application/x-www-form-urlencoded' }]);
    const malformed = await app.inject({ method: 'POST', url: '/forms', headers: { 'content-type': 'not a type' }, payload: 'x' });
    expect(malformed.statusCode).toBe(415);
    expect(malformed.json().accepted).toEqual(['application/x-www-form-urlencoded']);
    const none = await app.inject({ method: 'POST', url: '/text', payload: Buffer.from('x') });
    expect(none.statusCode).toBe(415);
  });
});
