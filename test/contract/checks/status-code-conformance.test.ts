import { describe, expect, it } from 'vitest';
import { statusCodeConformance } from '../../../src/contract/checks/status-code-conformance.js';
import { answer, checkContext, contractCase, operation } from './check-context.js';

describe('status-code-conformance', () => {
  it('passes a documented status', () => {
    expect(statusCodeConformance.run(checkContext(operation(), answer(404)))?.status).toBe('passed');
  });

  it('fails an undocumented status, listing the documented ones', () => {
    const verdict = statusCodeConformance.run(checkContext(operation(), answer(418)));
    expect(verdict).toMatchObject({ status: 'failed', problems: [{ expected: 'one of 200, 404', actual: '418' }] });
  });

  it('counts an undocumented 4xx to a request that must be rejected as a rejection', () => {
    const op = operation();
    const verdict = statusCodeConformance.run(checkContext(op, answer(422), { case: contractCase(op, { expectation: 'reject', kind: 'negative' }) }));
    expect(verdict).toMatchObject({ status: 'passed', note: 'undocumented 422 counted as a rejection' });
  });

  it('lets an undocumented 401 pass when no credential is configured', () => {
    const verdict = statusCodeConformance.run(checkContext(operation(), answer(401), { hasCredential: false }));
    expect(verdict).toMatchObject({ status: 'passed', note: 'undocumented 401: no credential configured' });
  });
});
