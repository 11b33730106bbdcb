import { failed, passed, type Check } from './check-types.js';
import { needsResponse } from './check-guards.js';

/** A token the auth operation just issued must be accepted by the first call that sends it. */
export const sessionValidity: Check = needsResponse({
  name: 'session-validity',
  description: 'With --auth-from: a token the login operation just issued is not refused (401) by the first call that sends it.',
  severity: 'error',
  run({ response, session }) {
    if (!session?.firstUse) return undefined;
    if (response.status === 401) {
      return failed([{ message: `a token ${session.from} had just issued was refused by its first use`, expected: 'the token accepted', actual: '401' }]);
    }
    return passed();
  },
});
