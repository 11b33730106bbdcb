import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Api, Operation } from '../../src/openapi/api-model.js';
import { compileValidator } from '../../src/openapi/compile-validator.js';
import { loadApi } from '../../src/openapi/load-api.js';
import { embeddedExamples } from './spec-examples.js';

const SPECS = ['schema/openapi.yaml', 'test/specs/petstore-3.0.yaml', 'test/specs/library-3.1/openapi.yaml', 'test/specs/kitchen-sink-3.1.yaml'];

function op(api: Api, operationId: string): Operation {
  const found = api.operations.find((operation) => operation.operationId === operationId);
  if (!found) throw new Error(`no operation ${operationId}`);
  return found;
}

describe.each(SPECS)('%s', (spec) => {
  test('every example it embeds validates against its own schema', async () => {
    const api = await loadApi(spec);
    const examples = embeddedExamples(api);
    expect(examples.length).toBeGreaterThan(0);
    const failures = examples
      .map(({ where, schema, value }) => ({ where, errors: compileValidator(schema, api.references).errors(value) }))
      .filter((result) => result.errors.length > 0);
    expect(failures).toEqual([]);
  });
});

describe('petstore-3.0.yaml (OpenAPI 3.0)', () => {
  let api: Api;
  beforeAll(async () => {
    api = await loadApi('test/specs/petstore-3.0.yaml');
  });

  test('derives getPetsByPetId for the operation without operationId and marks it derived', () => {
    const get = api.operations.find((operation) => operation.method === 'get' && operation.path === '/pets/{petId}')!;
    expect(get.operationId).toBe('getPetsByPetId');
    expect(get.operationIdDerived).toBe(true);
    expect(op(api, 'listPets').operationIdDerived).toBe(false);
  });

  test('merges path-level parameters with operation-level ones, the operation winning', () => {
    const get = op(api, 'getPetsByPetId');
    expect(get.parameters.map((p) => [p.in, p.name, p.required, p.style, p.explode])).toEqual([
      ['path', 'petId', true, 'simple', false],
      ['header', 'X-Request-Id', true, 'simple', false],
    ]);
    expect(get.parameters[1].description).toBe('Overrides the path-level header parameter');
    expect(op(api, 'deletePetsByPetId').parameters.find((p) => p.in === 'header')?.required).toBe(false);
  });

  test('applies style and explode defaults to query arrays and keeps explicit ones', () => {
    const list = op(api, 'listPets');
    expect(list.parameters.map((p) => [p.name, p.style, p.explode])).toEqual([
      ['tags', 'form', true],
      ['limit', 'form', true],
      ['status', 'form', false],
    ]);
    expect(list.parameters[0].examples).toEqual([{ name: 'default', value: ['dog', 'small'] }]);
  });

  test('sorts responses numerically, then ranges, then default, and resolves $ref responses', () => {
    expect(op(api, 'getPetsByPetId').responses.map((r) => r.status)).toEqual(['200', '404', '4XX', 'default']);
    expect(op(api, 'deletePetsByPetId').responses.map((r) => r.status)).toEqual(['204', '2XX']);
    const fallback = op(api, 'listPets').responses[1];
    expect(fallback.description).toBe('Unexpected error');
    expect(fallback.content[0].examples).toEqual([{ name: 'default', value: { code: 500, message: 'something broke' } }]);
  });

  test('keeps response headers with their requiredness', () => {
    const headers = op(api, 'listPets').responses[0].headers;
    expect(headers.map((h) => [h.name, h.required])).toEqual([
      ['X-Total-Count', true],
      ['X-Next', false],
    ]);
  });

  test('lists request bodies per media type with named examples, resolving $ref examples', () => {
    const body = op(api, 'createPet').requestBody!;
    expect(body.required).toBe(true);
    expect(body.content.map((c) => c.contentType)).toEqual(['application/json', 'application/x-www-form-urlencoded']);
    expect(body.content[0].examples).toEqual([
      { name: 'dog', summary: 'A dog', value: { name: 'Rex', kind: 'dog', tag: null } },
      { name: 'cat', summary: 'A cat', value: { name: 'Tom', kind: 'cat', tag: 'indoor' } },
    ]);
  });

  test('uses top-level security unless the operation overrides it, and [] allows anonymous access', () => {
    expect(op(api, 'listPets').security).toEqual([[{ key: 'apiKeyHeader', type: 'apiKey', in: 'header', name: 'X-Api-Key' }]]);
    expect(op(api, 'deletePetsByPetId').security).toEqual([[]]);
    expect(op(api, 'deletePetsByPetId').deprecated).toBe(true);
  });

  test('honours 3.0 nullable and allOf', () => {
    const pet = compileValidator(op(api, 'getPetsByPetId').responses[0].content[0].schema, api.references);
    expect(pet.check({ id: 1, name: 'Rex', kind: 'dog', status: 'sold', tag: null })).toBe(true);
    expect(pet.errors({ id: 1, name: 'Rex', kind: 'dog', status: 'sold', tag: 5 }).map((e) => e.pointer)).toEqual(['/tag']);
    expect(pet.errors({ name: 'Rex', kind: 'dog', status: 'lost' }).map((e) => e.pointer).sort()).toEqual(['/id', '/status']);
    const error = compileValidator(op(api, 'createPet').responses[1].content[0].schema, api.references);
    expect(error.check({ code: 1, message: 'm', details: null })).toBe(true);
    expect(error.check({ code: 1, message: null })).toBe(false);
  });

  test('turns path parameter formats into bounds (int64 with minimum 1)', () => {
    const petId = compileValidator(op(api, 'getPetsByPetId').parameters[0].schema);
    expect(petId.check(7)).toBe(true);
    expect(petId.check(0)).toBe(false);
    expect(petId.check(2 ** 60)).toBe(false);
  });
});

