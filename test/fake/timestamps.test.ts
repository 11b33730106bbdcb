import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, timestampWindowStart, TIMESTAMP_WINDOW_MS } from '../../src/fake/timestamps.js';
import { SeededRandomizer } from '../../src/fake/seeded-randomizer.js';

describe('formatDateTime', () => {
  it('agrees with Date#toISOString (to the second) across 1970..9999, leap days included', () => {
    const rng = new SeededRandomizer(11);
    const instants = [0, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2000, 1, 29), Date.UTC(2100, 2, 1), Date.UTC(9999, 11, 31, 23, 59, 59)];
    for (let i = 0; i < 5000; i++) instants.push(rng.int(0, Date.UTC(9999, 11, 31)));
    for (const ms of instants) {
      const iso = new Date(Math.floor(ms / 1000) * 1000).toISOString();
      expect(formatDateTime(ms)).toBe(`${iso.slice(0, 19)}Z`);
      expect(formatDate(ms)).toBe(iso.slice(0, 10));
    }
  });

  it('starts the timestamp window on a whole second no more than the window before now', () => {
    const now = Date.UTC(2025, 4, 4, 9, 42, 0, 123);
    const start = timestampWindowStart(now);
    expect(start % 1000).toBe(0);
    expect(start).toBeGreaterThanOrEqual(now - TIMESTAMP_WINDOW_MS);
    expect(start).toBeLessThan(now);
  });
});
