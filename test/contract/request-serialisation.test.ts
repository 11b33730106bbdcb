import multipart from '@fastify/multipart';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { execFileSync } from 'node:child_process';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCases } from '../../src/contract/build-cases.js';
import { buildHttpRequest } from '../../src/contract/build-http-request.js';
import type { ContractCase, HttpRequest } from '../../src/contract/contract-types.js';
import { curlCommand, redactRequest } from '../../src/contract/display-request.js';
import { createInjectTransport } from '../../src/contract/inject-transport.js';
import { createSchemaValidation } from '../../src/contract/schema-validation.js';
import type { Api } from '../../src/openapi/api-model.js';
import { loadApi } from '../../src/openapi/load-api.js';
import { parametersSpec, requestBodiesSpec } from './media-specs.js';

// The requests the runner builds are read back by independent parsers (@fastify/multipart, URLSearchParams,
// JSON.parse) and the decoded values checked with ajv against the spec's own schemas.

type Raw = Record<string, any>;
const ajv = new (Ajv2020 as unknown as typeof Ajv2020.default)({ strict: false, allErrors: true });
(addFormats as unknown as typeof addFormats.default)(ajv);

interface Echo {
  contentType?: string;
  fields: { name: string; value: string; mimetype?: string }[];
  files: { name: string; filename: string; mimetype: string; bytes: Buffer }[];
  pairs: [string, string][];
  raw?: Buffer;
}

/** A Fastify app that parses what it receives with the ecosystem's own parsers and echoes it. */
async function echoServer(): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(multipart, { attachFieldsToBody: false, limits: { files: 10 } });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, [...new URLSearchParams(body as string)]));
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.all('/*', async (request) => {
    const echo: Echo = { contentType: request.headers['content-type'], fields: [], files: [], pairs: [] };
    if (request.isMultipart()) {
      for await (const part of request.parts()) {
        if (part.type === 'file') echo.files.push({ name: part.fieldname, filename: part.filename, mimetype: part.mimetype, bytes: await part.toBuffer() });
        else echo.fields.push({ name: part.fieldname, value: typeof part.value === 'string' ? part.value : JSON.stringify(part.value), mimetype: part.mimetype });
      }
    } else if (Array.isArray(request.body)) echo.pairs = request.body as [string, string][];
    else if (Buffer.isBuffer(request.body)) echo.raw = request.body;
    else if (request.body !== undefined) echo.raw = Buffer.from(JSON.stringify(request.body));
    return { ...echo, files: echo.files.map((f) => ({ ...f, bytes: f.bytes.toString('base64') })), raw: echo.raw?.toString('base64') };
  });
  return app;
}

async function send(app: FastifyInstance, request: HttpRequest): Promise<Echo & { status: number }> {
  const response = await createInjectTransport(app)(request, { timeoutMs: 5000, maxBodyBytes: 1 << 20 });
  const json = JSON.parse(response.body.toString('utf8'));
  return { ...json, status: response.status, raw: json.raw ? Buffer.from(json.raw, 'base64') : undefined, files: (json.files ?? []).map((f: Raw) => ({ ...f, bytes: Buffer.from(f.bytes, 'base64') })) };
}

async function casesOf(spec: object): Promise<{ api: Api; byOp: Map<string, ContractCase[]> }> {
  const api = await loadApi(structuredClone(spec));
  const { cases } = await buildCases(api, { cases: 4, seed: 21, now: Date.UTC(2025, 4, 4) }, createSchemaValidation(api.references, false));
  return { api, byOp: new Map(cases.map((list) => [list[0].operation.operationId, list])) };
}

