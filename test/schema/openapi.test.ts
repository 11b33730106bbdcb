import { beforeAll, describe, expect, test } from 'vitest';
import type { Api, Operation } from '../../src/openapi/api-model.js';
import { compileValidator, type Validator } from '../../src/openapi/compile-validator.js';
import { loadApi } from '../../src/openapi/load-api.js';

// The login contract transcribed in schema/openapi.yaml, checked against what the seed says.

// The seed's examples, verbatim (shared/seeds/000_29d652b8679b97ac.txt lives outside the repository).
const requestExample: Record<string, unknown> = { data: { code: 'string', type: 'string', client_id: 'string' } };
const responseExample: Record<string, unknown> = {
  id: 42,
  sessionid: 'string',
  selectedcustomer: {
    id: 42,
    slackchannel: 'string',
    displayname: 'string',
    deleted: true,
    created: '2025-05-04T09:42:00Z',
    updated: '2025-05-04T09:42:00Z',
  },
  start: '2025-05-04T09:42:00Z',
  refreshed_start: '2025-05-04T09:42:00Z',
  ip: 'string',
  valid: true,
  is_api_key: true,
  is_dg: true,
  missing2fa: true,
  start_in_vpn: true,
  auth_by_credentials: true,
  auth_by_google: true,
  auth_by_microsoft: true,
  auth_by_cloudflare: true,
};

let api: Api;
let login: Operation;
let request: Validator;
let response: Validator;

beforeAll(async () => {
  api = await loadApi('schema/openapi.yaml');
  login = api.operations[0];
  request = compileValidator(login.requestBody!.content[0].schema, api.references);
  response = compileValidator(login.responses[0].content[0].schema, api.references);
});

/** Copies `value` and sets the field at `path` (keys) to `replacement`. */
function mutate(value: Record<string, unknown>, path: string[], replacement: unknown): unknown {
  const copy = structuredClone(value);
  let target: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
  target[path[path.length - 1]] = replacement;
  return copy;
}

/** Every leaf path of a JSON object. */
function leaves(value: Record<string, unknown>, prefix: string[] = []): [string[], unknown][] {
  return Object.entries(value).flatMap(([key, item]) =>
    typeof item === 'object' && item !== null ? leaves(item as Record<string, unknown>, [...prefix, key]) : [[[...prefix, key], item] as [string[], unknown]],
  );
}

describe('schema/openapi.yaml', () => {
  test('declares exactly the seed operation: POST /api/opendata/instagram/login named instagramLogin', () => {
    expect(api.openapi).toBe('3.1.0');
    expect(api.operations.map((op) => [op.method, op.path, op.operationId, op.summary])).toEqual([
      ['post', '/api/opendata/instagram/login', 'instagramLogin', 'Do log in with instagram code'],
    ]);
  });

  test('has the two optional string query parameters with the seed descriptions', () => {
    expect(login.parameters.map((p) => ({ name: p.name, in: p.in, required: p.required, description: p.description, type: p.schema.type }))).toEqual([
      { name: 'iw-build-id', in: 'query', required: false, description: 'build id of the client', type: 'string' },
      { name: 'iw-package-id', in: 'query', required: false, description: 'package id of the client', type: 'string' },
    ]);
  });

  test('requires a JSON body and answers 200 with JSON only', () => {
    expect(login.requestBody?.required).toBe(true);
    expect(login.requestBody?.content.map((c) => c.contentType)).toEqual(['application/json']);
    expect(login.responses.map((r) => [r.status, r.content.map((c) => c.contentType)])).toEqual([['200', ['application/json']]]);
  });

  test('is secured by the x-session-token header from the seed curl example', () => {
    expect(login.security).toEqual([[{ key: 'sessionToken', type: 'apiKey', in: 'header', name: 'x-session-token' }]]);
  });

  test('lists the seed placeholder host and the local mock as servers', () => {
    expect(api.servers.map((s) => s.url)).toEqual(['https://replace-with-own-host.iw-erp.de', 'http://127.0.0.1:4010']);
  });

  test('carries the seed request and response examples verbatim', () => {
    expect(login.requestBody?.content[0].examples[0].value).toEqual(requestExample);
    expect(login.responses[0].content[0].examples[0].value).toEqual(responseExample);
  });

  test('accepts the seed request and response examples', () => {
    expect(request.errors(requestExample)).toEqual([]);
    expect(response.errors(responseExample)).toEqual([]);
  });

  test('marks nothing required that the seed does not, and allows null only for type and client_id', () => {
    expect(request.check({})).toBe(true);
    expect(request.check({ data: {} })).toBe(true);
    expect(response.check({})).toBe(true);
    expect(request.check({ data: { code: 'x', type: null, client_id: null } })).toBe(true);
    expect(request.errors({ data: { code: null } })).toEqual([expect.objectContaining({ pointer: '/data/code' })]);
  });

  test.each(leaves(requestExample))('rejects a request whose %j has the wrong type', (path) => {
    const bad = mutate(requestExample, path, 42);
    expect(request.errors(bad).map((e) => e.pointer)).toEqual([`/${path.join('/')}`]);
  });

  test.each(leaves(responseExample))('rejects a response whose %j has the wrong type', (path, value) => {
    const bad = mutate(responseExample, path, typeof value === 'string' ? 42 : 'not-the-right-type');
    expect(response.errors(bad).map((e) => e.pointer)).toEqual([`/${path.join('/')}`]);
  });

  test.each(leaves(responseExample).filter(([path]) => path[path.length - 1] !== 'type' && path[path.length - 1] !== 'client_id'))(
    'rejects a response whose %j is null',
    (path) => {
      expect(response.check(mutate(responseExample, path, null))).toBe(false);
    },
  );

  test.each([['start'], ['refreshed_start'], ['selectedcustomer', 'created'], ['selectedcustomer', 'updated']])(
    'rejects a response whose %j is a malformed date-time',
    (...path) => {
      for (const bad of ['2025-05-04', '2025-13-04T09:42:00Z', '2025-05-04T09:42:00', 'yesterday']) {
        expect(response.errors(mutate(responseExample, path, bad))).toEqual([expect.objectContaining({ pointer: `/${path.join('/')}` })]);
      }
    },
  );

  test('reports every offending field of a response at once, and a non-object data at /data', () => {
    const errors = response.errors({ ...responseExample, id: '42', valid: 'yes', selectedcustomer: { ...(responseExample.selectedcustomer as object), deleted: 1 } });
    expect(errors.map((e) => e.pointer).sort()).toEqual(['/id', '/selectedcustomer/deleted', '/valid']);
    expect(request.errors({ data: 'code' }).map((e) => e.pointer)).toEqual(['/data']);
  });
});
