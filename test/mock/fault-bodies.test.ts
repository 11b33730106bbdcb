import { describe, expect, it } from 'vitest';
import { Type } from '@sinclair/typebox';
import { compileValidator } from '../../src/openapi/compile-validator.js';
import { breakContract, malformJson } from '../../src/mock/fault-bodies.js';

describe('fault bodies', () => {
  it('breaks a body against its schema by giving one property a wrong type', () => {
    const schema = compileValidator(Type.Object({ id: Type.Integer(), name: Type.String() }));
    const broken = breakContract({ id: 1, name: 'a' }, (v) => schema.check(v));
    expect(schema.check(broken)).toBe(false);
    expect(broken).toEqual({ id: 'not-a-number', name: 'a' });
  });

  it('falls back to a value of another type when no single property breaks the schema', () => {
    const anyObject = compileValidator(Type.Object({}, { additionalProperties: true }));
    expect(anyObject.check(breakContract({ a: 1 }, (v) => anyObject.check(v)))).toBe(false);
    expect(breakContract([1], () => true)).toBeDefined();
  });

  it('cuts JSON so that it never parses', () => {
    for (const text of ['{"a":1,"b":[1,2,3]}', '42', '"x"', '[]', '']) expect(() => JSON.parse(malformJson(text)), text).toThrow();
  });
});
