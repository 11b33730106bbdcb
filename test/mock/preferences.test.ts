import { describe, expect, it } from 'vitest';
import { parsePreferences } from '../../src/mock/preferences.js';

describe('parsePreferences', () => {
  it('reads code, example, dynamic and seed from a Prefer header', () => {
    const { preferences, errors } = parsePreferences('code=401, example="missing-2fa"; dynamic=false, seed=12', {});
    expect(errors).toEqual([]);
    expect(preferences).toEqual({ code: '401', example: 'missing-2fa', dynamic: false, seed: 12 });
  });

  it('falls back to the __ query keys and lets the header win', () => {
    const { preferences } = parsePreferences('example=vpn', { __example: 'google', __code: '200', __seed: ['4', '5'] });
    expect(preferences).toEqual({ example: 'vpn', code: '200', seed: 4 });
  });

  it('ignores Prefer tokens that belong to other tools', () => {
    expect(parsePreferences('return=minimal, respond-async', {}).preferences).toEqual({});
  });

  it('reports values it cannot use instead of guessing', () => {
    const { errors } = parsePreferences('code=abc, dynamic=maybe', { __seed: 'x' });
    expect(errors.map((e) => `${e.in}:${e.pointer}`)).toEqual(['query:/__seed', 'header:/prefer', 'header:/prefer']);
  });
});
