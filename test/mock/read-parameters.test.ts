import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import type { Parameter } from '../../src/openapi/api-model.js';
import { createParameterReader } from '../../src/mock/read-parameters.js';

const ints = Type.Array(Type.Integer());
const colour = Type.Object({ R: Type.Integer(), G: Type.Integer() });

function path(name: string, schema: Parameter['schema'], style: string, explode = false): Parameter {
  return { name, in: 'path', required: true, style, explode, schema, examples: [] };
}

function read(parameter: Parameter, text: string): unknown {
  return createParameterReader([parameter], [])({ [parameter.name]: text })[parameter.name];
}

describe('path parameters by style', () => {
  it('reads matrix values: primitive, array and object, exploded or not', () => {
    expect(read(path('id', Type.Integer(), 'matrix'), ';id=5')).toBe(5);
    expect(read(path('id', Type.String(), 'matrix'), ';id')).toBe('');
    expect(read(path('id', ints, 'matrix'), ';id=3,4,5')).toEqual([3, 4, 5]);
    expect(read(path('id', ints, 'matrix', true), ';id=3;id=4;id=5')).toEqual([3, 4, 5]);
    expect(read(path('color', colour, 'matrix'), ';color=R,100,G,200')).toEqual({ R: 100, G: 200 });
    expect(read(path('color', colour, 'matrix', true), ';R=100;G=200')).toEqual({ R: 100, G: 200 });
  });

  it('keeps free-form matrix text as the value of a string parameter named otherwise (as appng sends it)', () => {
    expect(read(path('params', Type.String(), 'matrix', true), ';name=appng;host=localhost')).toBe(';name=appng;host=localhost');
  });

  it('reads label values: primitive, array and object, exploded or not', () => {
    expect(read(path('id', Type.Integer(), 'label'), '.5')).toBe(5);
    expect(read(path('id', ints, 'label'), '.3,4,5')).toEqual([3, 4, 5]);
    expect(read(path('id', ints, 'label', true), '.3.4.5')).toEqual([3, 4, 5]);
    expect(read(path('color', colour, 'label'), '.R,100,G,200')).toEqual({ R: 100, G: 200 });
    expect(read(path('color', colour, 'label', true), '.R=100.G=200')).toEqual({ R: 100, G: 200 });
  });

  it('reads simple arrays and objects, and leaves text without its prefix as simple text', () => {
    expect(read(path('id', ints, 'simple'), '3,4')).toEqual([3, 4]);
    expect(read(path('color', colour, 'simple'), 'R,100,G,200')).toEqual({ R: 100, G: 200 });
    expect(read(path('color', colour, 'simple', true), 'R=100,G=200')).toEqual({ R: 100, G: 200 });
    expect(read(path('id', Type.Integer(), 'label'), '5')).toBe(5);
    expect(read(path('id', Type.Integer(), 'matrix'), '5')).toBe(5);
  });

  it('reads an object header packed as simple text', () => {
    const header: Parameter = { name: 'X-Colour', in: 'header', required: false, style: 'simple', explode: true, schema: colour, examples: [] };
    expect(createParameterReader([header], [])({ 'x-colour': 'R=1,G=2' })).toEqual({ 'X-Colour': { R: 1, G: 2 } });
  });
});
