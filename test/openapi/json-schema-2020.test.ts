import { Kind, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { createGenerator } from '../../src/fake/create-generator.js';
import { compileValidator } from '../../src/openapi/compile-validator.js';
import { JSON_SCHEMA_KIND } from '../../src/openapi/json-schema-node.js';
import { createSchemaConverter, schemaToTypeBox } from '../../src/openapi/schema-to-typebox.js';
import { independentAjv, to2020 } from './independent-ajv.js';

const NOW = Date.UTC(2025, 4, 4, 9, 42, 0);
const SEEDS = Array.from({ length: 200 }, (_, i) => i * 104729 + 7);

interface Case {
  name: string;
  /** The schema as an OpenAPI 3.1 document writes it (JSON Schema 2020-12). */
  schema: Record<string, unknown>;
  samples: unknown[];
  /** What the independent ajv compiles instead, where ajv itself refuses the schema as written. */
  judge?: Record<string, unknown>;
}

// Each schema is also what the independent ajv judges, so "valid" means what ajv 2020 says.
const cases: Case[] = [
  {
    name: 'patternProperties with additionalProperties false',
    schema: { type: 'object', properties: { id: { type: 'integer' } }, patternProperties: { '^x-': { type: 'string' }, '^n_\\d+$': { type: 'number' } }, additionalProperties: false, required: ['id'] },
    samples: [{ id: 1 }, { id: 1, 'x-a': 's' }, { id: 1, 'x-a': 2 }, { id: 1, n_12: 2.5 }, { id: 1, other: 1 }, {}, 'str', { id: 1, 'x-b': 'ok', n_1: 'no' }],
  },
  {
    name: 'propertyNames',
    schema: { type: 'object', propertyNames: { pattern: '^[a-z_]+$', maxLength: 8 }, additionalProperties: { type: 'integer' }, minProperties: 1 },
    samples: [{ a: 1 }, { A: 1 }, { toolongname: 1 }, {}, { a_b: 'x' }, { a_b: 2, c: 3 }],
  },
  {
    name: 'propertyNames as an enum (mastodon)',
    schema: { type: 'object', propertyNames: { enum: ['home', 'notifications'] }, additionalProperties: { type: 'object', properties: { last_read_id: { type: 'string' } }, required: ['last_read_id'] } },
    samples: [{}, { home: { last_read_id: '1' } }, { other: { last_read_id: '1' } }, { home: {} }],
  },
  {
    name: 'unevaluatedProperties false over allOf',
    schema: { type: 'object', allOf: [{ properties: { a: { type: 'string' } }, required: ['a'] }], properties: { b: { type: 'integer' } }, unevaluatedProperties: false },
    samples: [{ a: 'x' }, { a: 'x', b: 1 }, { a: 'x', c: 1 }, { b: 1 }, { a: 'x', b: 'y' }],
  },
  {
    name: 'unevaluatedProperties with if/then/else',
    schema: {
      type: 'object',
      properties: { kind: { enum: ['a', 'b'] } },
      required: ['kind'],
      if: { properties: { kind: { const: 'a' } } },
      then: { properties: { x: { type: 'string' } }, required: ['x'] },
      else: { properties: { y: { type: 'number' } } },
      unevaluatedProperties: false,
    },
    samples: [{ kind: 'a', x: 's' }, { kind: 'a' }, { kind: 'a', x: 's', y: 1 }, { kind: 'b', y: 1 }, { kind: 'b', x: 's' }, { kind: 'b' }],
  },
  {
    name: 'unevaluatedItems after prefixItems',
    schema: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }], unevaluatedItems: false },
    samples: [[], ['a'], ['a', 1], ['a', 1, true], [1], ['a', 'b']],
  },
  {
    name: 'prefixItems with items for the rest and item counts',
    schema: { type: 'array', prefixItems: [{ type: 'string', format: 'uuid' }, { type: 'integer', minimum: 0 }], items: { type: 'boolean' }, minItems: 2, maxItems: 4 },
    samples: [['0b6f6c1e-3d8e-4c8a-9a55-5f9e1c1b2a3d', 1], ['0b6f6c1e-3d8e-4c8a-9a55-5f9e1c1b2a3d', 1, true, false], ['x', 1], ['0b6f6c1e-3d8e-4c8a-9a55-5f9e1c1b2a3d', -1], ['0b6f6c1e-3d8e-4c8a-9a55-5f9e1c1b2a3d', 1, 'no'], ['0b6f6c1e-3d8e-4c8a-9a55-5f9e1c1b2a3d']],
  },
  {
    name: 'a closed tuple (worldcoin)',
    schema: { type: 'array', prefixItems: [{ type: 'string', pattern: '^0x[0-9a-f]{4}$' }, { type: 'array', prefixItems: [{ type: 'string' }, { type: 'string' }], items: false, minItems: 2 }], items: false, minItems: 2 },
    samples: [['0xabcd', ['a', 'b']], ['0xabcd', ['a']], ['0xabcd', ['a', 'b'], 1], ['0xabcd'], ['0xzz', ['a', 'b']]],
  },
  {
    name: 'dependentRequired',
    schema: { type: 'object', properties: { card: { type: 'string' }, billing: { type: 'string' }, name: { type: 'string' } }, dependentRequired: { card: ['billing'] } },
    samples: [{}, { card: 'x' }, { card: 'x', billing: 'y' }, { billing: 'y' }, { name: 'n' }],
  },
  {
    name: 'dependentSchemas',
    schema: { type: 'object', properties: { card: { type: 'string' }, note: { type: 'string' } }, dependentSchemas: { card: { properties: { cvv: { type: 'string', pattern: '^\\d{3}$' } }, required: ['cvv'] } } },
    samples: [{}, { card: 'x' }, { card: 'x', cvv: '123' }, { card: 'x', cvv: '12' }, { note: 'n' }],
  },
  {
    name: 'if/then/else',
    schema: {
      type: 'object',
      properties: { country: { enum: ['US', 'CA'] }, postal: { type: 'string' } },
      required: ['country', 'postal'],
      if: { properties: { country: { const: 'US' } } },
      then: { properties: { postal: { pattern: '^\\d{5}$' } } },
      else: { properties: { postal: { pattern: '^[A-Z]\\d[A-Z] \\d[A-Z]\\d$' } } },
    },
    samples: [{ country: 'US', postal: '12345' }, { country: 'US', postal: 'K1A 0B1' }, { country: 'CA', postal: 'K1A 0B1' }, { country: 'CA', postal: '12345' }, { country: 'US' }],
  },
  {
    name: 'contains with minContains and maxContains',
    schema: { type: 'array', items: { type: 'integer', minimum: 0, maximum: 100 }, contains: { minimum: 90 }, minContains: 2, maxContains: 3 },
    samples: [[], [95, 99], [95, 99, 91, 92], [95], [1, 95, 2, 96], [95, 99, 101]],
  },
  {
    name: 'const and enum of objects and arrays',
    schema: { type: 'object', properties: { fixed: { const: { a: [1, 2], b: null } }, choice: { enum: [{ a: 1 }, [1, 2], 'x', null] } }, required: ['fixed'] },
    samples: [{ fixed: { a: [1, 2], b: null } }, { fixed: { a: [2, 1], b: null } }, { fixed: { a: [1, 2], b: null }, choice: [1, 2] }, { fixed: { a: [1, 2], b: null }, choice: { a: 2 } }],
  },
  {
    name: 'an empty enum, which matches nothing',
    schema: { type: 'object', properties: { never: { enum: [] }, id: { type: 'integer' } }, required: ['id'] },
    // ajv refuses `enum: []` ("must have non-empty array"); 2020-12 allows it, and it means `false`.
    judge: { type: 'object', properties: { never: false, id: { type: 'integer' } }, required: ['id'] },
    samples: [{ id: 1 }, { id: 1, never: null }, { id: 1, never: 'x' }],
  },
  {
    name: 'oneOf with overlapping alternatives, exactly one',
    schema: { type: 'object', properties: { n: { oneOf: [{ type: 'integer', minimum: 0, maximum: 10 }, { type: 'integer', minimum: 5, maximum: 20 }] } }, required: ['n'] },
    samples: [{ n: 1 }, { n: 7 }, { n: 15 }, { n: 30 }],
  },
  {
    name: 'oneOf of open objects',
    schema: { oneOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, { type: 'object', properties: { b: { type: 'string' } }, required: ['b'] }] },
    samples: [{ a: 'x' }, { b: 'y' }, { a: 'x', b: 'y' }, {}],
  },
  {
    name: 'not',
    schema: { type: 'object', properties: { code: { type: 'string', minLength: 1, maxLength: 3, not: { enum: ['a', 'b'] } } }, not: { required: ['legacy'] } },
    samples: [{ code: 'c' }, { code: 'a' }, { legacy: 1 }, { code: 'abcd' }],
  },
  {
    name: 'not, if and then without a type, whose keywords apply to their own types only',
    schema: { type: ['string', 'object'], not: { required: ['b'] }, if: { minLength: 3 }, then: { pattern: '^a' }, contains: { minimum: 1 } },
    samples: ['abc', 'xyz', 'x', 5, { b: 1 }, { a: 1 }, [], ['s'], [0], [2]],
  },
  {
    name: '$defs, $anchor and local references',
    schema: { $defs: { pos: { $anchor: 'positive', type: 'integer', minimum: 1 } }, type: 'object', properties: { a: { $ref: '#positive' }, b: { $ref: '#/$defs/pos' } } },
    samples: [{ a: 1, b: 2 }, { a: 0 }, { b: -1 }, {}],
  },
  {
    name: 'a pattern that needs the u flag',
    schema: { type: 'string', pattern: '^\\p{Lu}\\p{Ll}+$' },
    samples: ['Zoë', 'Émile', 'zoë', 'Z'],
  },
  {
    name: 'a pattern valid only without the u flag',
    schema: { type: 'string', pattern: '^[a-z\\_]+$' },
    samples: ['a_b', 'ab', 'A', ''],
  },
];

