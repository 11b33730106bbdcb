import { describe, expect, it } from 'vitest';
import { contentTypeConformance } from '../../../src/contract/checks/content-type-conformance.js';
import { answer, checkContext, operation } from './check-context.js';

describe('content-type-conformance', () => {
  it('passes a documented media type, parameters aside', () => {
    const verdict = contentTypeConformance.run(checkContext(operation(), answer(200, { id: 1, name: 'a' }, 'application/json; charset=utf-8')));
    expect(verdict?.status).toBe('passed');
  });

  it('fails an undocumented media type', () => {
    const verdict = contentTypeConformance.run(checkContext(operation(), answer(200, 'hi', 'text/plain')));
    expect(verdict).toMatchObject({ status: 'failed', problems: [{ expected: 'application/json', actual: 'text/plain' }] });
  });

  it('fails a body without a Content-Type', () => {
    const verdict = contentTypeConformance.run(checkContext(operation(), answer(200)));
    expect(verdict).toMatchObject({ status: 'failed', problems: [{ actual: 'no Content-Type' }] });
  });

  it('does not apply to a status documented without a body', () => {
    expect(contentTypeConformance.run(checkContext(operation(), answer(404, 'gone', 'text/plain')))).toBeUndefined();
  });
});
