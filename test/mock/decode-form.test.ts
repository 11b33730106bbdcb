import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { createFormDecoder } from '../../src/mock/decode-form.js';

const pairs = (text: string) => [...new URLSearchParams(text)];

describe('createFormDecoder (urlencoded)', () => {
  const schema = Type.Object({
    n: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
    spaced: Type.Optional(Type.Array(Type.Number())),
    exploded: Type.Optional(Type.Array(Type.String())),
    packed: Type.Optional(Type.Object({ a: Type.Integer(), b: Type.String() })),
    nested: Type.Optional(Type.Object({ inner: Type.Object({ x: Type.Boolean() }) })),
  });
  const decoder = createFormDecoder(schema, [], {
    spaced: { style: 'spaceDelimited', explode: false },
    packed: { style: 'form', explode: false },
    nested: { style: 'deepObject' },
  });

  it('converts scalars by the property schema, through nullable unions', () => {
    expect(decoder.form(pairs('n=42')).value).toEqual({ n: 42 });
  });

  it('splits spaceDelimited lists and keeps repeated keys of an exploded list', () => {
    expect(decoder.form(pairs('spaced=1%202.5&exploded=a&exploded=b')).value).toEqual({ spaced: [1, 2.5], exploded: ['a', 'b'] });
  });

  it('reads form explode=false objects as key,value pairs and nested deepObject members', () => {
    expect(decoder.form(pairs('packed=a,1,b,two&nested[inner][x]=true')).value).toEqual({ packed: { a: 1, b: 'two' }, nested: { inner: { x: true } } });
  });

  it('takes PHP-style brackets for arrays and keeps undeclared keys as text', () => {
    expect(decoder.form(pairs('exploded[]=a&exploded[]=b&other=1&other=2&free[k]=v')).value).toEqual({ exploded: ['a', 'b'], other: ['1', '2'], free: { k: 'v' } });
  });

  it('converts undeclared keys by additionalProperties', () => {
    const free = createFormDecoder(Type.Record(Type.String(), Type.Integer()), []);
    expect(free.form(pairs('a=1&b=2')).value).toEqual({ a: 1, b: 2 });
  });

  it('reports __proto__ names instead of taking them', () => {
    const { value, issues } = decoder.form(pairs('__proto__=x&nested[__proto__][x]=1'));
    expect(value).toEqual({});
    expect(issues.map((i) => i.pointer)).toEqual(['/__proto__', '/nested[__proto__][x]']);
  });
});

describe('createFormDecoder (multipart)', () => {
  const schema = Type.Object({
    doc: Type.Optional(Type.String({ contentMediaType: 'application/pdf' })),
    b64: Type.Optional(Type.String({ contentMediaType: 'image/png', contentEncoding: 'base64' })),
    list: Type.Optional(Type.Array(Type.Integer())),
    obj: Type.Optional(Type.Object({ a: Type.Integer() })),
    n: Type.Optional(Type.Number()),
  });
  const decoder = createFormDecoder(schema, []);

  it('keeps a 3.1 contentMediaType file as bytes, and contentEncoding base64 as text', () => {
    const { value } = decoder.multipart([
      { name: 'doc', bytes: new Uint8Array([0x25, 0xe2]), filename: 'a.pdf', contentType: 'application/pdf' },
      { name: 'b64', bytes: new TextEncoder().encode('iVBORw=='), filename: 'a.b64' },
    ]);
    expect(value).toEqual({ doc: '%\xe2', b64: 'iVBORw==' });
  });

  it('reads an array from one JSON part or from repeated parts, objects as JSON, numbers converted', () => {
    expect(decoder.multipart([{ name: 'list', text: '[1,2]' }, { name: 'obj', text: '{"a":1}' }, { name: 'n', text: '2.5' }]).value).toEqual({ list: [1, 2], obj: { a: 1 }, n: 2.5 });
    expect(decoder.multipart([{ name: 'list', text: '1' }, { name: 'list[]', text: '2' }]).value).toEqual({ list: [1, 2] });
  });

  it('leaves text that is not JSON for the validator, and reports a poisoned JSON field', () => {
    expect(decoder.multipart([{ name: 'obj', text: 'nope' }]).value).toEqual({ obj: 'nope' });
    expect(decoder.multipart([{ name: 'obj', text: '{"__proto__":{"x":1}}' }]).issues).toEqual([{ pointer: '/obj', message: 'holds the forbidden property name "__proto__"' }]);
  });
});
