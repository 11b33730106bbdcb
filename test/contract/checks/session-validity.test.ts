import { describe, expect, it } from 'vitest';
import { sessionValidity } from '../../../src/contract/checks/session-validity.js';
import { answer, checkContext, operation } from './check-context.js';

describe('session-validity', () => {
  it('fails a fresh token refused by its first use', () => {
    const verdict = sessionValidity.run(checkContext(operation(), answer(401), { session: { from: 'login', firstUse: true } }));
    expect(verdict).toMatchObject({ status: 'failed', problems: [{ actual: '401' }] });
  });

  it('passes any other answer and does not apply after the first use', () => {
    expect(sessionValidity.run(checkContext(operation(), answer(403), { session: { from: 'login', firstUse: true } }))?.status).toBe('passed');
    expect(sessionValidity.run(checkContext(operation(), answer(401), { session: { from: 'login', firstUse: false } }))).toBeUndefined();
  });
});