function converted(schema: Record<string, unknown>): TSchema {
  return schemaToTypeBox(schema, { strict: true });
}

describe('JSON Schema 2020-12 keywords', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s: accepts and rejects exactly what ajv 2020 does', (_name, { schema, samples, judge: written }) => {
    const judge = independentAjv().compile(written ?? schema);
    const ours = compileValidator(converted(schema));
    for (const sample of samples) {
      const expected = judge(sample);
      expect({ sample, valid: ours.check(sample) }).toEqual({ sample, valid: expected });
      expect({ sample, valid: ours.errors(sample).length === 0 }).toEqual({ sample, valid: expected });
      // Value.Check reads the same custom Kind as the compiled check.
      expect({ sample, valid: Value.Check(converted(schema), sample) }).toEqual({ sample, valid: expected });
    }
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: every one of 200 generated values is valid for an independent ajv 2020', (_name, { schema, judge: written }) => {
    const judge = independentAjv().compile(written ?? schema);
    const generate = createGenerator(converted(schema), []);
    const bad = SEEDS.map((seed) => generate({ seed, now: NOW })).filter((value) => !judge(value));
    expect(bad).toEqual([]);
  });

  it('keeps what TypeBox expresses as TypeBox and makes one ajv-backed node for the rest', () => {
    const schema = converted({ type: 'object', properties: { plain: { type: 'string' }, map: { type: 'object', patternProperties: { '^x': { type: 'integer' } } } } });
    expect(schema[Kind]).toBe('Object');
    expect(schema.properties.plain[Kind]).toBe('String');
    expect(schema.properties.map[Kind]).toBe(JSON_SCHEMA_KIND);
    expect(schema.properties.map.patternProperties['^x'][Kind]).toBe('Integer');
  });

  it('generates the same value for the same seed', () => {
    for (const { schema } of cases) {
      const generate = createGenerator(converted(schema), []);
      expect(generate({ seed: 42, now: NOW })).toEqual(generate({ seed: 42, now: NOW }));
    }
  });
});

