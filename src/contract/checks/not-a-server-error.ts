import { failed, passed, type Check } from './check-types.js';
import { needsResponse } from './check-guards.js';

/** No request, valid or not, may make the server fail with a 5xx. */
export const notAServerError: Check = needsResponse({
  name: 'not-a-server-error',
  description: 'No request, valid or invalid, gets a 5xx answer.',
  severity: 'error',
  run({ response }) {
    if (response.status < 500) return passed();
    return failed([{ message: `server error ${response.status}`, expected: 'a status below 500', actual: String(response.status) }]);
  },
});
