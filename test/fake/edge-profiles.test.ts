import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Type, type TSchema } from '@sinclair/typebox';
import { beforeAll, describe, expect, it } from 'vitest';
import { isToolkitError } from '../../src/errors.js';
import { createGenerator } from '../../src/fake/create-generator.js';
import { boundaryDateTimes, edgeProfiles, parseEdgeProfiles, type EdgeProfile } from '../../src/fake/edge-profiles.js';
import { edgeStrategy } from '../../src/fake/edge-strategy.js';
import type { Api } from '../../src/openapi/api-model.js';
import { compileValidator } from '../../src/openapi/compile-validator.js';
import { isDateTime } from '../../src/openapi/formats.js';
import { loadApi } from '../../src/openapi/load-api.js';

const NOW = Date.UTC(2025, 4, 4, 9, 42, 0);
const seeds = (count: number): number[] => Array.from({ length: count }, (_, i) => i * 7919 + 1);
const NON_ASCII = /[^\x00-\x7f]/;

/** Values of `count` seeds that the compiled schema rejects, with the first issue of each. */
function invalidValues(schema: TSchema, references: TSchema[], profile: EdgeProfile, count: number): unknown[] {
  const generate = createGenerator(schema, references, { profile });
  const validator = compileValidator(schema, references);
  const bad: unknown[] = [];
  for (const seed of seeds(count)) {
    const value = generate({ seed, now: NOW });
    if (!validator.check(value)) bad.push({ profile, seed, issues: validator.errors(value).slice(0, 3) });
  }
  return bad;
}

function sample<T = Record<string, any>>(schema: TSchema, profile: EdgeProfile, count = 50, references: TSchema[] = []): T[] {
  const generate = createGenerator(schema, references, { profile });
  return seeds(count).map((seed) => generate({ seed, now: NOW }) as T);
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isToolkitError(error) ? error.code : 'not a toolkit error';
  }
  return undefined;
}

