import type { FlowRole, ParsedResponse } from '../../../src/contract/contract-types.js';
import type { FlowView } from '../../../src/contract/checks/check-types.js';
import { contractCase, operation } from './check-context.js';

/** A flow view of a step with `role` after one earlier step with `previousRole` that got `previous`. */
export function flowAfter(role: FlowRole, previousRole: FlowRole, previous: ParsedResponse, body?: unknown): FlowView {
  const request = { path: {}, query: {}, headers: {}, cookies: {}, ...(body === undefined ? {} : { body: { contentType: 'application/json', value: body } }) };
  return { role, previous: [{ role: previousRole, case: contractCase(operation(), { kind: 'flow', request }), response: previous }] };
}
