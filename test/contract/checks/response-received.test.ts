import { describe, expect, it } from 'vitest';
import { responseReceived } from '../../../src/contract/checks/response-received.js';
import { answer, checkContext, operation } from './check-context.js';

describe('response-received', () => {
  it('passes when a response arrived', () => {
    expect(responseReceived.run(checkContext(operation(), answer(200, { id: 1, name: 'a' })))?.status).toBe('passed');
  });

  it('fails a timeout naming the time the target had', () => {
    const verdict = responseReceived.run(checkContext(operation(), undefined, { transportError: { kind: 'timeout', message: 'slow' } }));
    expect(verdict).toMatchObject({ status: 'failed', problems: [{ expected: 'a response within 1000 ms', actual: 'timeout' }] });
  });

  it('fails a refused connection', () => {
    const verdict = responseReceived.run(checkContext(operation(), undefined, { transportError: { kind: 'refused', message: 'ECONNREFUSED' } }));
    expect(verdict?.problems[0].message).toBe('connection refused: ECONNREFUSED');
  });
});