const settings = { baseUrl: 'http://echo.invalid', headers: {} };
const bodySchema = (path: string, method: string, type: string): Raw => {
  const schema = (requestBodiesSpec as Raw).paths[path][method].requestBody.content[type].schema;
  return { ...schema, components: requestBodiesSpec.components };
};
const header = (request: HttpRequest, name: string): string | undefined => Object.entries(request.headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

describe('request bodies per media type', () => {
  let app: FastifyInstance;
  let byOp: Map<string, ContractCase[]>;
  beforeAll(async () => {
    app = await echoServer();
    ({ byOp } = await casesOf(requestBodiesSpec));
  });
  afterAll(async () => {
    await app.close();
  });
  const positives = (op: string) => byOp.get(op)!.filter((c) => c.expectation === 'accept');
  const negatives = (op: string) => byOp.get(op)!.filter((c) => c.kind === 'negative');

  it('sends a form-urlencoded body that URLSearchParams reads back into a schema-valid value, arrays repeated, objects as JSON, deepObject and pipe styles from encoding', async () => {
    const validate = ajv.compile(bodySchema('/forms', 'post', 'application/x-www-form-urlencoded'));
    for (const c of positives('postForm')) {
      const request = buildHttpRequest(c, settings).request;
      expect(header(request, 'content-type')).toBe('application/x-www-form-urlencoded');
      const echo = await send(app, request);
      const value: Raw = {};
      for (const [k, v] of echo.pairs) {
        const deep = /^filter\[(\w+)\]$/.exec(k);
        if (deep) (value.filter ??= {})[deep[1]] = v;
        else if (k === 'tags') (value.tags ??= []).push(v);
        else if (k === 'flags') value.flags = v.split('|').map(Number);
        else if (k === 'address') value.address = JSON.parse(v);
        else if (k === 'id') value.id = Number(v);
        else value[k] = v;
      }
      expect(validate(value), `${c.name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      expect(value).toEqual((c.request.body as { value: unknown }).value);
    }
  });

  it('sends multipart/form-data that @fastify/multipart reads: text fields, JSON for objects, file parts with a filename and the encoding\'s media type', async () => {
    const validate = ajv.compile(bodySchema('/uploads', 'post', 'multipart/form-data'));
    for (const c of positives('postUpload')) {
      const request = buildHttpRequest(c, settings).request;
      expect(header(request, 'content-type')).toMatch(/^multipart\/form-data; boundary=iwkit-[0-9a-f]{8}/);
      const echo = await send(app, request);
      expect(echo.status).toBe(200);
      const sent = (c.request.body as { value: Raw }).value;
      const value: Raw = {};
      for (const f of echo.fields) value[f.name] = f.name === 'meta' ? JSON.parse(f.value) : f.name === 'count' ? Number(f.value) : f.value;
      expect(echo.fields.find((f) => f.name === 'meta')?.mimetype ?? 'application/json').toBe('application/json');
      const file = echo.files.find((f) => f.name === 'file')!;
      expect(file).toMatchObject({ filename: 'file.pdf', mimetype: 'application/pdf' });
      value.file = file.bytes.toString('utf8');
      if (sent.avatar !== undefined) {
        const avatar = echo.files.find((f) => f.name === 'avatar')!;
        expect(avatar).toMatchObject({ filename: 'avatar.png', mimetype: 'image/png' });
        expect(avatar.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
        value.avatar = 'png';
      }
      const attachments = echo.files.filter((f) => f.name === 'attachments');
      if (sent.attachments !== undefined) {
        expect(attachments.map((f) => f.mimetype)).toEqual(sent.attachments.map(() => 'application/octet-stream'));
        value.attachments = attachments.map((f) => f.bytes.toString('utf8'));
      }
      expect(validate(value), `${c.name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      expect(value.title).toBe(sent.title);
      expect(value.file).toBe(sent.file);
    }
  });

  it('sends bytes for application/octet-stream, a real PNG for image/*, octet-stream for */* and the text itself for text/plain', async () => {
    const blob = buildHttpRequest(positives('putBlob')[0], settings).request;
    expect(header(blob, 'content-type')).toBe('application/octet-stream');
    expect((await send(app, blob)).raw!.toString('utf8')).toBe((positives('putBlob')[0].request.body as { value: string }).value);
    const avatar = buildHttpRequest(positives('postAvatar')[0], settings).request;
    expect(header(avatar, 'content-type')).toBe('image/png');
    const png = (await send(app, avatar)).raw!;
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(execFileSync('file', ['-'], { input: png }).toString()).toMatch(/PNG image data, 1 x 1/);
    expect(header(buildHttpRequest(positives('postAnything')[0], settings).request, 'content-type')).toBe('application/octet-stream');
    const note = positives('postNote')[0];
    const noteRequest = buildHttpRequest(note, settings).request;
    expect(header(noteRequest, 'content-type')).toBe('text/plain');
    expect(noteRequest.body!.toString('utf8')).toBe((note.request.body as { value: string }).value);
  });

  it('prefers a declared JSON type, merge-patch+json included, over XML', () => {
    for (const c of positives('patchItem')) {
      const request = buildHttpRequest(c, settings).request;
      expect(header(request, 'content-type')).toBe('application/merge-patch+json');
      expect(JSON.parse(request.body!.toString('utf8'))).toEqual((c.request.body as { value: unknown }).value);
    }
    expect(negatives('patchItem').map((c) => c.mutation!.kind)).toEqual(expect.arrayContaining(['malformed-json', 'wrong-content-type', 'wrong-type', 'missing-body']));
  });

  it('breaks form and multipart bodies only in ways that survive as text, and binary bodies only by leaving them out', () => {
    const kinds = (op: string) => negatives(op).filter((c) => c.mutation!.location === 'body').map((c) => `${c.mutation!.kind} ${c.mutation!.pointer}`);
    const form = kinds('postForm');
    expect(form).toEqual(expect.arrayContaining(['wrong-type /id', 'missing-required /name', 'wrong-type /status', 'bad-format /when', 'wrong-content-type ', 'missing-body ']));
    // 12345 reads as a fine string on the wire (but not as one of an enum), null cannot be written, nested fields are the server's own parsing.
    expect(form.filter((k) => /^(null-not-allowed|malformed-json)|wrong-type \/name|\/.+\//.test(k))).toEqual([]);
    const upload = kinds('postUpload');
    expect(upload).toEqual(expect.arrayContaining(['wrong-type /count', 'missing-required /file', 'missing-body ']));
    expect(upload.filter((k) => /wrong-content-type|malformed-json|null-not-allowed|wrong-type \/(title|file)/.test(k))).toEqual([]);
    for (const op of ['putBlob', 'postAvatar', 'postAnything']) expect(kinds(op)).toEqual(['missing-body ']);
    expect(kinds('postNote')).toEqual(['missing-body ']);
  });

  it('prints bytes and multipart bodies in the curl line through printf, byte for byte', () => {
    for (const op of ['postAvatar', 'postUpload']) {
      const built = buildHttpRequest(positives(op)[0], settings);
      const { display, marked } = redactRequest(built, undefined, []);
      expect(display.bodyExcerpt).toMatch(op === 'postAvatar' ? /^\[68 bytes of image\/png\]$/ : /^\[\d+ bytes of multipart\/form-data\]$|Content-Disposition/);
      const format = /--data-binary @<\(printf -- '(.*)'\)$/s.exec(curlCommand(marked))![1];
      expect(execFileSync('sh', ['-c', `printf -- '${format}'`])).toEqual(built.request.body);
    }
  });
});

describe('request parameters', () => {
  let byOp: Map<string, ContractCase[]>;
  beforeAll(async () => {
    ({ byOp } = await casesOf(parametersSpec));
  });

  it('never sends a generated Accept, Content-Type or Authorization header parameter, in any case', () => {
    const cases = byOp.get('getReports')!;
    expect(cases.some((c) => c.kind === 'negative')).toBe(true);
    for (const c of cases) {
      expect(Object.keys(c.request.headers).map((h) => h.toLowerCase()), c.name).not.toEqual(expect.arrayContaining(['accept']));
      const request = buildHttpRequest(c, settings).request;
      expect(header(request, 'accept'), c.name).toBe('application/json, */*;q=0.1');
      expect(header(request, 'content-type'), c.name).toBeUndefined();
      expect(header(request, 'authorization'), c.name).toBeUndefined();
      if (c.mutation) expect(['accept', 'content-type', 'authorization']).not.toContain(c.mutation.pointer.toLowerCase());
    }
  });

  it('sends a header parameter described by content: application/json as JSON text, a deepObject query, a form array without explode and a cookie', () => {
    const schema = (parametersSpec as Raw).paths['/reports'].get.parameters.find((p: Raw) => p.name === 'x-meta').content['application/json'].schema;
    const validate = ajv.compile(schema);
    for (const c of byOp.get('getReports')!.filter((x) => x.expectation === 'accept')) {
      const request = buildHttpRequest(c, settings).request;
      const meta = JSON.parse(header(request, 'x-meta')!);
      expect(validate(meta), ajv.errorsText(validate.errors)).toBe(true);
      expect(header(request, 'x-meta')).toMatch(/^[\x20-\x7e]+$/);
      const url = new URL(request.url);
      expect(url.searchParams.get('filter[kind]')).toMatch(/^(a|b)$/);
      expect(url.searchParams.get('ids')).toMatch(/^\d,\d$/);
      expect(header(request, 'cookie')).toMatch(/^session=[a-z]{4}$/);
    }
  });

  it('breaks a parameter only with a value its schema still rejects once read from text', async () => {
    const { byOp: cases } = await casesOf({
      openapi: '3.1.0',
      info: { title: 'formats', version: '1' },
      paths: {
        '/things': {
          get: {
            operationId: 'listThings',
            parameters: [
              { name: 'ref', in: 'query', required: true, schema: { type: 'string', format: 'uri-reference' } },
              { name: 'mail', in: 'query', required: true, schema: { type: 'string', format: 'email' } },
              { name: 'n', in: 'query', required: true, schema: { type: 'integer' } },
            ],
            responses: { '200': { description: 'ok' } },
          },
        },
      },
    });
    const broken = cases.get('listThings')!.filter((c) => c.kind === 'negative').map((c) => `${c.mutation!.kind} ${c.mutation!.pointer}`);
    // "iwkit-not-a-uri-reference" is a fine relative reference: sending it would only test the spec, not the server.
    expect(broken.sort()).toEqual(['bad-format mail', 'missing-parameter mail', 'missing-parameter n', 'missing-parameter ref', 'wrong-type n']);
  });

  it('writes matrix and label path styles, drops a #fragment of the path key, percent-encodes values and keeps a ?query of the key', () => {
    const grid = buildHttpRequest(byOp.get('getGrid')!.find((c) => c.expectation === 'accept')!, settings).request;
    expect(new URL(grid.url).pathname).toMatch(/^\/grid\/;x=\d;y=\d\/\.(red|blue),(red|blue)\/;point=[1-3],[1-3]$/);
    const shared = buildHttpRequest(byOp.get('getSharedLink')!.find((c) => c.expectation === 'accept')!, settings).request;
    expect(shared.url).toBe('http://echo.invalid/files/a%20b%2Fc');
    const search = buildHttpRequest(byOp.get('searchUsers')!.find((c) => c.expectation === 'accept')!, settings).request;
    expect(search.url).toBe('http://echo.invalid/search?kind=user&q=zo%C3%AB%20%26%20co');
    expect(new URL(search.url).searchParams.get('q')).toBe('zoë & co');
  });
});
