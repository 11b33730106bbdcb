import { Type } from '@sinclair/typebox';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { refMap } from '../../src/mock/schema-shape.js';
import { toXml } from '../../src/mock/to-xml.js';

describe('toXml', () => {
  const Pet = Type.Object(
    {
      id: Type.Integer({ xml: { attribute: true } }),
      name: Type.String({ xml: { name: 'petName' } }),
      tags: Type.Array(Type.String({ xml: { name: 'tag' } }), { xml: { wrapped: true, name: 'tagList' } }),
      photos: Type.Array(Type.String(), { xml: { name: 'photo' } }),
      note: Type.String(),
    },
    { $id: 'Pet', xml: { name: 'pet', prefix: 'p', namespace: 'urn:pets' } },
  );
  const refs = refMap([Pet]);

  it('honours xml name, attribute, wrapped, prefix and namespace', () => {
    const xml = toXml({ id: 7, name: 'Rex & co', tags: ['a', 'b'], photos: ['1.jpg', '2.jpg'], note: '<hi>' }, Type.Ref('Pet'), refs);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('<p:pet xmlns:p="urn:pets" id="7">');
    expect(xml).toContain('<petName>Rex &amp; co</petName>');
    expect(xml).toMatch(/<tagList>\s*<tag>a<\/tag>\s*<tag>b<\/tag>\s*<\/tagList>/);
    expect(xml).toMatch(/<photo>1\.jpg<\/photo>\s*<photo>2\.jpg<\/photo>/);
    expect(xml).toContain('<note>&lt;hi&gt;</note>');
  });

  it('names a root array after its items and turns odd property names into XML names', () => {
    const xml = toXml([{ '1st': 1, 'a b': null }], Type.Array(Type.Ref('Thing')), new Map());
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser().parse(xml);
    expect(doc.Things.Thing).toEqual({ _1st: 1, a_b: '' });
  });
});
