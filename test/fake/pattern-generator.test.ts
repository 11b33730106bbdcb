import { describe, expect, it } from 'vitest';
import { compilePattern } from '../../src/fake/pattern-generator.js';
import { SeededRandomizer } from '../../src/fake/seeded-randomizer.js';

describe('compilePattern', () => {
  const patterns = [
    '^[A-Z]{2}-\\d{4}$',
    '^(foo|bar)baz[0-9]?$',
    '^\\w+@\\w+\\.com$',
    '^[^@\\s]+$',
    '^(?:\\+49|0)[1-9]\\d{6,10}$',
    '^[a-f0-9]{8}(-[a-f0-9]{4}){3}-[a-f0-9]{12}$',
    '^(?<year>\\d{4})-(0[1-9]|1[0-2])$',
    '^[\\x41-\\x43\\u0044]+$',
    'v\\d+\\.\\d+',
    '^.{3,5}$',
    '^[-a-z]{5}$',
  ];

  it.each(patterns)('generates strings that match %s for 500 seeds', (pattern) => {
    const generate = compilePattern(pattern)!;
    const regex = new RegExp(pattern);
    const rng = new SeededRandomizer();
    const misses: string[] = [];
    for (let seed = 0; seed < 500; seed++) {
      rng.seed(seed);
      const value = generate(rng, 8);
      if (!regex.test(value)) misses.push(value);
    }
    expect(misses).toEqual([]);
  });

  it('declines back-references, which it cannot generate', () => {
    expect(compilePattern('^(a)\\1$')).toBeUndefined();
  });

  it('reads lookarounds and word boundaries as empty, so candidates come from the rest of the pattern', () => {
    const generate = compilePattern('^(?!--)\\b[a-z]{3}(?<=[a-z])$')!;
    const rng = new SeededRandomizer(5);
    for (let i = 0; i < 50; i++) expect(generate(rng, 8)).toMatch(/^[a-z]{3}$/);
  });

  it('lets unbounded quantifiers reach further with a larger span', () => {
    const generate = compilePattern('^a+$')!;
    const rng = new SeededRandomizer(3);
    const lengths = Array.from({ length: 200 }, () => generate(rng, 40).length);
    expect(Math.max(...lengths)).toBeGreaterThan(20);
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(1);
  });
});
