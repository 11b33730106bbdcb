import { failed, passed, type Check } from './check-types.js';

const EXPLAIN: Record<string, string> = {
  timeout: 'no complete response within the timeout',
  refused: 'connection refused',
  reset: 'connection reset or closed before a complete response',
  dns: 'host name did not resolve',
  other: 'request failed',
};

/** The target answered at all: no timeout, refused or reset connection. */
export const responseReceived: Check = {
  name: 'response-received',
  description: 'The target answers every request with a complete HTTP response (no timeout, refused or reset connection).',
  severity: 'error',
  run({ transportError, timeoutMs }) {
    if (!transportError) return passed();
    const expected = transportError.kind === 'timeout' ? `a response within ${timeoutMs} ms` : 'an HTTP response';
    return failed([{ message: `${EXPLAIN[transportError.kind]}: ${transportError.message}`, expected, actual: transportError.kind }]);
  },
};
