import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadApi } from '../../src/openapi/load-api.js';
import { publicCorpus } from './public-corpus.js';

const PUBLIC = publicCorpus;

function doc(paths: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { openapi: '3.0.3', info: { title: 't', version: '1' }, paths, ...extra };
}

const ok = { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } };

describe('lenient loading (the default)', () => {
  test('reads a Swagger 2 style type on a header parameter as its schema, with a warning', async () => {
    const api = await loadApi(doc({ '/a': { get: { parameters: [{ name: 'X-Count', in: 'header', type: 'integer' }], responses: ok } } }));
    expect(api.operations[0].parameters[0]).toMatchObject({ name: 'X-Count', schema: { type: 'integer' } });
    expect(api.warnings.some((w) => w.startsWith('#/paths/~1a/get/parameters/0: Swagger 2 style'))).toBe(true);
  });

  test('ignores a security requirement naming an undefined scheme, with a warning', async () => {
    const api = await loadApi(doc({ '/a': { get: { security: [{ nowhere: [] }], responses: ok } } }));
    expect(api.operations[0].security).toEqual([[]]);
    expect(api.warnings).toContain('#/paths/~1a/get/security/0/nowhere: security scheme "nowhere" is not defined in #/components/securitySchemes: the requirement is ignored');
  });

  test('drops header parameters named Accept, Content-Type and Authorization, as OpenAPI says', async () => {
    const parameters = ['Accept', 'content-type', 'Authorization', 'X-Kept'].map((name) => ({ name, in: 'header', schema: { type: 'string' } }));
    const api = await loadApi(doc({ '/a': { get: { parameters, responses: ok } } }));
    expect(api.operations[0].parameters.map((p) => p.name)).toEqual(['X-Kept']);
  });

  test('leaves out an operation that cannot be served, lists it in unserved and serves the rest', async () => {
    const api = await loadApi(doc({
      '/broken': { get: { parameters: [{ $ref: '#/components/parameters/Missing' }], responses: ok } },
      '/fine': { get: { responses: ok } },
    }));
    expect(api.operations.map((o) => o.path)).toEqual(['/fine']);
    expect(api.unserved).toEqual([{ operationId: 'getBroken', method: 'get', path: '/broken', reason: expect.stringContaining('#/components/parameters/Missing') }]);
    expect(api.warnings.some((w) => w.startsWith('#/paths/~1broken/get: not served:'))).toBe(true);
  });

  test('strict mode refuses each of those with a coded error', async () => {
    await expect(loadApi(doc({ '/a': { get: { security: [{ nowhere: [] }], responses: ok } } }), { strict: true })).rejects.toMatchObject({ code: 'IWKIT_ERR_SPEC_INVALID' });
    await expect(loadApi(doc({ '/a': { get: { parameters: [{ name: 'X', in: 'header', type: 'integer' }], responses: ok } } }), { strict: true })).rejects.toMatchObject({ code: 'IWKIT_ERR_SPEC_INVALID' });
  });

  test('never fetches or inlines $ref-looking keys inside example values, even when bundling other files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iwkit-example-ref-'));
    writeFileSync(join(dir, 'thing.yaml'), 'type: object\nproperties:\n  id: { type: string }\n');
    const example = { schema: { $ref: 'https://schemas.example.invalid/common.json' }, id: 'x' };
    const spec = doc({
      '/a': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: './thing.yaml' }, example } } } } } },
    });
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(spec));
    for (const strict of [false, true]) {
      const api = await loadApi(join(dir, 'openapi.json'), { strict });
      expect(api.operations[0].responses[0].content[0].examples[0].value).toEqual(example);
    }
  });
});

describe('parsing real documents', () => {
  test('reads YAML that the yaml package refuses (ably-control: a quoted PEM block with unindented lines)', async () => {
    const api = await loadApi(`${PUBLIC}/ably-control-3.0.yaml`);
    expect(api.operations.length).toBe(22);
  });

  test('keeps YAML dates as strings, as JSON Schema formats expect', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iwkit-yaml-date-'));
    const yaml = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: string, format: date}\n              example: 2024-01-31\n";
    writeFileSync(join(dir, 'openapi.yaml'), yaml);
    const api = await loadApi(join(dir, 'openapi.yaml'));
    expect(api.operations[0].responses[0].content[0].examples[0].value).toBe('2024-01-31');
  });

  test('a JSON syntax error names file, line and column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iwkit-json-syntax-'));
    writeFileSync(join(dir, 'openapi.json'), '{\n  "openapi": "3.1.0",\n  "info": {"title": "t" "version": "1"}\n}\n');
    await expect(loadApi(join(dir, 'openapi.json'))).rejects.toMatchObject({ code: 'IWKIT_ERR_SPEC_PARSE', message: expect.stringContaining('openapi.json:3:') });
  });

  test.each([
    ['appng-3.0.yaml', '#/components/schemas/PageDefinition/properties/appNGVersion/type'],
    ['temporal-3.0.yaml', '#/description'],
    ['electric-3.1.yaml', '#/paths/~1v1~1shape/get/responses/200/content/text~1event-stream/description'],
  ])('%s, invalid as published, loads with a warning at %s', async (file, pointer) => {
    const api = await loadApi(`${PUBLIC}/${file}`);
    expect(api.warnings.some((w) => w.startsWith(`${pointer}: `))).toBe(true);
  });
});
