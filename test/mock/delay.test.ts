import { describe, expect, it } from 'vitest';
import { chooseDelay, delayFrom, delayPriority } from '../../src/mock/delay.js';

const fixed = (ms: number) => ({ min: ms, max: ms });

describe('delay priority', () => {
  it('prefers the rule’s delay, then the request’s, then the server’s', () => {
    expect(delayPriority).toEqual(['rule', 'request', 'server']);
    expect(delayFrom(Math.random, { rule: fixed(1), request: fixed(2), server: fixed(3) })).toBe(1);
    expect(delayFrom(Math.random, { request: fixed(2), server: fixed(3) })).toBe(2);
    expect(delayFrom(Math.random, { server: fixed(3) })).toBe(3);
    expect(delayFrom(Math.random, {})).toBe(0);
  });

  it('draws from a range with the random source given', () => {
    expect(chooseDelay(() => 0.999, { min: 10, max: 20 })).toBe(20);
    expect(chooseDelay(() => 0, undefined, { min: 10, max: 20 })).toBe(10);
  });
});
