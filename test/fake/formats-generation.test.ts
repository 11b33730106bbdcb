import { describe, expect, it } from 'vitest';
import { createGenerator } from '../../src/fake/create-generator.js';
import { edgeProfiles } from '../../src/fake/edge-profiles.js';
import { stringFormats } from '../../src/openapi/formats.js';
import { schemaToTypeBox } from '../../src/openapi/schema-to-typebox.js';
import { independentAjv } from '../openapi/independent-ajv.js';

const NOW = Date.UTC(2025, 4, 4, 9, 42, 0);
const SEEDS = Array.from({ length: 200 }, (_, i) => i * 31 + 1);
const NUMBER_FORMATS: [string, string][] = [['integer', 'int32'], ['integer', 'int64'], ['number', 'float'], ['number', 'double']];
const profiles = [undefined, ...edgeProfiles];

describe('generated formats', () => {
  it.each(Object.keys(stringFormats))('format %s: every generated string is valid for ajv-formats, realistic and under every edge profile', (format) => {
    const raw = { type: 'object', properties: { value: { type: 'string', format } }, required: ['value'] };
    const judge = independentAjv().compile(raw);
    for (const profile of profiles) {
      const generate = createGenerator(schemaToTypeBox(raw), [], profile ? { profile } : {});
      const bad = SEEDS.map((seed) => generate({ seed, now: NOW })).filter((value) => !judge(value));
      expect({ profile, bad: bad.slice(0, 3) }).toEqual({ profile, bad: [] });
    }
  });

  it.each(NUMBER_FORMATS)('%s format %s: every generated number is valid for ajv-formats', (type, format) => {
    const raw = { type, format };
    const judge = independentAjv().compile(raw);
    for (const profile of profiles) {
      const generate = createGenerator(schemaToTypeBox(raw), [], profile ? { profile } : {});
      expect(SEEDS.map((seed) => generate({ seed, now: NOW })).filter((value) => !judge(value))).toEqual([]);
    }
  });

  it('makes uri values absolute http(s) URLs', () => {
    const generate = createGenerator(schemaToTypeBox({ type: 'string', format: 'uri' }), []);
    for (const seed of SEEDS) expect(generate({ seed, now: NOW })).toMatch(/^https?:\/\/[^\s/]+/);
  });
});
