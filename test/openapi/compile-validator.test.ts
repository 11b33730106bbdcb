import { Type } from '@sinclair/typebox';
import { describe, expect, test } from 'vitest';
import { compileValidator } from '../../src/openapi/compile-validator.js';

describe('compileValidator', () => {
  const Customer = Type.Object({ id: Type.Integer(), created: Type.String({ format: 'date-time' }) }, { $id: 'Customer' });
  const body = Type.Object({ data: Type.Object({ code: Type.String(), customer: Type.Ref('Customer') }) });

  test('names every offending field with a JSON pointer', () => {
    const validator = compileValidator(body, [Customer]);
    expect(validator.errors({ data: { code: 1, customer: { id: 'x', created: 'yesterday' } } }).map((e) => e.pointer)).toEqual([
      '/data/code',
      '/data/customer/id',
      '/data/customer/created',
    ]);
  });

  test('reports the root as the empty pointer and says a missing property is required', () => {
    const validator = compileValidator(body, [Customer]);
    expect(validator.errors('nope')).toEqual([{ pointer: '', message: 'Expected object' }]);
    expect(validator.errors({})).toEqual([{ pointer: '/data', message: 'is required' }]);
    expect(validator.errors({ data: { code: 'c', customer: { id: 1, created: '2025-05-04T09:42:00Z' } } })).toEqual([]);
  });

  test('explains a union by the closest alternative, or by what was expected when the type is wrong', () => {
    const shape = Type.Union([
      Type.Object({ kind: Type.Literal('circle'), radius: Type.Number({ minimum: 0 }) }),
      Type.Object({ kind: Type.Literal('square'), side: Type.Number() }),
    ]);
    const validator = compileValidator(Type.Object({ shape }));
    expect(validator.errors({ shape: { kind: 'circle', radius: -1 } })).toEqual([{ pointer: '/shape/radius', message: expect.stringContaining('0') }]);
    expect(validator.errors({ shape: 5 })).toEqual([{ pointer: '/shape', message: 'Expected object | object' }]);
    expect(compileValidator(Type.Union([Type.String(), Type.Null()])).errors(1)).toEqual([{ pointer: '', message: 'Expected string | null' }]);
  });

  test('check agrees with errors', () => {
    const validator = compileValidator(Type.Array(Type.Integer(), { maxItems: 2 }));
    expect(validator.check([1, 2])).toBe(true);
    expect(validator.check([1, 2, 3])).toBe(false);
    expect(validator.errors([1, 2, 3]).map((e) => e.pointer)).toEqual(['']);
  });
});