const handWritten: [string, TSchema, TSchema[]?][] = [
  [
    'patterns and lengths',
    Type.Object({
      plate: Type.String({ pattern: '^[A-Z]{2}-\\d{4}$' }),
      word: Type.String({ pattern: '^(foo|bar)baz[0-9]?$' }),
      letters: Type.String({ pattern: '^[a-z]+$', minLength: 3, maxLength: 30 }),
      anyChars: Type.String({ pattern: '^.{3,20}$' }),
      notSpace: Type.String({ pattern: '^\\S+$', maxLength: 12 }),
      bounded: Type.String({ minLength: 2, maxLength: 40 }),
      exact: Type.String({ minLength: 5, maxLength: 5 }),
      free: Type.String(),
      code: Type.String(),
      tiny: Type.String({ maxLength: 3 }),
    }),
  ],
  [
    'formats',
    Type.Object({
      mail: Type.String({ format: 'email' }),
      shortMail: Type.String({ format: 'email', maxLength: 40 }),
      link: Type.String({ format: 'uri' }),
      uid: Type.String({ format: 'uuid' }),
      v4: Type.String({ format: 'ipv4' }),
      v6: Type.String({ format: 'ipv6' }),
      host: Type.String({ format: 'hostname' }),
      blob: Type.String({ format: 'byte' }),
      at: Type.String({ format: 'time' }),
      day: Type.String({ format: 'date' }),
      when: Type.String({ format: 'date-time' }),
      patterned: Type.String({ format: 'date-time', pattern: 'Z$' }),
    }),
  ],
  [
    'numbers',
    Type.Object({
      small: Type.Integer({ minimum: 5, maximum: 7 }),
      open: Type.Integer({ exclusiveMinimum: 0, exclusiveMaximum: 3 }),
      unit: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 }),
      sevens: Type.Integer({ multipleOf: 7, minimum: 100 }),
      halves: Type.Number({ multipleOf: 0.5, maximum: -10 }),
      cents: Type.Number({ multipleOf: 0.01, minimum: 0, maximum: 1 }),
      i32: Type.Integer({ format: 'int32' }),
      i64: Type.Integer({ format: 'int64' }),
      f32: Type.Number({ format: 'float' }),
      negative: Type.Integer({ maximum: -5 }),
      id: Type.Integer(),
    }),
  ],
  [
    'arrays, enums and optional properties',
    Type.Object(
      {
        few: Type.Array(Type.Integer({ minimum: 0, maximum: 3 }), { minItems: 2, maxItems: 4, uniqueItems: true }),
        many: Type.Array(Type.Integer(), { minItems: 1 }),
        tags: Type.Array(Type.String({ maxLength: 8 })),
        colours: Type.Array(Type.Union([Type.Literal('red'), Type.Literal('green'), Type.Literal('blue')]), { uniqueItems: true }),
        status: Type.Union([Type.Literal('ok'), Type.Literal('pending'), Type.Literal('x')]),
        level: Type.Union([Type.Literal(1), Type.Literal(10), Type.Literal(5)]),
        note: Type.Optional(Type.String()),
        count: Type.Optional(Type.Integer({ minimum: 1, maximum: 9 })),
      },
      { additionalProperties: false },
    ),
  ],
  [
    'nullables at every depth',
    Type.Object({
      name: Type.Union([Type.String(), Type.Null()]),
      when: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
      nested: Type.Object({ n: Type.Union([Type.Integer(), Type.Null()]), tags: Type.Array(Type.Union([Type.String(), Type.Null()]), { minItems: 1 }) }),
      maybe: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
    }),
  ],
  [
    'allOf and anyOf',
    Type.Object({
      merged: Type.Intersect([Type.Object({ a: Type.String({ maxLength: 10 }) }), Type.Object({ b: Type.Integer({ minimum: 3, maximum: 30 }) })]),
      strings: Type.Intersect([Type.String({ minLength: 4 }), Type.String({ maxLength: 6, pattern: '^[a-c]+$' })]),
      either: Type.Union([Type.Object({ kind: Type.Literal('cat'), lives: Type.Integer({ minimum: 1, maximum: 9 }) }), Type.Array(Type.Number({ maximum: 2 }), { maxItems: 3 })]),
    }),
  ],
  ['recursion ended by null', Type.Recursive((This) => Type.Object({ value: Type.Integer(), next: Type.Union([This, Type.Null()]) }))],
  [
    'recursion through references',
    Type.Ref('Node'),
    [Type.Object({ label: Type.String(), created: Type.String({ format: 'date-time' }), updated: Type.String({ format: 'date-time' }), kids: Type.Optional(Type.Array(Type.Ref('Node'))) }, { $id: 'Node' })],
  ],
];

