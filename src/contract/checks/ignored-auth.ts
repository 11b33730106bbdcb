import { findResponseSpec } from '../../openapi/find-response.js';
import type { Check } from './check-types.js';
import { failed, passed, skipped } from './check-types.js';

/** A request without a credential, or with an invalid one, must not be accepted. */
export const ignoredAuth: Check = {
  name: 'ignored-auth',
  description: 'A request without a credential, or with an invalid one, gets a 4xx (401/403), never a 2xx.',
  severity: 'error',
  run({ response, operation, case: c }) {
    if (!response || c.kind !== 'security') return undefined;
    const { status } = response;
    if (status >= 400 && status < 500) {
      if (status === 401 || status === 403 || findResponseSpec(operation, status)) return passed();
      return passed(`undocumented ${status} counted as a rejection`);
    }
    if (status >= 500) return skipped(`answered ${status} (see not-a-server-error)`);
    // One message for both cases (their names say which), so a server that ignores auth is one cause.
    return failed([{ message: `a request without a valid credential was accepted with status ${status}`, expected: '401 or 403', actual: String(status) }]);
  },
};
