import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createMockServer } from '../../src/server/create-mock-server.js';
import { jsonDepthOver, maxJsonDepth } from '../../src/server/register-body-parsers.js';

const LOGIN = '/api/opendata/instagram/login';
const auth = { 'x-session-token': 't' };
const login = JSON.stringify({ data: { code: 'c', type: 'web', client_id: null } });

let app: FastifyInstance;
beforeAll(async () => {
  app = await createMockServer({ seed: 1, admin: true, bodyLimit: 4096 });
});
afterAll(() => app.close());

describe('415 problems', () => {
  it('list the accepted types and a hint for every refused content type, on operations and on the admin API', async () => {
    const cases: [string, string, string][] = [
      [LOGIN, 'application/x-www-form-urlencoded', 'a=1'],
      [LOGIN, 'text/plain', 'x'],
      [LOGIN, 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n'],
      ['/__iwkit/overrides', 'application/x-www-form-urlencoded', 'a=1'],
    ];
    for (const [url, type, payload] of cases) {
      const res = await app.inject({ method: 'POST', url, headers: { ...auth, 'content-type': type }, payload });
      expect(res.statusCode, `${url} ${type}`).toBe(415);
      expect(res.json(), `${url} ${type}`).toMatchObject({ accepted: ['application/json'], hint: 'send the body with Content-Type: application/json' });
    }
  });

  it('refuses a gzip, deflate or br encoded body with a 415 naming the encoding, without echoing its bytes', async () => {
    const bodies: [string, Buffer][] = [['gzip', gzipSync(login)], ['deflate', deflateSync(login)], ['br', brotliCompressSync(login)]];
    for (const [encoding, payload] of bodies) {
      const res = await app.inject({ method: 'POST', url: LOGIN, headers: { ...auth, 'content-type': 'application/json', 'content-encoding': encoding }, payload });
      expect(res.statusCode, encoding).toBe(415);
      expect(res.headers['accept-encoding']).toBe('identity');
      const problem = res.json();
      expect(problem.detail).toContain(`Content-Encoding "${encoding}"`);
      expect(problem).toMatchObject({ accepted: ['identity'], errors: [{ in: 'header', pointer: '/content-encoding' }] });
      expect(problem.hint).toMatch(/uncompressed/);
      // Nothing outside printable ASCII: the compressed bytes are not quoted back.
      expect(res.body).toMatch(/^[\x20-\x7e]*$/);
    }
  });

  it('takes a body sent with Content-Encoding: identity as usual', async () => {
    const res = await app.inject({ method: 'POST', url: LOGIN, headers: { ...auth, 'content-type': 'application/json', 'content-encoding': 'identity' }, payload: login });
    expect(res.statusCode).toBe(200);
  });
});

describe('413 problems', () => {
  it('say the body limit in bytes in the detail and in a limit member', async () => {
    const res = await app.inject({ method: 'POST', url: LOGIN, headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify({ data: { code: 'x'.repeat(5000) } }) });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ detail: 'the request body is larger than 4096 bytes (limit bodyLimit=4096)', limit: { name: 'bodyLimit', value: 4096 } });
  });
});

describe('the JSON depth bound', () => {
  const nested = (depth: number) => `{"data":{"code":"c","type":"web","client_id":null},"p":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;

  it(`accepts a body nested ${maxJsonDepth} deep and refuses one level more with a 400 naming the limit`, async () => {
    const big = await createMockServer({ seed: 1 });
    const ok = await big.inject({ method: 'POST', url: LOGIN, headers: { ...auth, 'content-type': 'application/json' }, payload: nested(maxJsonDepth) });
    expect(ok.statusCode).toBe(200);
    const deep = await big.inject({ method: 'POST', url: LOGIN, headers: { ...auth, 'content-type': 'application/json' }, payload: nested(maxJsonDepth + 1) });
    expect(deep.statusCode).toBe(400);
    expect(deep.json()).toMatchObject({ limit: { name: 'jsonDepth', value: maxJsonDepth }, detail: expect.stringContaining(`deeper than ${maxJsonDepth} levels`) });
    await big.close();
  });

  it('refuses a login nested 30,000 deep with a problem, and the journal still answers afterwards', async () => {
    const big = await createMockServer({ seed: 1, admin: true });
    const deep = await big.inject({ method: 'POST', url: LOGIN, headers: { ...auth, 'content-type': 'application/json' }, payload: `{"data":{"code":"c"},"p":${'['.repeat(30000)}${']'.repeat(30000)}}` });
    expect(deep.statusCode).toBe(400);
    expect(deep.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await big.inject({ url: '/__iwkit/journal' })).statusCode).toBe(200);
    await big.close();
  });

  it('refuses form field names nested deeper than the bound', async () => {
    const res = await app.inject({ method: 'POST', url: '/nowhere', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `a${'[b]'.repeat(maxJsonDepth + 1)}=1` });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ limit: { name: 'jsonDepth', value: maxJsonDepth } });
  });

  it('counts brackets inside strings as text, and escaped quotes as inside the string', () => {
    expect(jsonDepthOver(`{"a":"${'['.repeat(1000)}"}`, 10)).toBe(false);
    expect(jsonDepthOver(`{"a":"\\"${'['.repeat(1000)}"}`, 10)).toBe(false);
    expect(jsonDepthOver(`${'['.repeat(11)}${']'.repeat(11)}`, 10)).toBe(true);
    expect(jsonDepthOver(`${'[1,'.repeat(10)}${']'.repeat(10)}`, 10)).toBe(false);
  });
});
