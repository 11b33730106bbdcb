import { describe, expect, it } from 'vitest';
import { maxResponseTime } from '../../../src/contract/checks/max-response-time.js';
import { answer, checkContext, operation } from './check-context.js';

describe('max-response-time', () => {
  it('passes within the limit and fails past it', () => {
    expect(maxResponseTime.run(checkContext(operation(), answer(200), { elapsedMs: 10, maxResponseTimeMs: 10 }))?.status).toBe('passed');
    expect(maxResponseTime.run(checkContext(operation(), answer(200), { elapsedMs: 11, maxResponseTimeMs: 10 }))).toMatchObject({ status: 'failed', problems: [{ actual: '11 ms' }] });
  });

  it('does not apply without the option', () => {
    expect(maxResponseTime.run(checkContext(operation(), answer(200), { elapsedMs: 1e6 }))).toBeUndefined();
  });
});
