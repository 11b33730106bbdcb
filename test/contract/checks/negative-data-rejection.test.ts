import { describe, expect, it } from 'vitest';
import { negativeDataRejection } from '../../../src/contract/checks/negative-data-rejection.js';
import type { Mutation } from '../../../src/contract/contract-types.js';
import { answer, checkContext, contractCase, operation } from './check-context.js';

const op = operation();
const negative = (mutation: Mutation = { kind: 'wrong-type', location: 'body', pointer: '/id' }) =>
  contractCase(op, { kind: 'negative', expectation: 'reject', mutation });

describe('negative-data-rejection', () => {
  it('passes a documented 4xx and notes an undocumented one', () => {
    expect(negativeDataRejection.run(checkContext(op, answer(404), { case: negative() }))).toMatchObject({ status: 'passed' });
    expect(negativeDataRejection.run(checkContext(op, answer(400), { case: negative() }))?.note).toBe('undocumented 400 counted as a rejection');
  });

  it('fails invalid input that was accepted', () => {
    expect(negativeDataRejection.run(checkContext(op, answer(200), { case: negative() }))).toMatchObject({ status: 'failed', problems: [{ actual: '200' }] });
  });

  it('only warns about an accepted body in an undocumented media type, unless strict', () => {
    const c = negative({ kind: 'wrong-content-type', location: 'body', pointer: '' });
    expect(negativeDataRejection.run(checkContext(op, answer(200), { case: c }))).toMatchObject({ status: 'failed', severity: 'warning' });
    expect(negativeDataRejection.run(checkContext(op, answer(200), { case: c, strict: true }))?.severity).toBeUndefined();
  });

  it('leaves 5xx to not-a-server-error and a 401 without credential unjudged', () => {
    expect(negativeDataRejection.run(checkContext(op, answer(500), { case: negative() }))).toMatchObject({ status: 'skipped', note: 'answered 500 (see not-a-server-error)' });
    expect(negativeDataRejection.run(checkContext(op, answer(401), { case: negative(), hasCredential: false }))?.status).toBe('skipped');
  });

  it('does not apply to positive cases', () => {
    expect(negativeDataRejection.run(checkContext(op, answer(200)))).toBeUndefined();
  });
});
