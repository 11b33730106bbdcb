import type { Check, CheckContext } from '../contract/checks/check-types.js';
import { contentTypeConformance } from '../contract/checks/content-type-conformance.js';
import { ignoredAuth } from '../contract/checks/ignored-auth.js';
import { negativeDataRejection } from '../contract/checks/negative-data-rejection.js';
import { notAServerError } from '../contract/checks/not-a-server-error.js';
import { responseHeadersConformance } from '../contract/checks/response-headers-conformance.js';
import { responseSchemaConformance } from '../contract/checks/response-schema-conformance.js';
import { statusCodeConformance } from '../contract/checks/status-code-conformance.js';
import type { CheckResult, ContractCase, HttpResponse } from '../contract/contract-types.js';
import { parseResponse } from '../contract/parse-response.js';
import type { SchemaValidation } from '../contract/schema-validation.js';
import type { Operation } from '../openapi/api-model.js';

// The contract runner's own checks, run on an answer to real traffic. Real traffic has no generated case:
// the request's verdict stands in for one (a valid request must be accepted, an invalid or uncredentialed
// one must be refused), so the runner's checks judge it exactly as they judge their own cases.

/** The runner's checks the proxy runs on every answer, in report order (positive-data-acceptance is left out: real clients are refused legitimately). */
export const proxyChecks: readonly Check[] = [
  notAServerError,
  statusCodeConformance,
  contentTypeConformance,
  responseSchemaConformance,
  responseHeadersConformance,
  negativeDataRejection,
  ignoredAuth,
];

/** How the request fared against the contract, as the checks need to know it. */
export type RequestStanding = 'valid' | 'invalid' | 'uncredentialed';

function caseFor(operation: Operation, standing: RequestStanding): ContractCase {
  const request = { path: {}, query: {}, headers: {}, cookies: {} };
  const base = { id: `${operation.operationId}/proxied`, operation, request };
  if (standing === 'uncredentialed') return { ...base, kind: 'security', name: 'proxied request without credential', expectation: 'reject', auth: 'none' };
  if (standing === 'invalid') return { ...base, kind: 'negative', name: 'proxied request that breaks the contract', expectation: 'reject', auth: 'valid' };
  return { ...base, kind: 'example', name: 'proxied request', expectation: 'accept', auth: 'valid' };
}

/** Runs the checks on one upstream answer; every result that applied (passed, failed or skipped). */
export function checkResponse(operation: Operation, method: string, standing: RequestStanding, response: HttpResponse, schemas: SchemaValidation, elapsedMs: number): CheckResult[] {
  // A HEAD answer has no body whichever operation it was matched to; the schema check knows that by the method.
  const judged = method === 'HEAD' && operation.method !== 'head' ? { ...operation, method: 'head' as const } : operation;
  const context: CheckContext = {
    case: caseFor(judged, standing),
    operation: judged,
    response: parseResponse(response),
    elapsedMs,
    hasCredential: standing !== 'uncredentialed',
    timeoutMs: 0,
    schemas,
  };
  const results: CheckResult[] = [];
  for (const check of proxyChecks) {
    const verdict = check.run(context);
    if (verdict) results.push({ check: check.name, severity: check.severity, ...verdict });
  }
  return results;
}
