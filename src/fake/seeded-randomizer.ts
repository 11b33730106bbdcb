import type { Randomizer } from '@faker-js/faker';

// Faker's default Mersenne Twister costs microseconds to re-seed, and the mock re-seeds once per
// request; sfc32 keeps four 32-bit words of state, so seed() is a handful of integer operations.

/** A Faker Randomizer backed by sfc32, with an O(1) `seed()` and integer helpers for the generator. */
export class SeededRandomizer implements Randomizer {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 1;

  constructor(seed: number | number[] = 0) {
    // Faker calls next() detached from the randomizer, so it must not depend on `this` binding.
    this.next = this.next.bind(this);
    this.seed = this.seed.bind(this);
    this.seed(seed);
  }

  /** Resets the state from a number (any finite value, fractions and large values included) or several numbers. */
  seed(seed: number | number[]): void {
    const words = Array.isArray(seed) ? seed : [seed];
    let lo = 0x9e3779b9;
    let hi = 0x85ebca6b;
    for (const word of words) {
      const value = Number.isFinite(word) ? word : 0;
      const low = value >>> 0;
      const high = Math.floor(value / 4294967296) >>> 0;
      // Keep the fractional part too, so 1.5 and 1 are different seeds.
      const frac = Math.floor((value - Math.floor(value)) * 4294967296) >>> 0;
      lo = Math.imul(lo ^ low, 0x85ebca6b) ^ frac;
      hi = Math.imul(hi ^ high, 0xc2b2ae35) + (lo >>> 13);
    }
    this.a = lo;
    this.b = hi;
    this.c = 0x6a09e667;
    this.d = 1;
    // Mixing rounds spread the seed over all four words before the first draw.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** Next uniformly distributed 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [min, max] (both inclusive, both safe integers, min <= max). */
  int(min: number, max: number): number {
    const span = max - min + 1;
    if (span <= 4294967296) return min + Math.floor(this.next() * span);
    // Wide ranges need more than 32 bits of randomness.
    const wide = this.nextUint32() * 2097152 + (this.nextUint32() >>> 11);
    return min + Math.floor((wide / 9007199254740992) * span);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}
