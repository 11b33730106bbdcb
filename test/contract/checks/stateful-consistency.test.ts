import { describe, expect, it } from 'vitest';
import { statefulConsistency } from '../../../src/contract/checks/stateful-consistency.js';
import { answer, checkContext, operation } from './check-context.js';
import { flowAfter } from './flow-context.js';

describe('stateful-consistency', () => {
  it('fails a read that does not return what the update sent', () => {
    const flow = flowAfter('read-updated', 'update', answer(200), { name: 'new' });
    const verdict = statefulConsistency.run(checkContext(operation(), answer(200, { id: 1, name: 'old' }), { flow }));
    expect(verdict).toMatchObject({ status: 'failed', problems: [{ pointer: '/name', expected: '"new"', actual: '"old"' }] });
  });

  it('passes a read that reflects the update, ignoring properties the read does not document', () => {
    const flow = flowAfter('read-updated', 'update', answer(200), { name: 'new', extra: 1 });
    expect(statefulConsistency.run(checkContext(operation(), answer(200, { id: 1, name: 'new' }), { flow }))?.status).toBe('passed');
  });

  it('skips when the update was refused', () => {
    const flow = flowAfter('read-updated', 'update', answer(400), { name: 'new' });
    expect(statefulConsistency.run(checkContext(operation(), answer(200, { id: 1, name: 'old' }), { flow }))?.status).toBe('skipped');
  });
});
