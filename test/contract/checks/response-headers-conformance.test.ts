import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { responseHeadersConformance } from '../../../src/contract/checks/response-headers-conformance.js';
import { answer, checkContext, documented, operation } from './check-context.js';

const op = operation([documented('200', undefined, { headers: [{ name: 'X-Rate-Limit', required: true, schema: Type.Integer() }] })]);

describe('response-headers-conformance', () => {
  it('passes a required header whose text reads as its schema', () => {
    expect(responseHeadersConformance.run(checkContext(op, answer(200, undefined, 'application/json', { 'x-rate-limit': '10' })))?.status).toBe('passed');
  });

  it('fails a missing required header', () => {
    const verdict = responseHeadersConformance.run(checkContext(op, answer(200)));
    expect(verdict).toMatchObject({ status: 'failed', problems: [{ pointer: 'X-Rate-Limit', actual: 'missing' }] });
  });

  it('fails a header that breaks its schema', () => {
    const verdict = responseHeadersConformance.run(checkContext(op, answer(200, undefined, 'application/json', { 'x-rate-limit': 'many' })));
    expect(verdict).toMatchObject({ status: 'failed', problems: [{ pointer: 'X-Rate-Limit', actual: '"many"' }] });
  });
});
