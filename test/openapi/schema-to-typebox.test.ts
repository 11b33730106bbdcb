import { Kind } from '@sinclair/typebox';
import { describe, expect, test } from 'vitest';
import { compileValidator } from '../../src/openapi/compile-validator.js';
import { createSchemaConverter, schemaToTypeBox } from '../../src/openapi/schema-to-typebox.js';

const check = (schema: unknown, value: unknown) => compileValidator(schemaToTypeBox(schema)).check(value);

describe('schemaToTypeBox', () => {
  test('widens a 3.0 nullable schema and a 3.1 type array to admit null', () => {
    expect(check({ type: 'string', nullable: true }, null)).toBe(true);
    expect(check({ type: ['string', 'null'] }, null)).toBe(true);
    expect(check({ type: 'string' }, null)).toBe(false);
    expect(check({ type: 'string', enum: ['a', 'b'], nullable: true }, null)).toBe(true);
  });

  test('reads 3.0 boolean exclusive bounds and 3.1 numeric ones alike', () => {
    const legacy = { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true };
    const modern = { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 };
    for (const schema of [legacy, modern]) {
      expect([0, 0.5, 1].map((value) => check(schema, value))).toEqual([false, true, false]);
    }
    expect(check({ type: 'number', minimum: 0, exclusiveMinimum: false }, 0)).toBe(true);
  });

  test('keeps int32 bounds inside a narrower declared range', () => {
    const schema = schemaToTypeBox({ type: 'integer', format: 'int32', minimum: 5 });
    expect(schema).toMatchObject({ minimum: 5, maximum: 2147483647, format: 'int32' });
  });

  test('copies annotations and x- extensions onto the outermost node', () => {
    const schema = schemaToTypeBox({ type: 'string', nullable: true, description: 'd', example: 'e', default: 'f', 'x-faker': 'person.firstName' });
    expect(schema[Kind]).toBe('Union');
    expect(schema).toMatchObject({ description: 'd', example: 'e', default: 'f', 'x-faker': 'person.firstName' });
  });

  test('accepts additionalProperties as a boolean or a schema', () => {
    expect(check({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false }, { a: 'x', b: 1 })).toBe(false);
    expect(check({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'integer' } }, { a: 'x', b: 1 })).toBe(true);
    expect(check({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'integer' } }, { a: 'x', b: 'y' })).toBe(false);
    expect(check({ type: 'object', additionalProperties: { type: 'integer' } }, { b: 'y' })).toBe(false);
  });

  test('requires keys listed in required even without a declared schema', () => {
    expect(check({ type: 'object', required: ['id'] }, {})).toBe(false);
    expect(check({ type: 'object', required: ['id'] }, { id: null })).toBe(true);
  });

  test('gives oneOf/anyOf/allOf/not their meaning', () => {
    expect(check({ oneOf: [{ type: 'string' }, { type: 'integer' }] }, 1)).toBe(true);
    expect(check({ anyOf: [{ type: 'string' }, { type: 'integer' }] }, true)).toBe(false);
    expect(check({ allOf: [{ type: 'object', required: ['a'] }, { type: 'object', required: ['b'] }] }, { a: 1 })).toBe(false);
    expect(check({ not: { type: 'string' } }, 'x')).toBe(false);
  });

  test.each([
    ['if', { if: { type: 'string' }, then: { minLength: 1 } }, '', false],
    ['patternProperties', { type: 'object', patternProperties: { '^x': { type: 'string' } } }, { x1: 1 }, false],
    ['prefixItems', { type: 'array', prefixItems: [{ type: 'string' }] }, [1], false],
    ['unevaluatedProperties', { type: 'object', unevaluatedProperties: false }, { a: 1 }, false],
  ])('honours %s (once refused) with an ajv-backed node, in strict mode too', (_keyword, schema, value, valid) => {
    const converter = createSchemaConverter({ document: {}, source: 'spec.yaml', strict: true });
    const converted = converter.convert({ type: 'object', properties: { field: schema } }, '#/components/schemas/X', 'response');
    expect(compileValidator(converted).check({ field: value })).toBe(valid);
  });

  test('honours object-valued enums; an invalid pattern is a warning (lenient) or IWKIT_ERR_SCHEMA_UNSUPPORTED (strict)', () => {
    expect(check({ enum: [{ a: 1 }] }, { a: 1 })).toBe(true);
    expect(check({ enum: [{ a: 1 }] }, { a: 2 })).toBe(false);
    const warnings: string[] = [];
    expect(compileValidator(schemaToTypeBox({ type: 'string', pattern: '(' }, { warnings })).check('x')).toBe(true);
    expect(warnings).toEqual(['#/pattern: pattern "(" is not a valid regular expression; it is ignored']);
    expect(() => schemaToTypeBox({ type: 'string', pattern: '(' }, { strict: true })).toThrowError(expect.objectContaining({ code: 'IWKIT_ERR_SCHEMA_UNSUPPORTED' }));
  });

  test('honours discriminator without a warning: it only picks which alternative errors and generated values use', () => {
    const warnings: string[] = [];
    schemaToTypeBox({ oneOf: [{ type: 'object' }], discriminator: { propertyName: 'kind' } }, { warnings });
    expect(warnings).toEqual([]);
  });

  test('makes a recursive component a named reference and lists it once', () => {
    const document = {
      components: { schemas: { Tree: { type: 'object', properties: { kids: { type: 'array', items: { $ref: '#/components/schemas/Tree' } } } } } },
    };
    const converter = createSchemaConverter({ document });
    expect(converter.convert({ $ref: '#/components/schemas/Tree' }, '#', 'response')).toMatchObject({ $ref: 'Tree' });
    expect(converter.convert({ $ref: '#/components/schemas/Tree' }, '#', 'request')).toMatchObject({ $ref: 'Tree' });
    expect(converter.references().map((r) => r.$id)).toEqual(['Tree']);
  });

  test('reports a $ref that does not resolve as IWKIT_ERR_SPEC_REF in strict mode, and as a warning accepting any value otherwise', () => {
    expect(() => schemaToTypeBox({ $ref: '#/components/schemas/Nope' }, { strict: true })).toThrowError(expect.objectContaining({ code: 'IWKIT_ERR_SPEC_REF' }));
    const warnings: string[] = [];
    expect(compileValidator(schemaToTypeBox({ $ref: '#/components/schemas/Nope' }, { warnings })).check(42)).toBe(true);
    expect(warnings).toEqual(['#: $ref #/components/schemas/Nope does not resolve; any value is accepted']);
  });
});