describe('library-3.1 (split across files)', () => {
  let api: Api;
  beforeAll(async () => {
    api = await loadApi('test/specs/library-3.1/openapi.yaml');
  });

  test('names schemas from the other file after their key and refers to them by id', () => {
    const ids = api.references.map((r) => r.$id);
    expect(ids).toEqual(expect.arrayContaining(['Author', 'BookFormat', 'PrintFormat', 'EbookFormat', 'Category', 'Problem', 'SearchQuery']));
    expect(op(api, 'getCategoryTree').responses[0].content[0].schema).toMatchObject({ type: 'array', items: { $ref: 'Category' } });
    expect(ids.filter((id) => id === 'Author')).toHaveLength(1);
  });

  test('keeps a direction-specific variant only for schemas whose readOnly/writeOnly fields make them differ', () => {
    expect(api.references.map((r) => r.$id)).toEqual(expect.arrayContaining(['BookRequest', 'BookResponse']));
    expect(api.references.map((r) => r.$id)).not.toContain('Book');
    expect(op(api, 'createBook').requestBody!.content[0].schema).toMatchObject({ $ref: 'BookRequest' });
    expect(op(api, 'createBook').responses[0].content[0].schema).toMatchObject({ $ref: 'BookResponse' });
  });

  test('does not require readOnly fields in requests and leaves writeOnly fields out of responses', () => {
    const request = compileValidator(op(api, 'createBook').requestBody!.content[0].schema, api.references);
    const response = compileValidator(op(api, 'createBook').responses[0].content[0].schema, api.references);
    const book = { isbn: '9780141439518', title: 'Emma', authors: [{ name: 'Jane Austen' }], format: { kind: 'ebook', sizeBytes: 10 } };
    expect(request.errors(book)).toEqual([]);
    expect(request.check({ ...book, secretNote: 'psst' })).toBe(true);
    expect(response.errors(book).map((e) => e.pointer)).toEqual(['/id']);
    expect(response.errors({ ...book, id: 1, secretNote: 'psst' }).map((e) => e.pointer)).toEqual(['/secretNote']);
  });

  test('validates recursive categories at any depth', () => {
    const tree = compileValidator(op(api, 'getCategoryTree').responses[0].content[0].schema, api.references);
    const leaf = { id: 'leaf', name: 'Leaf', children: [] };
    expect(tree.check([{ id: 'a', name: 'A', children: [{ id: 'b', name: 'B', children: [leaf] }] }])).toBe(true);
    expect(tree.errors([{ id: 'a', name: 'A', children: [{ id: 'b', name: 'B', children: [{ ...leaf, id: 'Bad Id' }] }] }]).map((e) => e.pointer)).toEqual([
      '/0/children/0/children/0/id',
    ]);
  });

  test('enforces const, pattern, lengths, bounds, multipleOf, item counts, uniqueItems and additionalProperties false', () => {
    const response = compileValidator(op(api, 'getBook').responses[0].content[0].schema, api.references);
    const good = { id: 1, isbn: '123456789X', title: 'T', authors: [{ name: 'A' }], format: { kind: 'print', pages: 3 }, rating: 4.5, tags: ['a', 'b'] };
    expect(response.errors(good)).toEqual([]);
    const bad = { ...good, isbn: 'abc', title: '', authors: [], format: { kind: 'print', pages: 0 }, rating: 4.2, tags: ['a', 'a'], extra: true };
    expect(response.errors(bad).map((e) => e.pointer).sort()).toEqual(['/authors', '/extra', '/format/pages', '/isbn', '/rating', '/tags', '/title']);
  });

  test('applies operation security over the document default (bearer, basic, or anonymous)', () => {
    expect(op(api, 'listBooks').security).toEqual([
      [{ key: 'bearerAuth', type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }],
      [{ key: 'basicAuth', type: 'http', scheme: 'basic' }],
    ]);
    expect(op(api, 'replaceBook').security).toEqual([[{ key: 'basicAuth', type: 'http', scheme: 'basic' }]]);
    expect(op(api, 'getCategoryTree').security).toEqual([[]]);
  });

  test('gives operations without examples an empty example list', () => {
    expect(op(api, 'getBook').responses.flatMap((r) => r.content.flatMap((c) => c.examples))).toEqual([]);
  });

  test('loads from another working directory when given a cwd', async () => {
    const loaded = await loadApi('library-3.1/openapi.yaml', { cwd: resolve('test/specs') });
    expect(loaded.source).toBe(resolve('test/specs/library-3.1/openapi.yaml'));
    expect(loaded.operations).toHaveLength(api.operations.length);
  });
});

