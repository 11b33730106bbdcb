import { describe, expect, it } from 'vitest';
import { ignoredAuth } from '../../../src/contract/checks/ignored-auth.js';
import { answer, checkContext, contractCase, operation } from './check-context.js';

const op = operation();
const security = contractCase(op, { kind: 'security', expectation: 'reject', auth: 'none' });

describe('ignored-auth', () => {
  it('passes a 401 or 403, documented or not, and notes another undocumented 4xx', () => {
    expect(ignoredAuth.run(checkContext(op, answer(401), { case: security }))).toEqual({ status: 'passed', problems: [] });
    expect(ignoredAuth.run(checkContext(op, answer(400), { case: security }))?.note).toBe('undocumented 400 counted as a rejection');
  });

  it('fails a request without credential that was accepted', () => {
    expect(ignoredAuth.run(checkContext(op, answer(200), { case: security }))).toMatchObject({ status: 'failed', problems: [{ expected: '401 or 403' }] });
  });

  it('leaves 5xx to not-a-server-error and ignores other cases', () => {
    expect(ignoredAuth.run(checkContext(op, answer(500), { case: security }))?.status).toBe('skipped');
    expect(ignoredAuth.run(checkContext(op, answer(200)))).toBeUndefined();
  });
});
