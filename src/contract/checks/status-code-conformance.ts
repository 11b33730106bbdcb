import { findResponseSpec } from '../../openapi/find-response.js';
import { documentedStatuses } from '../response-spec-match.js';
import { failed, passed, type Check } from './check-types.js';
import { countedRejection, needsResponse } from './check-guards.js';

/** The status is documented; an undocumented 4xx to a request that must be rejected counts as a rejection. */
export const statusCodeConformance: Check = needsResponse({
  name: 'status-code-conformance',
  description: 'The response status is one the operation documents (exact code, range like 4XX, or default).',
  severity: 'error',
  run({ response, operation, case: c, hasCredential }) {
    if (findResponseSpec(operation, response.status)) return passed();
    if (c.expectation === 'reject' && response.status >= 400 && response.status < 500) {
      return countedRejection(operation, response.status);
    }
    // Without a configured credential a secured operation is expected to refuse; that is not the server's fault.
    if (!hasCredential && (response.status === 401 || response.status === 403)) {
      return passed(`undocumented ${response.status}: no credential configured`);
    }
    return failed([
      { message: `status ${response.status} is not documented`, expected: `one of ${documentedStatuses(operation)}`, actual: String(response.status) },
    ]);
  },
});
