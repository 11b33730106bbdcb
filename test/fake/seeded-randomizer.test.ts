import { Faker, base, en } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { SeededRandomizer } from '../../src/fake/seeded-randomizer.js';

describe('SeededRandomizer', () => {
  it('repeats the same sequence for the same seed, and differs for nearby seeds', () => {
    const draw = (seed: number | number[]) => {
      const rng = new SeededRandomizer(seed);
      return Array.from({ length: 8 }, () => rng.next());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(1)).not.toEqual(draw(1.5));
    expect(draw(2 ** 40)).not.toEqual(draw(0));
    expect(draw([7, 1])).not.toEqual(draw([7, 2]));
  });

  it('draws floats in [0, 1) and integers within inclusive bounds, wide ranges included', () => {
    const rng = new SeededRandomizer(5);
    const small = new Set<number>();
    let bad = 0;
    for (let i = 0; i < 10_000; i++) {
      const f = rng.next();
      const n = rng.int(-3, 3);
      const w = rng.int(0, Number.MAX_SAFE_INTEGER);
      small.add(n);
      if (!(f >= 0 && f < 1) || !Number.isInteger(n) || !(w >= 0 && w <= Number.MAX_SAFE_INTEGER && Number.isInteger(w))) bad++;
    }
    expect(bad).toBe(0);
    expect([...small].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
  });

  it('makes a Faker instance deterministic when re-seeded, even though Faker calls next() detached', () => {
    const randomizer = new SeededRandomizer();
    const faker = new Faker({ locale: [en, base], randomizer });
    faker.seed(9);
    const first = [faker.person.fullName(), faker.location.zipCode(), faker.internet.email()];
    faker.seed(9);
    expect([faker.person.fullName(), faker.location.zipCode(), faker.internet.email()]).toEqual(first);
  });
});
