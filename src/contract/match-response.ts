import { optionError } from '../options/check-options.js';
import type { Api } from '../openapi/api-model.js';
import type { CheckContext } from './checks/check-types.js';
import { contentTypeConformance } from './checks/content-type-conformance.js';
import { responseHeadersConformance } from './checks/response-headers-conformance.js';
import { responseSchemaConformance } from './checks/response-schema-conformance.js';
import { statusCodeConformance } from './checks/status-code-conformance.js';
import type { CheckResult } from './contract-types.js';
import { parseResponse } from './parse-response.js';
import type { SchemaValidation } from './schema-validation.js';
import { createSchemaValidation } from './schema-validation.js';

/** A response in a transport-neutral shape. */
export interface PlainResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer | string;
}

/** Options of {@link matchResponse}. */
export interface MatchOptions {
  /** Every documented property required, undocumented ones fail. */
  strict?: boolean;
}

/** The verdict of matching one response against one operation. */
export interface ResponseMatch {
  pass: boolean;
  operationId: string;
  status: number;
  /** Only the failed checks. */
  failures: CheckResult[];
}

const responseChecks = [statusCodeConformance, contentTypeConformance, responseSchemaConformance, responseHeadersConformance];
const validations = new WeakMap<Api, Map<boolean, SchemaValidation>>();

function validationFor(api: Api, strict: boolean): SchemaValidation {
  let byMode = validations.get(api);
  if (!byMode) validations.set(api, (byMode = new Map()));
  let validation = byMode.get(strict);
  if (!validation) byMode.set(strict, (validation = createSchemaValidation(api.references, strict)));
  return validation;
}

/** Checks a response against an operation's documented responses: status, content type, body schema and headers. */
export function matchResponse(api: Api, operationId: string, response: PlainResponse, options: MatchOptions = {}): ResponseMatch {
  const operation = api.operations.find((o) => o.operationId === operationId);
  if (!operation) {
    throw optionError('operationId', `unknown operationId "${operationId}" (known: ${api.operations.map((o) => o.operationId).join(', ')})`);
  }
  const headers: PlainResponse['headers'] = {};
  for (const [name, value] of Object.entries(response.headers)) headers[name.toLowerCase()] = value;
  const parsed = parseResponse({ status: response.status, headers, body: Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body, 'utf8') });
  const context: CheckContext = {
    case: { id: `${operationId}/matcher`, operation, kind: 'example', name: 'matcher', expectation: 'accept', auth: 'valid', request: { path: {}, query: {}, headers: {}, cookies: {} } },
    operation,
    response: parsed,
    elapsedMs: 0,
    hasCredential: true,
    timeoutMs: 0,
    schemas: validationFor(api, options.strict ?? false),
  };
  const failures: CheckResult[] = [];
  for (const check of responseChecks) {
    const verdict = check.run(context);
    if (verdict?.status === 'failed') failures.push({ check: check.name, severity: check.severity, ...verdict });
  }
  return { pass: failures.length === 0, operationId, status: response.status, failures };
}