describe('kitchen-sink-3.1.yaml', () => {
  let api: Api;
  beforeAll(async () => {
    api = await loadApi('test/specs/kitchen-sink-3.1.yaml');
  });

  test('warns about an unknown format, naming its pointer, and accepts any string for it', () => {
    expect(api.warnings).toEqual(['#/components/schemas/Thing/properties/colour: unknown string format "x-colour" accepts any string']);
  });

  test('honours 3.1 type arrays, null, and enums that include null', () => {
    const thing = compileValidator(op(api, 'getThing').responses[0].content[0].schema, api.references);
    const base = { id: '0b6a4e3c-5a41-4f57-9a35-2f1d7f0c9e11', name: 'n', when: '2024-01-01T00:00:00Z' };
    expect(thing.check({ ...base, label: 'x' })).toBe(true);
    expect(thing.check({ ...base, label: true, sizes: [1, null], status: null })).toBe(true);
    expect(thing.errors({ ...base, label: null, nothing: 0, status: 'maybe' }).map((e) => e.pointer).sort()).toEqual(['/label', '/nothing', '/status']);
  });

  test.each([
    ['email', 'not-an-email'],
    ['homepage', 'no scheme'],
    ['host', '-bad-.example'],
    ['v4', '256.1.1.1'],
    ['v6', '1.2.3.4'],
    ['day', '2023-02-29'],
    ['at', '25:00:00Z'],
    ['blob', 'abc'],
    ['id', 'not-a-uuid'],
  ])('rejects a malformed %s', (field, value) => {
    const thing = compileValidator(op(api, 'getThing').responses[0].content[0].schema, api.references);
    const base = { id: '0b6a4e3c-5a41-4f57-9a35-2f1d7f0c9e11', name: 'n', when: '2024-01-01T00:00:00Z' };
    expect(thing.errors({ ...base, [field]: value }).map((e) => e.pointer)).toEqual([`/${field}`]);
  });

  test('turns int32/int64 into bounds and honours exclusive bounds, multipleOf and not', () => {
    const numbers = compileValidator(op(api, 'postNumbers').requestBody!.content[0].schema, api.references);
    expect(numbers.check({ i32: 1, i64: 1 })).toBe(true);
    const bad = { i32: 2 ** 31, i64: 2 ** 53, positive: 0, belowTen: 10, even: 3, notZero: 0, maybe: 2 };
    expect(numbers.errors(bad).map((e) => e.pointer).sort()).toEqual(['/belowTen', '/even', '/i32', '/i64', '/maybe', '/notZero', '/positive']);
  });

  test('validates a recursive map of children', () => {
    const tree = compileValidator(op(api, 'getTree').responses[0].content[0].schema, api.references);
    expect(tree.check({ label: 'r', children: { a: { label: 'a', children: { b: { label: 'b', children: {} } } } } })).toBe(true);
    expect(tree.errors({ label: 'r', children: { a: { label: 'a', children: { b: { label: 1, children: {} } } } } }).map((e) => e.pointer)).toEqual([
      '/children/a/children/b/label',
    ]);
  });

  test('normalises apiKey schemes in query and cookie, alternatives and combinations', () => {
    const query = { key: 'queryKey', type: 'apiKey', in: 'query', name: 'api_key' };
    const cookie = { key: 'cookieSession', type: 'apiKey', in: 'cookie', name: 'SESSION' };
    expect(op(api, 'getThing').security).toEqual([[query], [cookie]]);
    expect(op(api, 'postNumbers').security).toEqual([[query, cookie]]);
    expect(op(api, 'getTree').security).toEqual([[]]);
  });

  test('copies x- extensions and descriptions onto the TypeBox schema for the fake-data generator', () => {
    const thing = api.references.find((r) => r.$id === 'Thing')!;
    expect(thing.properties.name).toMatchObject({ type: 'string', 'x-faker': 'commerce.productName', description: 'Display name' });
  });
});

