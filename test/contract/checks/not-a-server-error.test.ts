import { describe, expect, it } from 'vitest';
import { notAServerError } from '../../../src/contract/checks/not-a-server-error.js';
import { answer, checkContext, operation } from './check-context.js';

describe('not-a-server-error', () => {
  it('passes any status below 500, client errors included', () => {
    expect(notAServerError.run(checkContext(operation(), answer(404)))?.status).toBe('passed');
  });

  it('fails a 5xx', () => {
    expect(notAServerError.run(checkContext(operation(), answer(503)))).toMatchObject({ status: 'failed', problems: [{ actual: '503' }] });
  });

  it('does not apply without a response', () => {
    expect(notAServerError.run(checkContext(operation(), undefined))).toBeUndefined();
  });
});
