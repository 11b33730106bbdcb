import { failed, passed, skipped, type Check } from './check-types.js';
import { needsResponse } from './check-guards.js';

/** A resource deleted with a 2xx must not still answer (a flow's read after delete). */
export const useAfterFree: Check = needsResponse({
  name: 'use-after-free',
  description: 'In a flow, a read of a resource that was deleted (2xx) gets a 4xx (404 or 410), never a 2xx.',
  severity: 'error',
  run({ response, flow }) {
    if (flow?.role !== 'read-deleted') return undefined;
    const remove = flow.previous.find((p) => p.role === 'delete')?.response;
    if (!remove || remove.status < 200 || remove.status >= 300) return skipped('the delete step was not accepted');
    if (response.status >= 200 && response.status < 300) {
      return failed([{ message: `a resource deleted with status ${remove.status} still answers`, expected: '404 or 410', actual: String(response.status) }]);
    }
    return response.status >= 400 && response.status < 500 ? passed() : skipped(`answered ${response.status}`);
  },
});
