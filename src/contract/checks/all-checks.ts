import { optionError } from '../../options/check-options.js';
import type { Check } from './check-types.js';
import { contentTypeConformance } from './content-type-conformance.js';
import { ignoredAuth } from './ignored-auth.js';
import { maxResponseTime } from './max-response-time.js';
import { negativeDataRejection } from './negative-data-rejection.js';
import { notAServerError } from './not-a-server-error.js';
import { positiveDataAcceptance } from './positive-data-acceptance.js';
import { responseHeadersConformance } from './response-headers-conformance.js';
import { responseReceived } from './response-received.js';
import { resourceAvailability } from './resource-availability.js';
import { responseSchemaConformance } from './response-schema-conformance.js';
import { sessionValidity } from './session-validity.js';
import { statefulConsistency } from './stateful-consistency.js';
import { useAfterFree } from './use-after-free.js';
import { statusCodeConformance } from './status-code-conformance.js';

/** Every check, in report order. */
export const allChecks: readonly Check[] = [
  responseReceived,
  notAServerError,
  statusCodeConformance,
  contentTypeConformance,
  responseSchemaConformance,
  responseHeadersConformance,
  negativeDataRejection,
  positiveDataAcceptance,
  ignoredAuth,
  sessionValidity,
  resourceAvailability,
  useAfterFree,
  statefulConsistency,
  maxResponseTime,
];

/** The checks to run: `include` (all when empty) minus `exclude`; an unknown name is an option error. */
export function selectChecks(include: readonly string[] = [], exclude: readonly string[] = []): Check[] {
  const known = allChecks.map((c) => c.name);
  for (const [option, names] of [['checks', include], ['excludeChecks', exclude]] as const) {
    for (const name of names) {
      if (!known.includes(name)) throw optionError(option, `unknown check "${name}" (known: ${known.join(', ')})`);
    }
  }
  return allChecks.filter((c) => (include.length === 0 || include.includes(c.name)) && !exclude.includes(c.name));
}
