import type { Check, CheckContext } from '../contract/checks/check-types.js';
import { contentTypeConformance } from '../contract/checks/content-type-conformance.js';
import { ignoredAuth } from '../contract/checks/ignored-auth.js';
import { negativeDataRejection } from '../contract/checks/negative-data-rejection.js';
import { notAServerError } from '../contract/checks/not-a-server-error.js';
import { responseHeadersConformance } from '../contract/checks/response-headers-conformance.js';
import { responseSchemaConformance } from '../contract/checks/response-schema-conformance.js';
import { statusCodeConformance } from '../contract/checks/status-code-conformance.js';
import type { CheckResult, ContractCase, HttpResponse, ParsedResponse } from '../contract/contract-types.js';
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

// The stand-in case depends only on the operation and the standing: built once, not per answer.
const cases = new WeakMap<Operation, Partial<Record<RequestStanding, ContractCase>>>();
const headViews = new WeakMap<Operation, Operation>();

function buildCase(operation: Operation, standing: RequestStanding): ContractCase {
  const request = { path: {}, query: {}, headers: {}, cookies: {} };
  const base = { id: `${operation.operationId}/proxied`, operation, request };
  if (standing === 'uncredentialed') return { ...base, kind: 'security', name: 'proxied request without credential', expectation: 'reject', auth: 'none' };
  if (standing === 'invalid') return { ...base, kind: 'negative', name: 'proxied request that breaks the contract', expectation: 'reject', auth: 'valid' };
  return { ...base, kind: 'example', name: 'proxied request', expectation: 'accept', auth: 'valid' };
}

function caseFor(operation: Operation, standing: RequestStanding): ContractCase {
  let byStanding = cases.get(operation);
  if (!byStanding) cases.set(operation, (byStanding = {}));
  return (byStanding[standing] ??= buildCase(operation, standing));
}

// A HEAD answer has no body whichever operation it was matched to; the schema check knows that by the method.
function judgedOperation(operation: Operation, method: string): Operation {
  if (method !== 'HEAD' || operation.method === 'head') return operation;
  let view = headViews.get(operation);
  if (!view) headViews.set(operation, (view = { ...operation, method: 'head' }));
  return view;
}

/** The checks' results on one upstream answer, and the answer as parsed once for them (reused for recording and reports). */
export interface ResponseJudgement {
  results: CheckResult[];
  parsed: ParsedResponse;
}

/** Runs the checks on one upstream answer; every result that applied (passed, failed or skipped). `skip` names a check left out (e.g. the schema of a body past the read cap). */
export function checkResponse(operation: Operation, method: string, standing: RequestStanding, response: HttpResponse, schemas: SchemaValidation, elapsedMs: number, skip?: string): ResponseJudgement {
  const judged = judgedOperation(operation, method);
  const parsed = parseResponse(response);
  const context: CheckContext = {
    case: caseFor(judged, standing),
    operation: judged,
    response: parsed,
    elapsedMs,
    hasCredential: standing !== 'uncredentialed',
    timeoutMs: 0,
    schemas,
  };
  const results: CheckResult[] = [];
  for (const check of proxyChecks) {
    if (check.name === skip) continue;
    const verdict = check.run(context);
    if (verdict) results.push({ check: check.name, severity: check.severity, ...verdict });
  }
  return { results, parsed };
}
