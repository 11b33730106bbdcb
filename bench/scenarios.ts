import type { AutocannonRequest } from 'autocannon';
import { freshBody, loginHeaders, loginPath, loginPathWithQuery, repeatedBody } from './login-request.js';

/** Which iwkit process a scenario drives: the default mock, or the same mock with `--stateful`. */
export type MockKind = 'mock' | 'stateful';

/** A named load shape, driven identically at the baseline and at an iwkit mock. */
export interface Scenario {
  name: 'repeated' | 'no-query' | 'fresh' | 'verbatim' | 'stateful';
  description: string;
  mock: MockKind;
  requests: AutocannonRequest[];
}

/**
 * The measured scenarios. The first is the login exactly as a frontend sends it (with its
 * `iw-build-id` query); the query-less one shows what the query costs.
 */
export const scenarios: Scenario[] = [
  {
    name: 'repeated',
    description: 'the same login, with its iw-build-id query, every time (the mock may reuse its answer)',
    mock: 'mock',
    requests: [{ method: 'POST', path: loginPathWithQuery, headers: loginHeaders(), body: repeatedBody }],
  },
  {
    name: 'no-query',
    description: 'the same login without the query string',
    mock: 'mock',
    requests: [{ method: 'POST', path: loginPath, headers: loginHeaders(), body: repeatedBody }],
  },
  {
    name: 'fresh',
    description: 'a different data.code on every request (nothing reusable)',
    mock: 'mock',
    // autocannon computes Content-Length before its [<id>] replacement, so a new body comes from setupRequest.
    requests: [{ method: 'POST', path: loginPathWithQuery, headers: loginHeaders(), body: freshBody(), setupRequest: (request) => ({ ...request, body: freshBody() }) }],
  },
  {
    name: 'verbatim',
    description: 'Prefer: dynamic=false (the spec example verbatim)',
    mock: 'mock',
    requests: [{ method: 'POST', path: loginPathWithQuery, headers: loginHeaders({ prefer: 'dynamic=false' }), body: repeatedBody }],
  },
  {
    name: 'stateful',
    description: 'the same login against `iwkit mock --stateful` (memory store: the session is stored and refreshed)',
    mock: 'stateful',
    requests: [{ method: 'POST', path: loginPathWithQuery, headers: loginHeaders(), body: repeatedBody }],
  },
];