describe('edge profiles keep every value schema-valid', () => {
  let login: { api: Api; request: TSchema; session: TSchema };
  beforeAll(async () => {
    const api = await loadApi('schema/openapi.yaml');
    const op = api.operations.find((o) => o.operationId === 'instagramLogin')!;
    login = { api, request: op.requestBody!.content[0].schema, session: op.responses[0].content[0].schema };
  });

  it.each(edgeProfiles)('%s: the login request and Session are valid for 300 seeds', (profile) => {
    expect(invalidValues(login.request, login.api.references, profile, 300)).toEqual([]);
    expect(invalidValues(login.session, login.api.references, profile, 300)).toEqual([]);
  });

  it.each(edgeProfiles)('%s: hand-written schemas (patterns, formats, bounds, enums, nullables, allOf, recursion) are valid for 300 seeds', (profile) => {
    const bad = handWritten.flatMap(([label, schema, refs]) => invalidValues(schema, refs ?? [], profile, 300).map((b) => ({ label, b })));
    expect(bad).toEqual([]);
  });

  const specs = ['test/specs/petstore-3.0.yaml', 'test/specs/kitchen-sink-3.1.yaml', 'test/specs/library-3.1/openapi.yaml', 'test/specs/things-3.1.yaml'];
  it('covers every spec of the project (none left out)', () => {
    const found: string[] = [];
    for (const entry of readdirSync('test/specs')) {
      const path = join('test/specs', entry);
      if (entry === 'broken') continue;
      if (statSync(path).isDirectory()) found.push(...readdirSync(path).filter((f) => f === 'openapi.yaml').map((f) => join(path, f)));
      else if (/\.ya?ml$/.test(entry)) found.push(path);
    }
    expect(found.sort()).toEqual([...specs].sort());
  });

  it.each(specs)('%s: every body of every profile is valid for 40 seeds and under 1 MB', async (spec) => {
    const api = await loadApi(spec);
    const bodies = new Map<string, TSchema>();
    for (const op of api.operations) {
      for (const body of [...op.responses.flatMap((r) => r.content), ...(op.requestBody?.content ?? [])]) bodies.set(JSON.stringify(body.schema), body.schema);
    }
    const failures: unknown[] = [];
    let largest = 0;
    for (const profile of edgeProfiles) {
      for (const schema of bodies.values()) {
        const generate = createGenerator(schema, api.references, { profile });
        const validator = compileValidator(schema, api.references);
        for (const seed of seeds(40)) {
          const value = generate({ seed, now: NOW });
          largest = Math.max(largest, Buffer.byteLength(JSON.stringify(value) ?? ''));
          if (!validator.check(value)) {
            failures.push({ profile, seed, issues: validator.errors(value).slice(0, 3) });
            break;
          }
        }
      }
    }
    expect(bodies.size).toBeGreaterThan(0);
    expect(failures).toEqual([]);
    expect(largest).toBeLessThan(1024 * 1024);
  });
});

