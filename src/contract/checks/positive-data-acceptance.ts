import { failed, passed, skipped, type Check } from './check-types.js';
import { leftToServerErrorCheck, needsResponse } from './check-guards.js';

/** A valid, authorised request should be accepted; a warning only, since a real server may refuse made-up data (an unknown login code). */
export const positiveDataAcceptance: Check = needsResponse({
  name: 'positive-data-acceptance',
  description: 'A schema-valid request with the configured credential gets a 2xx (warning: real servers may refuse made-up values).',
  severity: 'warning',
  run({ response, case: c, hasCredential }) {
    if (c.expectation !== 'accept') return undefined;
    if (!hasCredential) return skipped('no credential configured (--token or IWKIT_TOKEN)');
    if (response.status >= 200 && response.status < 300) return passed();
    if (response.status >= 500) return leftToServerErrorCheck(response.status);
    return failed([{ message: `a valid request was refused with ${response.status}`, expected: 'a 2xx', actual: String(response.status) }]);
  },
});
