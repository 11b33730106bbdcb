import { describe, expect, it } from 'vitest';
import { delayFromValue, parseDelay, pickDelay } from '../../src/mock/delay.js';
import { parsePreferences } from '../../src/mock/preferences.js';

describe('delays', () => {
  it('reads fixed delays and ranges and refuses what it cannot honour', () => {
    expect(parseDelay('800')).toEqual({ min: 800, max: 800 });
    expect(parseDelay(' 200 - 800 ')).toEqual({ min: 200, max: 800 });
    expect(parseDelay('800-200')).toMatch(/low to high/);
    expect(parseDelay('fast')).toMatch(/milliseconds/);
    expect(parseDelay('999999')).toMatch(/at most/);
    expect(delayFromValue([100, 300])).toEqual({ min: 100, max: 300 });
    expect(delayFromValue(-1)).toMatch(/non-negative/);
  });

  it('draws a delay inside its range', () => {
    const picks = [0, 0.5, 0.999].map((r) => pickDelay({ min: 200, max: 800 }, () => r));
    expect(picks).toEqual([200, 500, 800]);
  });
});

describe('scripting preferences', () => {
  it('reads delay= from Prefer and __delay from the query', () => {
    expect(parsePreferences('delay=800', {}).preferences.delay).toEqual({ min: 800, max: 800 });
    expect(parsePreferences(undefined, { __delay: '10-20' }).preferences.delay).toEqual({ min: 10, max: 20 });
    expect(parsePreferences('delay=soon', {}).errors).toEqual([expect.objectContaining({ in: 'header', pointer: '/prefer' })]);
  });

  it('takes the iwkit-scenario cookie as example= and lets the query and the header win over it', () => {
    expect(parsePreferences(undefined, {}, 'missing-2fa').preferences).toEqual({ example: 'missing-2fa', fromCookie: true });
    expect(parsePreferences(undefined, { __example: 'vpn' }, 'missing-2fa').preferences).toEqual({ example: 'vpn' });
    expect(parsePreferences('example=dg', {}, 'missing-2fa').preferences).toEqual({ example: 'dg' });
  });
});
