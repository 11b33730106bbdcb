import { Type, type TSchema } from '@sinclair/typebox';
import type { CheckContext } from '../../../src/contract/checks/check-types.js';
import type { ContractCase, ParsedResponse } from '../../../src/contract/contract-types.js';
import { parseResponse } from '../../../src/contract/parse-response.js';
import { createSchemaValidation } from '../../../src/contract/schema-validation.js';
import type { Operation, ResponseSpec } from '../../../src/openapi/api-model.js';

// Hand-built check contexts: a check is a pure function of one, so its tests need no HTTP.

/** A documented response with an optional JSON body schema and headers. */
export function documented(status: string, schema?: TSchema, extra: Partial<ResponseSpec> = {}): ResponseSpec {
  const content = schema ? [{ contentType: 'application/json', schema, examples: [] }] : [];
  return { status, description: status, headers: [], content, ...extra };
}

/** `GET /things/{id}` documenting a 200 with a `{ id, name }` body and a 404, unless `responses` says otherwise. */
export function operation(responses?: ResponseSpec[], extra: Partial<Operation> = {}): Operation {
  const thing = Type.Object({ id: Type.Integer(), name: Type.String() });
  return {
    operationId: 'getThing',
    operationIdDerived: false,
    method: 'get',
    path: '/things/{id}',
    tags: [],
    deprecated: false,
    parameters: [],
    responses: responses ?? [documented('200', thing), documented('404')],
    security: [],
    ...extra,
  };
}

/** A response as the runner parses it off the wire. */
export function answer(status: number, body?: unknown, contentType = 'application/json', headers: Record<string, string> = {}): ParsedResponse {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const all = body === undefined && contentType === 'application/json' ? headers : { 'content-type': contentType, ...headers };
  return parseResponse({ status, headers: all, body: Buffer.from(text) });
}

/** A positive case of `op`, or whatever `extra` makes of it. */
export function contractCase(op: Operation, extra: Partial<ContractCase> = {}): ContractCase {
  return {
    id: `${op.operationId}/generated/0`,
    operation: op,
    kind: 'generated',
    name: 'generated #0',
    expectation: 'accept',
    auth: 'valid',
    request: { path: {}, query: {}, headers: {}, cookies: {} },
    ...extra,
  };
}

/** The context a check sees for `response` to a case of `op`. */
export function checkContext(op: Operation, response: ParsedResponse | undefined, extra: Partial<CheckContext> = {}): CheckContext {
  return {
    case: contractCase(op),
    operation: op,
    response,
    elapsedMs: 5,
    hasCredential: true,
    timeoutMs: 1000,
    schemas: createSchemaValidation([], false),
    ...extra,
  };
}