describe('each profile reaches its edge', () => {
  const [, strings] = handWritten[0];
  const [, formats] = handWritten[1];
  const [, numbers] = handWritten[2];
  const [, collections] = handWritten[3];
  const [, nullables] = handWritten[4];

  it('max hits maxLength, 10,000 characters when unbounded, and the longest a pattern allows', () => {
    for (const v of sample(strings, 'max')) {
      expect(v.letters).toMatch(/^[a-z]{30}$/);
      expect(v.bounded).toHaveLength(40);
      expect(v.exact).toHaveLength(5);
      expect(v.notSpace).toHaveLength(12);
      expect(v.anyChars).toHaveLength(20);
      expect(v.free).toHaveLength(10_000);
      expect(v.code).toHaveLength(10_000);
      expect(v.tiny).toHaveLength(3);
    }
    for (const v of sample(formats, 'max')) {
      expect(v.mail).toHaveLength(254);
      expect(v.shortMail).toHaveLength(40);
      expect(v.uid).toBe('ffffffff-ffff-ffff-ffff-ffffffffffff');
      expect(v.v4).toBe('255.255.255.255');
      expect(v.host).toHaveLength(253);
    }
  });

  it('max hits maximum, the int32 bound, the float32 bound and the safe-integer bound', () => {
    for (const v of sample(numbers, 'max')) {
      expect(v).toMatchObject({ small: 7, open: 2, halves: -10, i32: 2 ** 31 - 1, i64: Number.MAX_SAFE_INTEGER, f32: 3.4028234663852886e38, negative: -5, id: Number.MAX_SAFE_INTEGER });
      expect(v.unit).toBeLessThan(1);
      expect(v.unit).toBeGreaterThan(0.999999);
      // TypeBox tests multipleOf as `value % m === 0` in floating point, so 1 is no multiple of 0.01 for it.
      expect(v.cents).toBeGreaterThan(0.5);
      expect(v.cents).toBeLessThanOrEqual(1);
      expect(v.sevens % 7).toBe(0);
      expect(v.sevens).toBeGreaterThan(Number.MAX_SAFE_INTEGER - 7);
    }
  });

  it('max fills maxItems, makes unbounded arrays large, takes the largest enum value and every optional property', () => {
    for (const v of sample(collections, 'max')) {
      expect(v.few).toHaveLength(4);
      expect(v.many).toHaveLength(100);
      expect(v.tags.every((t: string) => t.length === 8)).toBe(true);
      expect(v.colours).toHaveLength(3);
      expect(v).toMatchObject({ status: 'pending', level: 10, count: 9 });
      expect(v.note).toHaveLength(10_000);
    }
  });

  it('min hits minLength (empty where allowed), minimum (0 when unbounded), minItems and leaves optional properties out', () => {
    for (const v of sample(strings, 'min')) {
      expect(v).toMatchObject({ free: '', code: '', tiny: '' });
      expect(v.letters).toMatch(/^[a-z]{3}$/);
      expect(v.word).toMatch(/^(foo|bar)baz$/);
      expect(v.anyChars).toHaveLength(3);
      expect(v.bounded).toHaveLength(2);
    }
    for (const v of sample(formats, 'min')) expect(v).toMatchObject({ mail: 'a@b.co', uid: '00000000-0000-0000-0000-000000000000', v4: '0.0.0.0', v6: '::', blob: '' });
    for (const v of sample(numbers, 'min')) {
      expect(v).toMatchObject({ small: 5, open: 1, sevens: 105, halves: -10, cents: 0, i32: 0, i64: 0, f32: 0, negative: -5, id: 0 });
      expect(v.unit).toBeGreaterThan(0);
      expect(v.unit).toBeLessThan(0.000001);
    }
    for (const v of sample(collections, 'min')) {
      expect(v).toEqual({ few: [v.few[0], v.few[1]], many: [0], tags: [], colours: [], status: 'x', level: 1 });
      expect(v.few[0]).not.toBe(v.few[1]);
    }
  });

  it('nulls makes every nullable value null, optional ones included, and keeps the rest', () => {
    for (const v of sample(nullables, 'nulls')) {
      expect(v).toMatchObject({ name: null, when: null, nested: { n: null }, maybe: null });
      expect(v.nested.tags.length).toBeGreaterThan(0);
      expect(v.nested.tags.every((t: unknown) => t === null)).toBe(true);
    }
    const chain = sample(handWritten[6][1], 'nulls');
    for (const v of chain) expect(v.next).toBeNull();
  });

  it('dates writes only boundary instants, reaches all of them with +14:00 and -12:00 offsets, and keeps created ≤ updated', () => {
    const instants = new Set(boundaryDateTimes.map((b) => b.at));
    const seenTexts = new Set<string>();
    const seenDays = new Set<string>();
    const nodes = sample(handWritten[7][1], 'dates', 200, handWritten[7][2]);
    const walk = (node: Record<string, any>): void => {
      for (const t of [node.created, node.updated]) {
        expect(isDateTime(t)).toBe(true);
        expect(instants.has(Date.parse(t))).toBe(true);
        seenTexts.add(t);
      }
      expect(Date.parse(node.created)).toBeLessThanOrEqual(Date.parse(node.updated));
      for (const kid of node.kids ?? []) walk(kid);
    };
    nodes.forEach(walk);
    for (const v of sample(formats, 'dates', 200)) seenDays.add(v.day);
    expect([...seenTexts].sort()).toEqual(boundaryDateTimes.flatMap((b) => b.texts).sort());
    expect([...seenDays].sort()).toEqual(['1970-01-01', '2000-02-29', '2024-02-29', '2038-01-19', '9999-12-31']);
  });

  it('unicode puts non-ASCII and markup-looking text into free strings while emails, URIs and patterns stay valid', () => {
    const values = sample(strings, 'unicode', 100);
    expect(values.every((v) => NON_ASCII.test(v.free) && NON_ASCII.test(v.code))).toBe(true);
    expect(values.some((v) => /<script>|DROP TABLE|' OR '1'='1|<img/.test(v.free))).toBe(true);
    expect(values.some((v) => /[\u0590-\u06ff]/.test(v.free))).toBe(true);
    expect(values.some((v) => /\u200b|\u200d|\ufeff/.test(v.free))).toBe(true);
    expect(values.some((v) => NON_ASCII.test(v.anyChars) && NON_ASCII.test(v.notSpace))).toBe(true);
    expect(values.every((v) => /^[A-Z]{2}-\d{4}$/.test(v.plate))).toBe(true);
    for (const v of sample(formats, 'unicode', 20)) {
      expect(v.mail).toBe("o'reilly+test&x=1@xn--bcher-kva.example");
      expect(() => new URL(v.link)).not.toThrow();
    }
  });

  it('random mixes the edges, seed by seed, and repeats itself for the same seed', () => {
    const values = sample(strings, 'random', 200);
    expect(values.some((v) => v.free.length === 10_000)).toBe(true);
    expect(values.some((v) => v.free === '')).toBe(true);
    expect(values.some((v) => NON_ASCII.test(v.free))).toBe(true);
    expect(sample(nullables, 'random', 100).some((v) => v.name === null) && sample(nullables, 'random', 100).some((v) => typeof v.name === 'string')).toBe(true);
    expect(JSON.stringify(sample(strings, 'random', 20))).toBe(JSON.stringify(sample(strings, 'random', 20)));
  });

  it('gives the same value for the same seed under every profile, from separately compiled generators', () => {
    for (const profile of edgeProfiles) {
      const a = createGenerator(collections, [], { profile });
      const b = createGenerator(collections, [], { strategy: edgeStrategy(profile) });
      for (const seed of [1, 42, 2 ** 33]) expect(JSON.stringify(b({ seed, now: NOW }))).toBe(JSON.stringify(a({ seed, now: NOW })));
    }
  });

  it('keeps the default generator realistic when no profile is given', () => {
    const v = createGenerator(strings, [])({ seed: 3, now: NOW }) as Record<string, string>;
    expect(v.free.length).toBeLessThan(100);
    expect(NON_ASCII.test(v.free)).toBe(false);
  });
});

