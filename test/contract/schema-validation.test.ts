import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { createSchemaValidation } from '../../src/contract/schema-validation.js';
import { registerFormats } from '../../src/openapi/formats.js';

registerFormats();

describe('createSchemaValidation', () => {
  it('never prints a secret nested inside the actual value of a failure', () => {
    const validation = createSchemaValidation([], false);
    const problems = validation.validate(Type.Object({ id: Type.Integer() }), [{ id: 1, sessionid: 'SERVERSESSIONSECRET', refresh_session: 'REFRESHSECRET' }]);
    expect(problems.length).toBeGreaterThan(0);
    expect(JSON.stringify(problems)).not.toMatch(/SERVERSESSIONSECRET|REFRESHSECRET/);
  });

  it('names undocumented properties under --strict without printing secret-looking values', () => {
    const validation = createSchemaValidation([], true);
    const problems = validation.validate(Type.Object({ id: Type.Integer() }), { id: 1, session: 'REFRESHSECRET' });
    expect(problems.map((p) => p.pointer)).toEqual(['/session']);
    expect(JSON.stringify(problems)).not.toContain('REFRESHSECRET');
  });
});
