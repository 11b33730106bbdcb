import { findResponseSpec } from '../response-spec-match.js';
import type { Check } from './check-types.js';
import { failed, passed, skipped } from './check-types.js';

/** A request that breaks the request schema must not be accepted. */
export const negativeDataRejection: Check = {
  name: 'negative-data-rejection',
  description: 'A request that breaks the request schema in one place gets a 4xx, never a 2xx.',
  severity: 'error',
  run({ response, operation, case: c, hasCredential }) {
    if (!response || c.kind !== 'negative') return undefined;
    const { status } = response;
    // Without a credential a 401 says nothing about the invalid data.
    if (!hasCredential && (status === 401 || status === 403)) return skipped('rejected for the missing credential; configure --token to test the data');
    if (status >= 400 && status < 500) {
      return findResponseSpec(operation, status) ? passed() : passed(`undocumented ${status} counted as a rejection`);
    }
    if (status >= 500) return skipped(`answered ${status} (see not-a-server-error)`);
    const broken = c.mutation ? `${c.mutation.kind} at ${c.mutation.location} ${c.mutation.pointer || '(root)'}` : c.name;
    return failed([{ message: `invalid input was accepted (${broken})`, pointer: c.mutation?.location === 'body' ? c.mutation.pointer : undefined, expected: 'a 4xx rejection', actual: String(status) }]);
  },
};
