import { buildCases } from '../../src/contract/build-cases.js';
import { buildHttpRequest } from '../../src/contract/build-http-request.js';
import { createInjectTransport, type Injectable } from '../../src/contract/inject-transport.js';
import { createSchemaValidation } from '../../src/contract/schema-validation.js';
import type { Api } from '../../src/openapi/api-model.js';

// A test helper, not a test: which operations' request bodies this build of the mock cannot read yet.
// One well-formed request per operation with a body; a 415 answer means the mock has no parser for its type.

/** operationId → the Content-Type the mock answered 415 to. */
export async function unreadBodies(mock: Injectable, api: Api, token: string): Promise<Map<string, string>> {
  const withBody: Api = { ...api, operations: api.operations.filter((o) => o.requestBody && o.requestBody.content.length > 0) };
  const { cases } = await buildCases(withBody, { cases: 1, seed: 8, now: Date.now(), kinds: ['generated'] }, createSchemaValidation(api.references, false));
  const transport = createInjectTransport(mock);
  const unread = new Map<string, string>();
  for (const [c] of cases.filter((list) => list.length > 0)) {
    const { request } = buildHttpRequest(c, { baseUrl: 'http://mock.invalid', token, headers: {} });
    const response = await transport(request, { timeoutMs: 10_000, maxBodyBytes: 1 << 20 });
    if (response.status === 415) unread.set(c.operation.operationId, request.headers['Content-Type'] ?? '');
  }
  return unread;
}