describe('validation errors of ajv-backed nodes', () => {
  it('carry JSON pointers relative to the validated value, nested under the node', () => {
    const schema = converted({
      type: 'object',
      properties: { meta: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'], patternProperties: { '^x': { type: 'integer' } }, additionalProperties: false } },
    });
    expect(compileValidator(schema).errors({ meta: { x1: 'no', y: 1 } })).toEqual([
      { pointer: '/meta/id', message: 'is required' },
      { pointer: '/meta/y', message: 'is not an allowed property' },
      { pointer: '/meta/x1', message: 'must be integer' },
    ]);
  });

  it('name the dependent property, the offending property name and the failing condition', () => {
    const dependent = converted({ type: 'object', dependentRequired: { card: ['billing'] } });
    expect(compileValidator(dependent).errors({ card: 'x' })).toEqual([{ pointer: '/billing', message: 'is required when "card" is present' }]);
    const names = converted({ type: 'object', propertyNames: { pattern: '^[a-z]+$' } });
    expect(compileValidator(names).errors({ ok: 1, Bad: 2 })).toEqual([{ pointer: '/Bad', message: 'property name must match pattern "^[a-z]+$"' }]);
    const conditional = cases.find((c) => c.name === 'if/then/else')!.schema;
    expect(compileValidator(converted(conditional)).errors({ country: 'US', postal: 'K1A 0B1' })).toEqual([{ pointer: '/postal', message: 'must match pattern "^\\d{5}$"' }]);
  });

  it('say when a value matches several alternatives of a oneOf, and explain the closest alternative otherwise', () => {
    const schema = converted({ oneOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, { type: 'object', properties: { b: { type: 'string' } }, required: ['b'] }] });
    const validator = compileValidator(schema);
    expect(validator.errors({ a: 'x', b: 'y' })).toEqual([{ pointer: '', message: 'must match exactly one schema in oneOf, but matches alternatives 0 and 1' }]);
    expect(validator.errors({ a: 1 })).toEqual([{ pointer: '/a', message: 'must be string' }]);
  });
});

