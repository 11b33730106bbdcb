import type { AutocannonRequest } from 'autocannon';
import { freshBody, loginHeaders, loginPath, repeatedBody } from './login-request.js';

/** A named load shape, driven identically at the baseline and at the mock. */
export interface Scenario {
  name: 'repeated' | 'fresh' | 'verbatim';
  description: string;
  requests: AutocannonRequest[];
}

/** The measured scenarios: the same login again and again, a new code every time, and the spec's example verbatim. */
export const scenarios: Scenario[] = [
  {
    name: 'repeated',
    description: 'the same login request every time (the mock may reuse its answer)',
    requests: [{ method: 'POST', path: loginPath, headers: loginHeaders(), body: repeatedBody }],
  },
  {
    name: 'fresh',
    description: 'a different data.code on every request (every body generated)',
    // autocannon computes Content-Length before its [<id>] replacement, so a new body comes from setupRequest.
    requests: [{ method: 'POST', path: loginPath, headers: loginHeaders(), body: freshBody(), setupRequest: (request) => ({ ...request, body: freshBody() }) }],
  },
  {
    name: 'verbatim',
    description: 'Prefer: dynamic=false (the spec example verbatim)',
    requests: [{ method: 'POST', path: loginPath, headers: loginHeaders({ prefer: 'dynamic=false' }), body: repeatedBody }],
  },
];