describe('choosing a profile', () => {
  it('parses comma-separated names, keeping order and dropping duplicates', () => {
    expect(parseEdgeProfiles('max, min,max')).toEqual(['max', 'min']);
    expect(parseEdgeProfiles(['nulls'])).toEqual(['nulls']);
  });

  it('rejects an unknown or empty profile list, a profile with a strategy, and bad limits with IWKIT_ERR_OPTION_INVALID', () => {
    expect(codeOf(() => parseEdgeProfiles('max,huge'))).toBe('IWKIT_ERR_OPTION_INVALID');
    expect(codeOf(() => parseEdgeProfiles(' , '))).toBe('IWKIT_ERR_OPTION_INVALID');
    expect(codeOf(() => edgeStrategy('huge' as EdgeProfile))).toBe('IWKIT_ERR_OPTION_INVALID');
    expect(codeOf(() => edgeStrategy('max', { longString: -1 }))).toBe('IWKIT_ERR_OPTION_INVALID');
    expect(codeOf(() => createGenerator(Type.String(), [], { profile: 'nope' as EdgeProfile }))).toBe('IWKIT_ERR_OPTION_INVALID');
    expect(codeOf(() => createGenerator(Type.String(), [], { profile: 'max', strategy: edgeStrategy('min') }))).toBe('IWKIT_ERR_OPTION_INVALID');
  });

  it('bounds max by its options: longString, longArray and the per-value budget', () => {
    const schema = Type.Object({ items: Type.Array(Type.String()), text: Type.String() });
    const short = createGenerator(schema, [], { strategy: edgeStrategy('max', { longString: 50, longArray: 7 }) })({ seed: 1, now: NOW }) as { items: string[]; text: string };
    expect(short.items).toHaveLength(7);
    expect(short.items.every((s) => s.length === 50)).toBe(true);
    expect(short.text).toHaveLength(50);
    const tight = createGenerator(schema, [], { strategy: edgeStrategy('max', { budget: 25_000 }) })({ seed: 1, now: NOW }) as { items: string[]; text: string };
    expect(tight.items.length).toBeLessThan(5);
  });
});
