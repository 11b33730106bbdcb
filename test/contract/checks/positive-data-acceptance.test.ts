import { describe, expect, it } from 'vitest';
import { positiveDataAcceptance } from '../../../src/contract/checks/positive-data-acceptance.js';
import { answer, checkContext, operation } from './check-context.js';

describe('positive-data-acceptance', () => {
  it('passes a 2xx and fails a refusal of a valid request', () => {
    expect(positiveDataAcceptance.run(checkContext(operation(), answer(200)))?.status).toBe('passed');
    expect(positiveDataAcceptance.run(checkContext(operation(), answer(404)))).toMatchObject({ status: 'failed', problems: [{ actual: '404' }] });
  });

  it('skips without a credential and leaves 5xx to not-a-server-error', () => {
    expect(positiveDataAcceptance.run(checkContext(operation(), answer(401), { hasCredential: false }))?.status).toBe('skipped');
    expect(positiveDataAcceptance.run(checkContext(operation(), answer(502)))?.note).toBe('answered 502 (see not-a-server-error)');
  });
});
