import { failed, passed, type Check } from './check-types.js';
import { needsResponse } from './check-guards.js';

/** Each response arrives within --max-response-time (only when that option is set). */
export const maxResponseTime: Check = needsResponse({
  name: 'max-response-time',
  description: 'Each response arrives within --max-response-time milliseconds (only when the option is set).',
  severity: 'error',
  run({ response, elapsedMs, maxResponseTimeMs }) {
    if (maxResponseTimeMs === undefined) return undefined;
    if (elapsedMs <= maxResponseTimeMs) return passed();
    return failed([{ message: `the response took ${Math.round(elapsedMs)} ms`, expected: `at most ${maxResponseTimeMs} ms`, actual: `${Math.round(elapsedMs)} ms` }]);
  },
});
