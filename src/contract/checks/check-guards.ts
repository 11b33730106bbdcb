import { findResponseSpec } from '../../openapi/find-response.js';
import type { Operation } from '../../openapi/api-model.js';
import type { ParsedResponse } from '../contract-types.js';
import { passed, skipped, type Check, type CheckContext, type CheckVerdict } from './check-types.js';

// What several checks decide the same way, said once (like Schemathesis' check decorators).

/** The context of a case that got a response. */
export type AnsweredContext = CheckContext & { response: ParsedResponse };

/** A check that only applies once a response arrived. */
export interface AnsweredCheck extends Omit<Check, 'run'> {
  run(context: AnsweredContext): CheckVerdict;
}

/** Makes a check that does not apply without a response (response-received judges those). */
export function needsResponse(check: AnsweredCheck): Check {
  return { ...check, run: (context) => (context.response ? check.run(context as AnsweredContext) : undefined) };
}

/** The verdict of a check that leaves a 5xx answer to not-a-server-error. */
export function leftToServerErrorCheck(status: number): CheckVerdict {
  return skipped(`answered ${status} (see not-a-server-error)`);
}

/** A 4xx to a request that must be rejected passes; an undocumented one passes with a note saying it was counted. */
export function countedRejection(operation: Operation, status: number): CheckVerdict {
  return findResponseSpec(operation, status) ? passed() : passed(`undocumented ${status} counted as a rejection`);
}
