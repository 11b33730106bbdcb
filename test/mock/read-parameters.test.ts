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

describe('query and header objects', () => {
  const filter = Type.Object({ kind: Type.String(), max: Type.Integer(), range: Type.Optional(Type.Object({ from: Type.Integer() })) });
  const query = (name: string, schema: Parameter['schema'], style: string, explode = true): Parameter => ({ name, in: 'query', required: false, style, explode, schema, examples: [] });

  it('reads a deepObject query parameter from its bracketed keys, nested ones too', () => {
    const reader = createParameterReader([query('filter', filter, 'deepObject')], []);
    expect(reader({ 'filter[kind]': 'a', 'filter[max]': '3', 'filter[range][from]': '2', other: 'x' })).toEqual({ filter: { kind: 'a', max: 3, range: { from: 2 } } });
  });

  it('never lets a deepObject key reach a prototype', () => {
    const reader = createParameterReader([query('filter', filter, 'deepObject')], []);
    reader({ 'filter[__proto__][polluted]': 'yes' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads a form-exploded object from the properties spread over the query', () => {
    const reader = createParameterReader([query('filter', filter, 'form')], []);
    expect(reader({ kind: 'b', max: '7' })).toEqual({ filter: { kind: 'b', max: 7 } });
  });

  it('parses a parameter described by JSON content as JSON, and leaves broken JSON as text for the validator', () => {
    const meta = Type.Object({ name: Type.String() });
    const header: Parameter = { name: 'X-Meta', in: 'header', required: true, style: 'simple', explode: false, schema: meta, examples: [], contentType: 'application/json' };
    const reader = createParameterReader([header], []);
    expect(reader({ 'x-meta': '{"name":"report.pdf"}' })).toEqual({ 'X-Meta': { name: 'report.pdf' } });
    expect(reader({ 'x-meta': '{broken' })).toEqual({ 'X-Meta': '{broken' });
  });
});