describe('discriminators', () => {
  const document = {
    components: {
      schemas: {
        Cat: { type: 'object', required: ['kind', 'meow'], properties: { kind: { type: 'string' }, meow: { type: 'string' } }, additionalProperties: false },
        Dog: { type: 'object', required: ['kind', 'bark'], properties: { kind: { type: 'string' }, bark: { type: 'boolean' } }, additionalProperties: false },
        Pet: {
          oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }],
          discriminator: { propertyName: 'kind', mapping: { cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog' } },
        },
      },
    },
  };
  const converter = createSchemaConverter({ document, strict: true });
  const pet = converter.convert({ $ref: '#/components/schemas/Pet' }, '#', 'response');
  const references = converter.references();

  it('report the problems of the alternative the discriminator value maps to', () => {
    const validator = compileValidator(pet, references);
    expect(validator.errors({ kind: 'dog', meow: 1 })).toEqual([
      { pointer: '/bark', message: 'is required' },
      { pointer: '/meow', message: 'is not an allowed property' },
    ]);
    expect(validator.errors({ kind: 'eel' })).toEqual([{ pointer: '/kind', message: 'must be one of "cat", "dog"' }]);
    expect(validator.errors({ meow: 'x' })).toEqual([{ pointer: '/kind', message: 'is required' }]);
  });

  it('make generated values carry a discriminator value that maps to the alternative generated', () => {
    const judge = independentAjv();
    judge.addSchema({ $id: 'https://iwkit.test/doc', components: document.components });
    const valid = judge.compile({ $ref: 'https://iwkit.test/doc#/components/schemas/Pet' });
    const generate = createGenerator(pet, references);
    for (const seed of SEEDS) {
      const value = generate({ seed, now: NOW }) as Record<string, unknown>;
      expect(valid(value)).toBe(true);
      expect(value.kind).toBe('meow' in value ? 'cat' : 'dog');
    }
  });
});

describe('$dynamicRef and $dynamicAnchor', () => {
  // scalar-galaxy's generic page: the item type is bound by the schema that refers to the page.
  const document = {
    paths: {},
    components: {
      schemas: {
        Planet: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
        Page: {
          $id: 'https://example.com/schemas/Page',
          $defs: { itemType: { $dynamicAnchor: 'itemType', not: {} } },
          type: 'object',
          required: ['data'],
          properties: { data: { type: 'array', items: { $dynamicRef: '#itemType' } } },
        },
      },
    },
  };
  const planets = {
    $id: 'https://example.com/schemas/PlanetPage',
    $defs: { itemType: { $dynamicAnchor: 'itemType', $ref: '#/components/schemas/Planet' } },
    $ref: '#/components/schemas/Page',
  };

  it('resolve the item type along the path being converted, as 2020-12 defines it', () => {
    const warnings: string[] = [];
    const converter = createSchemaConverter({ document, warnings, strict: true });
    const page = converter.convert(planets, '#/paths/~1planets/get/responses/200/content/application~1json/schema', 'response');
    const references = converter.references();
    const validator = compileValidator(page, references);
    expect(validator.check({ data: [{ name: 'Mars' }] })).toBe(true);
    expect(validator.errors({ data: [{ size: 1 }] })).toEqual([{ pointer: '/data/0/name', message: 'is required' }]);
    // Used directly, the page binds its own item type, which admits nothing.
    const plain = compileValidator(converter.convert({ $ref: '#/components/schemas/Page' }, '#', 'response'), references);
    expect(plain.check({ data: [] })).toBe(true);
    expect(plain.check({ data: [{ name: 'Mars' }] })).toBe(false);
    expect(references.map((r) => r.$id).sort()).toEqual(['Page', 'Page_itemType_Planet', 'Planet']);
    expect(warnings).toEqual([]);
  });

  it('generate pages whose items are planets', () => {
    const converter = createSchemaConverter({ document });
    const page = converter.convert(planets, '#', 'response');
    const generate = createGenerator(page, converter.references());
    for (const seed of SEEDS.slice(0, 50)) {
      const value = generate({ seed, now: NOW }) as { data: { name: unknown }[] };
      for (const item of value.data) expect(typeof item.name).toBe('string');
    }
  });
});

