import { failed, passed, skipped, type Check } from './check-types.js';
import { needsResponse } from './check-guards.js';

/** A resource the create step made must be found right after (a flow's read step). */
export const resourceAvailability: Check = needsResponse({
  name: 'resource-availability',
  description: 'In a flow, a resource that was just created (2xx) is found by the read that follows it, not answered 404 or 410.',
  severity: 'error',
  run({ response, flow }) {
    if (flow?.role !== 'read-created') return undefined;
    const create = flow.previous.find((p) => p.role === 'create')?.response;
    if (!create || create.status < 200 || create.status >= 300) return skipped('the create step was not accepted');
    if (response.status >= 200 && response.status < 300) return passed();
    if (response.status === 404 || response.status === 410) {
      return failed([{ message: `a resource created with status ${create.status} was not found right after`, expected: 'a 2xx', actual: String(response.status) }]);
    }
    return skipped(`answered ${response.status}`);
  },
});
