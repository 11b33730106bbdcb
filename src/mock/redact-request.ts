import type { Api } from '../openapi/api-model.js';
import { isSecretHeader, isSecretKey, REDACTED } from '../redact.js';

// Journal entries are read by tests and printed in CI logs: credentials must never be in them. The
// names that count as secret are the contract runner's too (src/redact.ts): one rule for both.

/** The placeholder that replaces a secret value. */
export const redacted = REDACTED;

/** Headers that carry credentials in any API, besides the spec's own apiKey headers and any secret-looking name. */
export const alwaysSecretHeaders = ['authorization', 'proxy-authorization', 'cookie', 'x-session-token', 'x-api-key', 'x-access-token', 'iwkit-admin-token'];

/** Redacts secret headers and query values (names compared case-insensitively for headers). */
export interface RequestRedactor {
  headers(headers: Record<string, string | string[] | undefined>): Record<string, string | string[] | undefined>;
  query(query: Record<string, unknown>): Record<string, unknown>;
}

/** Builds a redactor for the spec's secret header and query names, on top of the shared secret-name rule. */
export function createRequestRedactor(secretHeaders: readonly string[], secretQuery: readonly string[]): RequestRedactor {
  const extraHeaders = [...alwaysSecretHeaders, ...secretHeaders];
  const queryNames = new Set(secretQuery);
  return {
    headers(headers) {
      const out: Record<string, string | string[] | undefined> = {};
      for (const [name, value] of Object.entries(headers)) out[name] = value !== undefined && isSecretHeader(name, extraHeaders) ? redacted : value;
      return out;
    },
    query(query) {
      const out: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(query)) out[name] = queryNames.has(name) || isSecretKey(name) ? redacted : value;
      return out;
    },
  };
}

/** The spec's own apiKey header and query names: secrets whatever they are called. */
export function apiKeyNames(api: Api): { headers: string[]; query: string[] } {
  const headers = new Set<string>();
  const query = new Set<string>();
  for (const op of api.operations) {
    for (const scheme of op.security.flat()) {
      if (scheme.type === 'apiKey' && scheme.in === 'header') headers.add(scheme.name.toLowerCase());
      if (scheme.type === 'apiKey' && scheme.in === 'query') query.add(scheme.name);
    }
  }
  return { headers: [...headers], query: [...query] };
}
