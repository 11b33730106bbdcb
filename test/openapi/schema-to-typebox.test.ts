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
    ['if', { if: { type: 'string' }, then: { minLength: 1 } }],
    ['patternProperties', { type: 'object', patternProperties: { '^x': { type: 'string' } } }],
    ['$dynamicRef', { $dynamicRef: '#meta' }],
    ['prefixItems', { type: 'array', prefixItems: [{ type: 'string' }] }],
    ['unevaluatedProperties', { type: 'object', unevaluatedProperties: false }],
  ])('refuses %s with IWKIT_ERR_SCHEMA_UNSUPPORTED naming the pointer', (keyword, schema) => {
    const converter = createSchemaConverter({ document: {}, source: 'spec.yaml' });
    expect(() => converter.convert({ type: 'object', properties: { field: schema } }, '#/components/schemas/X', 'response')).toThrowError(
      expect.objectContaining({ code: 'IWKIT_ERR_SCHEMA_UNSUPPORTED', message: expect.stringContaining(`spec.yaml#/components/schemas/X/properties/field/${keyword}`) }),
    );
  });

  test('refuses object-valued enums and invalid patterns', () => {
    expect(() => schemaToTypeBox({ enum: [{ a: 1 }] })).toThrowError(expect.objectContaining({ code: 'IWKIT_ERR_SCHEMA_UNSUPPORTED' }));
    expect(() => schemaToTypeBox({ type: 'string', pattern: '(' })).toThrowError(expect.objectContaining({ code: 'IWKIT_ERR_SCHEMA_UNSUPPORTED' }));
  });

  test('ignores discriminator with a warning naming its pointer', () => {
    const warnings: string[] = [];
    schemaToTypeBox({ oneOf: [{ type: 'object' }], discriminator: { propertyName: 'kind' } }, { warnings });
    expect(warnings).toEqual(['#/discriminator: discriminator is ignored; the oneOf/anyOf alternatives are validated as they are']);
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

  test('reports a $ref that does not resolve as IWKIT_ERR_SPEC_REF', () => {
    expect(() => schemaToTypeBox({ $ref: '#/components/schemas/Nope' })).toThrowError(expect.objectContaining({ code: 'IWKIT_ERR_SPEC_REF' }));
  });
});