describe('broken specs', () => {
  const broken = (name: string) => resolve('test/specs/broken', name);

  test.each([
    ['yaml-syntax.yaml', 'IWKIT_ERR_SPEC_PARSE', `${broken('yaml-syntax.yaml')}:10:1`],
    ['swagger-2.0.yaml', 'IWKIT_ERR_SPEC_VERSION', 'swagger 2.0'],
    ['openapi-4.0.yaml', 'IWKIT_ERR_SPEC_VERSION', 'openapi 4.0.0'],
    ['unresolved-ref.yaml', 'IWKIT_ERR_SPEC_REF', `${broken('unresolved-ref.yaml')}#/paths/~1pets/get/responses/200/content/application~1json/schema`],
    ['missing-ref-file.yaml', 'IWKIT_ERR_SPEC_REF', 'does-not-exist.yaml'],
    ['invalid-document.yaml', 'IWKIT_ERR_SPEC_INVALID', "must have required property 'responses'"],
  ])('%s fails with %s naming where in strict mode', async (name, code, where) => {
    const error = await loadApi(broken(name), { strict: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code });
    expect((error as Error).message).toContain(where);
    expect((error as Error).message).toContain(broken(name));
  });

  test('a document that breaks the OpenAPI schema loads leniently, with a warning naming the pointer', async () => {
    const api = await loadApi(broken('invalid-document.yaml'));
    expect(api.warnings).toContain("#/paths/~1pets/get: must have required property 'responses' (the document breaks the OpenAPI schema here)");
    expect(api.operations.map((o) => o.operationId)).toEqual(['listPets']);
  });

  test('syntax and version problems refuse the document in lenient mode too', async () => {
    await expect(loadApi(broken('yaml-syntax.yaml'))).rejects.toMatchObject({ code: 'IWKIT_ERR_SPEC_PARSE' });
    await expect(loadApi(broken('swagger-2.0.yaml'))).rejects.toMatchObject({ code: 'IWKIT_ERR_SPEC_VERSION' });
  });

  test('unsupported-keyword.yaml (if/then, refused before JSON Schema 2020-12 support) loads and honours the condition', async () => {
    const api = await loadApi(broken('unsupported-keyword.yaml'));
    const pet = compileValidator(api.references.find((r) => r.$id === 'Pet')!, api.references);
    expect(pet.check({ kind: 'cat' })).toBe(true);
    expect(pet.check({ kind: 'dog' })).toBe(false);
    expect(pet.errors({ kind: 'dog' })).toEqual([{ pointer: '/barks', message: 'is required' }]);
  });

  test('a missing spec file is IWKIT_ERR_SPEC_READ naming the path', async () => {
    await expect(loadApi('test/specs/nope.yaml')).rejects.toMatchObject({ code: 'IWKIT_ERR_SPEC_READ', message: expect.stringContaining(resolve('test/specs/nope.yaml')) });
  });

  test('a syntax error in a referenced file names that file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iwkit-spec-'));
    cpSync('test/specs/library-3.1', dir, { recursive: true });
    writeFileSync(join(dir, 'schemas.yaml'), `${readFileSync(join(dir, 'schemas.yaml'), 'utf8')}\nBroken: [unclosed\n`);
    const error = await loadApi(join(dir, 'openapi.yaml')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'IWKIT_ERR_SPEC_PARSE', message: expect.stringContaining(join(dir, 'schemas.yaml')) });
  });

  test('an object source loads like a file, and a non-object is IWKIT_ERR_SPEC_INVALID', async () => {
    const api = await loadApi({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths: { '/': { get: { responses: { '200': { description: 'ok' } } } } } });
    expect(api.operations.map((o) => o.operationId)).toEqual(['getRoot']);
    expect(api.source).toBeUndefined();
    await expect(loadApi([] as unknown as object)).rejects.toMatchObject({ code: 'IWKIT_ERR_SPEC_INVALID' });
  });
});
