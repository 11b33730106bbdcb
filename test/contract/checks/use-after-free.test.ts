import { describe, expect, it } from 'vitest';
import { useAfterFree } from '../../../src/contract/checks/use-after-free.js';
import { answer, checkContext, operation } from './check-context.js';
import { flowAfter } from './flow-context.js';

describe('use-after-free', () => {
  it('fails a deleted resource that still answers', () => {
    const verdict = useAfterFree.run(checkContext(operation(), answer(200), { flow: flowAfter('read-deleted', 'delete', answer(204)) }));
    expect(verdict).toMatchObject({ status: 'failed', problems: [{ expected: '404 or 410', actual: '200' }] });
  });

  it('passes a 4xx, skips a 5xx and skips when the delete was refused', () => {
    expect(useAfterFree.run(checkContext(operation(), answer(410), { flow: flowAfter('read-deleted', 'delete', answer(204)) }))?.status).toBe('passed');
    expect(useAfterFree.run(checkContext(operation(), answer(500), { flow: flowAfter('read-deleted', 'delete', answer(204)) }))?.status).toBe('skipped');
    expect(useAfterFree.run(checkContext(operation(), answer(200), { flow: flowAfter('read-deleted', 'delete', answer(403)) }))?.status).toBe('skipped');
  });
});
