import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/mock/to-csv.js';

describe('toCsv', () => {
  const row = Type.Object({ id: Type.Integer(), name: Type.String(), tags: Type.Array(Type.String()) });

  it('writes a header from the schema and quotes cells per RFC 4180', () => {
    const csv = toCsv([{ id: 1, name: 'a, "b"', tags: ['x'] }, { id: 2, name: 'line\nbreak', extra: true }], Type.Array(row), new Map());
    expect(csv).toBe('id,name,tags,extra\r\n1,"a, ""b""","[""x""]",\r\n2,"line\nbreak",,true\r\n');
  });

  it('writes only the header for an empty list, and one value a line for scalars', () => {
    expect(toCsv([], Type.Array(row), new Map())).toBe('id,name,tags\r\n');
    expect(toCsv([1, 'two'], Type.Array(Type.Unknown()), new Map())).toBe('1\r\ntwo\r\n');
  });
});
