import { isIP } from 'node:net';
import { Kind, Type, TypeRegistry, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { beforeAll, describe, expect, it } from 'vitest';
import { isToolkitError } from '../../src/errors.js';
import { createGenerator, type GeneratorOptions } from '../../src/fake/create-generator.js';
import { realisticStrategy } from '../../src/fake/generation-strategy.js';
import type { Api } from '../../src/openapi/api-model.js';
import { compileValidator } from '../../src/openapi/compile-validator.js';
import { loadApi } from '../../src/openapi/load-api.js';

const NOW = Date.UTC(2025, 4, 4, 9, 42, 0);
const DAY = 86_400_000;
const SEEDS = 1000;
const seeds = Array.from({ length: SEEDS }, (_, i) => i * 7919 + 1);

/** Generates `SEEDS` values and returns the ones the compiled schema rejects (with its first issue). */
function invalidValues(schema: TSchema, references: TSchema[] = [], options?: GeneratorOptions): unknown[] {
  const generate = createGenerator(schema, references, options);
  const validator = compileValidator(schema, references);
  const bad: unknown[] = [];
  for (const seed of seeds) {
    const value = generate({ seed, now: NOW });
    if (!validator.check(value)) bad.push({ seed, value, issues: validator.errors(value) });
  }
  return bad;
}

function sample(schema: TSchema, references: TSchema[] = [], count = 200): unknown[] {
  const generate = createGenerator(schema, references);
  return Array.from({ length: count }, (_, seed) => generate({ seed, now: NOW }));
}

function expectCoded(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (error) {
    expect(isToolkitError(error)).toBe(true);
    expect((error as { code: string }).code).toBe(code);
    return;
  }
  throw new Error('expected a coded toolkit error');
}

// TypeBox has no oneOf; the walker maps it to a union, so a test-only kind checks "exactly one".
TypeRegistry.Set('TestOneOf', (schema: { oneOf: TSchema[] }, value) => schema.oneOf.filter((s) => Value.Check(s, value)).length === 1);
const OneOf = (oneOf: TSchema[]): TSchema => ({ [Kind]: 'TestOneOf', oneOf }) as unknown as TSchema;

describe('the login contract', () => {
  let api: Api;
  let session: TSchema;
  let request: TSchema;
  beforeAll(async () => {
    api = await loadApi('schema/openapi.yaml');
    const login = api.operations.find((op) => op.operationId === 'instagramLogin')!;
    session = login.responses[0].content[0].schema;
    request = login.requestBody!.content[0].schema;
  });

  it('generates a schema-valid Session for every one of 1,000 seeds', () => {
    expect(invalidValues(session, api.references)).toEqual([]);
  });

  it('generates a schema-valid login request body for every one of 1,000 seeds', () => {
    expect(invalidValues(request, api.references)).toEqual([]);
  });

  it('generates believable sessions: real IPs, token-like session ids, positive ids, Slack channels, recent ordered timestamps', () => {
    const generate = createGenerator(session, api.references);
    const recent = (iso: string): boolean => Date.parse(iso) <= NOW && Date.parse(iso) >= NOW - 30 * DAY;
    const positiveId = (id: unknown): boolean => Number.isInteger(id) && (id as number) > 0 && (id as number) <= 1_000_000;
    const failures: unknown[] = [];
    for (const seed of seeds) {
      const s = generate({ seed, now: NOW }) as Record<string, any>;
      const c = s.selectedcustomer;
      const problems = [
        isIP(s.ip) === 0 && 'ip',
        !/^[0-9a-f]{32,}$|^[A-Za-z0-9_-]{32,}$/.test(s.sessionid) && 'sessionid',
        !(positiveId(s.id) && positiveId(c.id)) && 'id',
        !/^#[a-z0-9-]+$/.test(c.slackchannel) && 'slackchannel',
        /^\s*$/.test(c.displayname) && 'displayname',
        ![s.start, s.refreshed_start, c.created, c.updated].every(recent) && 'recent',
        Date.parse(c.created) > Date.parse(c.updated) && 'created <= updated',
        Date.parse(s.start) > Date.parse(s.refreshed_start) && 'start <= refreshed_start',
      ].filter(Boolean);
      if (problems.length > 0) failures.push({ seed, problems, s });
    }
    expect(failures).toEqual([]);
  });

  it('names the Slack channel after the display name of the same customer', () => {
    const generate = createGenerator(session, api.references);
    for (const seed of seeds.slice(0, 100)) {
      const c = (generate({ seed, now: NOW }) as { selectedcustomer: { slackchannel: string; displayname: string } }).selectedcustomer;
      const key = c.slackchannel.slice(1, c.slackchannel.lastIndexOf('-'));
      expect(c.displayname.toLowerCase().replace(/[^a-z0-9]/g, '')).toContain(key.replace(/-/g, ''));
    }
  });

  it('returns a deep-equal, byte-identical session for the same seed and now, with keys in schema order', () => {
    const a = createGenerator(session, api.references);
    const b = createGenerator(session, api.references);
    for (const seed of [0, 1, 42, 2 ** 40 + 3, -17, 0.5]) {
      const first = a({ seed, now: NOW });
      expect(JSON.stringify(a({ seed, now: NOW }))).toBe(JSON.stringify(first));
      expect(JSON.stringify(b({ seed, now: NOW }))).toBe(JSON.stringify(first));
    }
    const value = a({ seed: 5, now: NOW }) as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(Object.keys((api.references.find((r) => r.$id === 'Session') as unknown as { properties: object }).properties));
  });

  it('gives different seeds different sessions', () => {
    const generate = createGenerator(session, api.references);
    const ids = new Set(seeds.slice(0, 200).map((seed) => (generate({ seed, now: NOW }) as { sessionid: string }).sessionid));
    expect(ids.size).toBe(200);
    expect(JSON.stringify(generate({ seed: 1, now: NOW }))).not.toBe(JSON.stringify(generate({ seed: 2, now: NOW })));
  });

  it('anchors timestamps to now, so a later anchor moves them', () => {
    const generate = createGenerator(session, api.references);
    const later = NOW + 365 * DAY;
    const s = generate({ seed: 9, now: later }) as { start: string };
    expect(Date.parse(s.start)).toBeGreaterThan(NOW);
    expect(Date.parse(s.start)).toBeLessThanOrEqual(later);
  });

  it('rejects a call without a finite seed or now with a coded error', () => {
    const generate = createGenerator(session, api.references);
    expectCoded(() => generate({ seed: Number.NaN, now: NOW }), 'IWKIT_ERR_OPTION_INVALID');
    expectCoded(() => generate({ seed: 1, now: undefined as unknown as number }), 'IWKIT_ERR_OPTION_INVALID');
  });
});

describe('hand-written schemas stay valid for 1,000 seeds', () => {
  const cases: [string, TSchema, TSchema[]?][] = [
    ['enum and const', Type.Object({ status: Type.Union([Type.Literal('active'), Type.Literal('paused'), Type.Literal(3)]), kind: Type.Literal('pet'), on: Type.Literal(true) })],
    [
      'patterns',
      Type.Object({
        plate: Type.String({ pattern: '^[A-Z]{2}-\\d{4}$' }),
        word: Type.String({ pattern: '^(foo|bar)baz[0-9]?$' }),
        long: Type.String({ pattern: '^[a-z]+$', minLength: 20, maxLength: 30 }),
        sessionid: Type.String({ pattern: '^[A-F0-9]{16}$' }),
        email: Type.String({ pattern: '@example\\.org$' }),
        anyChars: Type.String({ pattern: '^.{3,5}$' }),
        ip: Type.String({ pattern: '^10\\.' }),
      }),
    ],
    [
      'min and max length, with and without name hints',
      Type.Object({
        displayname: Type.String({ minLength: 5, maxLength: 5 }),
        description: Type.String({ maxLength: 3 }),
        ip: Type.String({ minLength: 50 }),
        token: Type.String({ maxLength: 10 }),
        empty: Type.String({ maxLength: 0 }),
      }),
    ],
    [
      'minimum, maximum, exclusive bounds and multipleOf',
      Type.Object({
        small: Type.Integer({ minimum: 5, maximum: 7 }),
        open: Type.Integer({ exclusiveMinimum: 0, exclusiveMaximum: 3 }),
        unit: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 }),
        sevens: Type.Integer({ multipleOf: 7, minimum: 100 }),
        halves: Type.Number({ multipleOf: 0.5, maximum: -10 }),
        cents: Type.Number({ multipleOf: 0.01, minimum: 0, maximum: 1 }),
        id: Type.Integer({ maximum: 10 }),
        negative: Type.Integer({ maximum: -5 }),
        i32: Type.Integer({ format: 'int32' }),
      }),
    ],
    [
      'min and max items, uniqueItems and tuples',
      Type.Object({
        few: Type.Array(Type.Integer({ minimum: 0, maximum: 3 }), { minItems: 2, maxItems: 4, uniqueItems: true }),
        many: Type.Array(Type.String(), { minItems: 5 }),
        none: Type.Array(Type.String(), { maxItems: 0 }),
        pair: Type.Tuple([Type.String(), Type.Number()]),
        colours: Type.Array(Type.Union([Type.Literal('red'), Type.Literal('green'), Type.Literal('blue')]), { uniqueItems: true, minItems: 3 }),
      }),
    ],
    [
      'required, optional and additionalProperties false',
      Type.Object(
        { a: Type.String(), b: Type.Optional(Type.Integer()), nested: Type.Object({ x: Type.Boolean() }, { additionalProperties: false }) },
        { additionalProperties: false },
      ),
    ],
    ['records', Type.Record(Type.String(), Type.Integer({ minimum: 1 }))],
    [
      'allOf of objects, closed or open',
      Type.Object({
        open: Type.Intersect([Type.Object({ a: Type.String() }), Type.Object({ b: Type.Integer({ minimum: 3 }) })]),
        closed: Type.Intersect([Type.Object({ a: Type.String() }), Type.Object({ b: Type.Integer() })], { unevaluatedProperties: false }),
        strings: Type.Intersect([Type.String({ minLength: 4 }), Type.String({ maxLength: 6, pattern: '^[a-c]+$' })]),
      }),
    ],
    [
      'oneOf with disjoint and overlapping alternatives',
      Type.Object({
        pet: OneOf([
          Type.Object({ kind: Type.Literal('cat'), lives: Type.Integer({ minimum: 1, maximum: 9 }) }),
          Type.Object({ kind: Type.Literal('dog'), barks: Type.Boolean() }),
        ]),
        overlap: OneOf([Type.Integer({ minimum: 0, maximum: 10 }), Type.Integer({ minimum: 5, maximum: 20 })]),
      }),
    ],
    ['anyOf', Type.Object({ contact: Type.Union([Type.String({ format: 'email' }), Type.Integer({ minimum: 1 })]), either: Type.Union([Type.Object({ a: Type.String() }), Type.Array(Type.Number())]) })],
    [
      'not',
      Type.Object({
        notAb: Type.Intersect([Type.String({ pattern: '^[ab]{1,2}$' }), Type.Not(Type.Literal('ab'))]),
        notString: Type.Not(Type.String()),
      }),
    ],
    ['nullable', Type.Object({ maybe: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]), count: Type.Union([Type.Integer(), Type.Null()]) })],
    ['self recursion with optional children', Type.Recursive((This) => Type.Object({ name: Type.String(), children: Type.Array(This) }))],
    ['required recursion ended by null', Type.Recursive((This) => Type.Object({ value: Type.Integer(), next: Type.Union([This, Type.Null()]) }))],
    [
      'recursion through references',
      Type.Ref('Node'),
      [Type.Object({ label: Type.String(), parent: Type.Optional(Type.Ref('Node')), kids: Type.Optional(Type.Array(Type.Ref('Node'))) }, { $id: 'Node' })],
    ],
    ['formats', Type.Object({ when: Type.String({ format: 'date-time' }), day: Type.String({ format: 'date' }), at: Type.String({ format: 'time' }), mail: Type.String({ format: 'email' }), link: Type.String({ format: 'uri' }), uid: Type.String({ format: 'uuid' }), v4: Type.String({ format: 'ipv4' }), v6: Type.String({ format: 'ipv6' }), host: Type.String({ format: 'hostname' }), blob: Type.String({ format: 'byte' }) })],
  ];
  for (const [label, schema, references] of cases) {
    it(`generates only valid values for ${label}`, () => {
      expect(invalidValues(schema, references ?? [])).toEqual([]);
    });
  }

  it('leaves optional properties out when the strategy says so, and stays valid', () => {
    const schema = Type.Object({ a: Type.Optional(Type.String()), b: Type.Optional(Type.Integer()), c: Type.Boolean() }, { additionalProperties: false });
    const options = { strategy: realisticStrategy({ optionalProbability: 0.5 }) };
    expect(invalidValues(schema, [], options)).toEqual([]);
    const generate = createGenerator(schema, [], options);
    const sizes = new Set(seeds.slice(0, 100).map((seed) => Object.keys(generate({ seed, now: NOW }) as object).length));
    expect([...sizes].sort()).toEqual([1, 2, 3]);
  });

  it('includes every optional property by default, for whole objects', () => {
    const schema = Type.Object({ a: Type.Optional(Type.String()), b: Type.Optional(Type.Integer()) });
    expect(sample(schema).every((v) => Object.keys(v as object).length === 2)).toBe(true);
  });

  it('produces both null and non-null values for a nullable property', () => {
    const values = sample(Type.Object({ maybe: Type.Union([Type.String(), Type.Null()]) })).map((v) => (v as { maybe: unknown }).maybe);
    expect(values.some((v) => v === null)).toBe(true);
    expect(values.some((v) => typeof v === 'string')).toBe(true);
  });

  it('picks the other alternative when a oneOf value would match both', () => {
    const values = sample(OneOf([Type.Integer({ minimum: 0, maximum: 10 }), Type.Integer({ minimum: 5, maximum: 20 })]), [], 300) as number[];
    expect(values.some((v) => v >= 5 && v <= 10)).toBe(false);
  });

  it('winds recursion down: trees stay shallow and finite', () => {
    const depth = (node: { children: unknown[] }): number => 1 + Math.max(0, ...node.children.map((c) => depth(c as { children: unknown[] })));
    const values = sample(Type.Recursive((This) => Type.Object({ name: Type.String(), children: Type.Array(This) })));
    for (const v of values) expect(depth(v as { children: unknown[] })).toBeLessThanOrEqual(5);
  });
});

