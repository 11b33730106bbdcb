import { failed, passed, type Check } from './check-types.js';
import { countedRejection, leftToServerErrorCheck, needsResponse } from './check-guards.js';

/** A request without a credential, or with an invalid one, must not be accepted. */
export const ignoredAuth: Check = needsResponse({
  name: 'ignored-auth',
  description: 'A request without a credential, or with an invalid one, gets a 4xx (401/403), never a 2xx.',
  severity: 'error',
  run({ response, operation, case: c }) {
    if (c.kind !== 'security') return undefined;
    const { status } = response;
    if (status >= 400 && status < 500) {
      return status === 401 || status === 403 ? passed() : countedRejection(operation, status);
    }
    if (status >= 500) return leftToServerErrorCheck(status);
    // One message for both cases (their names say which), so a server that ignores auth is one cause.
    return failed([{ message: `a request without a valid credential was accepted with status ${status}`, expected: '401 or 403', actual: String(status) }]);
  },
});
