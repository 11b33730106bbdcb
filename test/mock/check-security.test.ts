import { describe, expect, it } from 'vitest';
import { checkSecurity, type CredentialSource } from '../../src/mock/check-security.js';
import type { SecurityRequirement } from '../../src/openapi/api-model.js';

const source = (parts: Partial<CredentialSource>): CredentialSource => ({ headers: {}, query: {}, cookies: {}, ...parts });
const apiKey: SecurityRequirement = [[{ key: 'key', type: 'apiKey', in: 'header', name: 'X-Key' }]];
const bearer: SecurityRequirement = [[{ key: 'jwt', type: 'http', scheme: 'bearer' }]];

describe('checkSecurity', () => {
  it('lets anything through when an alternative is anonymous', () => {
    expect(checkSecurity([[], ...apiKey], source({}))).toEqual({ ok: true });
  });

  it('accepts any non-empty credential unless tokens are listed', () => {
    expect(checkSecurity(apiKey, source({ headers: { 'x-key': 'abc' } }))).toEqual({ ok: true });
    expect(checkSecurity(apiKey, source({ headers: { 'x-key': 'abc' } }), new Set(['xyz']))).toMatchObject({ ok: false, errors: [{ in: 'header', pointer: '/X-Key' }] });
  });

  it('names the missing credential without its value and challenges a missing bearer token', () => {
    const outcome = checkSecurity(bearer, source({ headers: { authorization: 'Basic abc' } }));
    expect(outcome).toMatchObject({ ok: false, errors: [{ in: 'header', pointer: '/authorization', message: 'missing HTTP bearer credentials in the Authorization header' }] });
    expect(JSON.stringify(outcome)).not.toContain('abc');
  });

  it('passes when one alternative is satisfied', () => {
    expect(checkSecurity([...apiKey, ...bearer], source({ headers: { authorization: 'Bearer t0ken' } }))).toEqual({ ok: true });
  });
});