describe('realistic values from names, formats and x-faker', () => {
  it('fills common property names with believable values', () => {
    const schema = Type.Object({
      email: Type.String(),
      first_name: Type.String(),
      lastName: Type.String(),
      username: Type.String(),
      company: Type.String(),
      channel: Type.String(),
      website: Type.String(),
      phone: Type.String(),
      country: Type.String(),
      city: Type.String(),
      zip: Type.String(),
      currency: Type.String(),
      locale: Type.String(),
      uuid: Type.String(),
      api_token: Type.String(),
      hash: Type.String(),
      color: Type.String(),
      created_at: Type.String(),
      updated_at: Type.String(),
      valid_from: Type.String({ format: 'date' }),
      valid_until: Type.String({ format: 'date' }),
      customer_id: Type.Integer(),
    });
    for (const v of sample(schema) as Record<string, any>[]) {
      expect(v.email).toMatch(/^[a-z0-9.]+@[a-z0-9.-]+\.[a-z]+$/);
      expect(v.email.split('@')[0]).toContain(v.first_name.toLowerCase().replace(/[^a-z0-9]/g, ''));
      expect(v.username).toMatch(/^[a-z0-9.]+$/);
      expect(v.channel.startsWith('#')).toBe(true);
      expect(() => new URL(v.website)).not.toThrow();
      expect(v.phone).toMatch(/^\+\d+ \d+ \d+$/);
      expect(v.zip).toMatch(/^\d{5}$/);
      expect(v.currency).toMatch(/^[A-Z]{3}$/);
      expect(v.locale).toMatch(/^[a-z]{2}_[A-Z]{2}$/);
      expect(v.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(v.api_token).toMatch(/^[A-Za-z0-9_-]{32,}$/);
      expect(v.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(v.color).toMatch(/^#[0-9a-f]{6}$/);
      expect(Date.parse(v.created_at)).toBeLessThanOrEqual(Date.parse(v.updated_at));
      expect(v.valid_from <= v.valid_until).toBe(true);
      expect(v.customer_id).toBeGreaterThan(0);
      for (const word of [v.country, v.city, v.company, v.first_name, v.lastName]) expect(word.length).toBeGreaterThan(1);
    }
  });

  it('orders start before end and *_from before *_to for every seed', () => {
    const schema = Type.Object({
      end: Type.String({ format: 'date-time' }),
      start: Type.String({ format: 'date-time' }),
      date_from: Type.String({ format: 'date-time' }),
      date_to: Type.String({ format: 'date-time' }),
      createdAt: Type.Integer(),
      updatedAt: Type.Integer(),
    });
    const generate = createGenerator(schema, []);
    for (const seed of seeds) {
      const v = generate({ seed, now: NOW }) as Record<string, any>;
      expect(v.start <= v.end).toBe(true);
      expect(v.date_from <= v.date_to).toBe(true);
      expect(v.createdAt).toBeLessThanOrEqual(v.updatedAt);
      expect(v.createdAt * 1000).toBeGreaterThanOrEqual(NOW - 30 * DAY);
      expect(v.updatedAt * 1000).toBeLessThanOrEqual(NOW);
    }
  });

  it('honours x-faker as a method path or as a method with arguments', () => {
    const schema = Type.Object({
      foo: Type.String({ 'x-faker': 'location.zipCode' }),
      bar: Type.String({ 'x-faker': { 'helpers.arrayElement': [['red', 'green']] } }),
      baz: Type.Integer({ 'x-faker': { 'number.int': [{ min: 500, max: 510 }] } }),
      when: Type.String({ format: 'date-time', 'x-faker': 'date.recent' }),
    });
    expect(invalidValues(schema)).toEqual([]);
    for (const v of sample(schema) as Record<string, any>[]) {
      expect(v.foo).toMatch(/^\d{5}(-\d{4})?$/);
      expect(['red', 'green']).toContain(v.bar);
      expect(v.baz).toBeGreaterThanOrEqual(500);
      expect(v.baz).toBeLessThanOrEqual(510);
      expect(Date.parse(v.when)).toBeLessThanOrEqual(NOW);
      expect(Date.parse(v.when)).toBeGreaterThan(NOW - 30 * DAY);
    }
  });

  it('falls back to a valid value when the x-faker output breaks the schema', () => {
    expect(invalidValues(Type.Object({ foo: Type.String({ 'x-faker': 'lorem.paragraph', maxLength: 4 }) }))).toEqual([]);
  });
});

describe('schemas no value satisfies', () => {
  it('still compile: the generator names the problem and returns a valid example or default, else null or the closest candidate', () => {
    for (const schema of [
      Type.String({ minLength: 5, maxLength: 2 }),
      Type.Integer({ minimum: 1.2, maximum: 1.8 }),
      Type.Recursive((This) => Type.Object({ next: This })),
      Type.Never(),
    ]) {
      const generate = createGenerator(schema, []);
      expect(generate.problem).toEqual(expect.any(String));
      expect(() => generate({ seed: 1, now: NOW })).not.toThrow();
    }
    expect(createGenerator(Type.Never(), [])({ seed: 1, now: NOW })).toBeNull();
    // A check the walker cannot construct values for: the spec example is what is left.
    TypeRegistry.Set('TestMagic', (_schema, value) => value === 'magic');
    const magic = { [Kind]: 'TestMagic', type: 'string', example: 'magic' } as unknown as TSchema;
    const generate = createGenerator(magic, []);
    expect(generate.problem).toBeUndefined();
    expect(generate({ seed: 3, now: NOW })).toBe('magic');
  });

  it('leaves out an optional property no value satisfies, and keeps the rest valid', () => {
    const schema = Type.Object({ id: Type.Integer(), never: Type.Optional(Type.Never()) });
    expect(invalidValues(schema)).toEqual([]);
    expect(createGenerator(schema, []).problem).toBeUndefined();
  });

  it('fails at compile time with a coded error for a wrong x-faker method or a missing reference', () => {
    expectCoded(() => createGenerator(Type.String({ 'x-faker': 'nope.nothing' }), []), 'IWKIT_ERR_SCHEMA_UNSUPPORTED');
    expectCoded(() => createGenerator(Type.Ref('Missing'), []), 'IWKIT_ERR_SCHEMA_UNSUPPORTED');
  });
});
