import { failed, skipped, type Check } from './check-types.js';
import { countedRejection, leftToServerErrorCheck, needsResponse } from './check-guards.js';

/** A request that breaks the request schema must not be accepted; a body in an undocumented media type only warns, unless strict. */
export const negativeDataRejection: Check = needsResponse({
  name: 'negative-data-rejection',
  description:
    'A request that breaks the request schema in one place gets a 4xx, never a 2xx (a body sent with an undocumented Content-Type that is accepted is a warning; --strict: a failure).',
  severity: 'error',
  run({ response, operation, case: c, hasCredential, strict }) {
    if (c.kind !== 'negative') return undefined;
    const { status } = response;
    // Without a credential a 401 says nothing about the invalid data.
    if (!hasCredential && (status === 401 || status === 403)) return skipped('rejected for the missing credential; configure --token to test the data');
    if (status >= 400 && status < 500) {
      return countedRejection(operation, status);
    }
    if (status >= 500) return leftToServerErrorCheck(status);
    if (c.mutation?.kind === 'wrong-content-type') {
      // The contract names the media types it documents; it does not forbid a server to read JSON sent as text/plain.
      const verdict = failed([{ message: `a body in an undocumented media type was accepted with status ${status}`, expected: 'a 4xx rejection (415)', actual: String(status) }]);
      return strict ? verdict : { ...verdict!, severity: 'warning', note: 'a warning: the contract does not forbid reading an undocumented media type; --strict fails it' };
    }
    // The message names no mutation (the case name does), so every accepted invalid input with one status is one cause.
    return failed([{ message: `invalid input was accepted with status ${status}`, expected: 'a 4xx rejection', actual: String(status) }]);
  },
});