describe('the OpenAPI 3.0 dialect', () => {
  const dialect: [string, Record<string, unknown>, unknown[]][] = [
    ['tuple items with additionalItems', { type: 'array', items: [{ type: 'string' }, { type: 'integer' }], additionalItems: false }, [['a', 1], ['a', 1, 2], [1], ['a']]],
    ['draft-07 dependencies', { type: 'object', dependencies: { card: ['billing'], vip: { required: ['level'] } } }, [{}, { card: 1 }, { card: 1, billing: 2 }, { vip: true }, { vip: true, level: 1 }]],
    ['nullable with boolean exclusive bounds', { type: 'number', nullable: true, minimum: 0, exclusiveMinimum: true, multipleOf: 0.5 }, [null, 0, 0.5, 1.25]],
    ['nullable object enum', { type: 'object', enum: [{ a: 1 }], nullable: true }, [null, { a: 1 }, { a: 2 }]],
    ['ably-platform Link pattern, valid only without u', { type: 'string', pattern: '(<(.*)?>; rel=\\"(first|current|last)?\\",)*(<(.*)?>; rel=\\"(first|current|last)?\\")+' }, ['<a>; rel="first"', 'nope']],
  ];

  it.each(dialect)('%s: means what its 2020-12 reading means to ajv', (_name, schema, samples) => {
    const judge = independentAjv().compile(to2020(schema) as object);
    const ours = compileValidator(converted(schema));
    for (const sample of samples) expect({ sample, valid: ours.check(sample) }).toEqual({ sample, valid: judge(sample) });
    const generate = createGenerator(converted(schema), []);
    expect(SEEDS.map((seed) => generate({ seed, now: NOW })).filter((value) => !judge(value))).toEqual([]);
  });
});

describe('lenient and strict conversion', () => {
  const propertiesRef = {
    components: { schemas: { Fields: { name: { type: 'string' } }, Thing: { type: 'object', properties: { $ref: '#/components/schemas/Fields' }, required: ['name'] } } },
  };

  it('reads a $ref standing for the whole properties map, with a warning; strict mode refuses it', () => {
    const warnings: string[] = [];
    const converter = createSchemaConverter({ document: propertiesRef, warnings });
    const thing = compileValidator(converter.convert({ $ref: '#/components/schemas/Thing' }, '#', 'response'), converter.references());
    expect(thing.check({ name: 'x' })).toBe(true);
    expect(thing.check({ name: 1 })).toBe(false);
    expect(warnings).toContain('#/components/schemas/Thing/properties: properties is a $ref (#/components/schemas/Fields), read as the map of property schemas it points to');
    const strict = createSchemaConverter({ document: propertiesRef, strict: true, source: 'spec.yaml' });
    expect(() => strict.convert({ $ref: '#/components/schemas/Thing' }, '#', 'response')).toThrowError(
      expect.objectContaining({ code: 'IWKIT_ERR_SCHEMA_UNSUPPORTED', message: expect.stringContaining('spec.yaml#/components/schemas/Thing/properties') }),
    );
  });

  it('reads a capitalised type with a warning, and ignores an unknown one', () => {
    const warnings: string[] = [];
    expect(compileValidator(schemaToTypeBox({ type: 'String' }, { warnings })).check('x')).toBe(true);
    expect(compileValidator(schemaToTypeBox({ type: 'file' }, { warnings })).check(1)).toBe(true);
    expect(warnings).toEqual(['#/type: unknown type "String" is read as "string"', '#/type: unknown type "file" is ignored']);
    expect(() => schemaToTypeBox({ type: 'String' }, { strict: true })).toThrowError(expect.objectContaining({ code: 'IWKIT_ERR_SCHEMA_UNSUPPORTED' }));
  });

  it('tries the u flag first and warns only when neither reading of a pattern compiles', () => {
    const warnings: string[] = [];
    schemaToTypeBox({ type: 'object', properties: { a: { type: 'string', pattern: '[a-z\\_]+' }, b: { type: 'string', pattern: '\\p{L}' } }, patternProperties: { '(': {} } }, { warnings });
    expect(warnings).toEqual(['#/patternProperties/(: pattern "(" is not a valid regular expression; it is ignored']);
  });
});
