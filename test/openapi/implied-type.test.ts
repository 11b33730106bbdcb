import { describe, expect, it } from 'vitest';
import { impliedType } from '../../src/openapi/implied-type.js';

describe('impliedType', () => {
  it('reads the OpenAPI 3.0 keywords authors leave type off for, for both purposes', () => {
    for (const purpose of ['validate', 'generate'] as const) {
      expect(impliedType({ properties: {} }, purpose)).toBe('object');
      expect(impliedType({ minItems: 1 }, purpose)).toBe('array');
      expect(impliedType({ pattern: '^a' }, purpose)).toBe('string');
      expect(impliedType({ minimum: 0 }, purpose)).toBe('number');
      expect(impliedType({ description: 'x' }, purpose)).toBeUndefined();
    }
  });

  it('lets format and 2020-12 keywords pick a type only for generation', () => {
    expect(impliedType({ format: 'email' }, 'validate')).toBeUndefined();
    expect(impliedType({ format: 'email' }, 'generate')).toBe('string');
    expect(impliedType({ prefixItems: [] }, 'validate')).toBeUndefined();
    expect(impliedType({ prefixItems: [] }, 'generate')).toBe('array');
    expect(impliedType({ patternProperties: {} }, 'generate')).toBe('object');
  });
});
