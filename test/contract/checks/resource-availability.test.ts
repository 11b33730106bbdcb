import { describe, expect, it } from 'vitest';
import { resourceAvailability } from '../../../src/contract/checks/resource-availability.js';
import { answer, checkContext, operation } from './check-context.js';
import { flowAfter } from './flow-context.js';

describe('resource-availability', () => {
  it('fails a read that does not find what was just created', () => {
    const verdict = resourceAvailability.run(checkContext(operation(), answer(404), { flow: flowAfter('read-created', 'create', answer(201)) }));
    expect(verdict).toMatchObject({ status: 'failed', problems: [{ actual: '404' }] });
  });

  it('passes a 2xx read and skips when the create was refused', () => {
    expect(resourceAvailability.run(checkContext(operation(), answer(200), { flow: flowAfter('read-created', 'create', answer(201)) }))?.status).toBe('passed');
    expect(resourceAvailability.run(checkContext(operation(), answer(404), { flow: flowAfter('read-created', 'create', answer(400)) }))?.status).toBe('skipped');
  });

  it('does not apply outside a flow read', () => {
    expect(resourceAvailability.run(checkContext(operation(), answer(404)))).toBeUndefined();
  });
});
