// Journal entries are read by tests and printed in CI logs: credentials must never be in them.

/** The placeholder that replaces a secret value. */
export const redacted = '[redacted]';

/** Headers that carry credentials in any API, besides the spec's own apiKey headers. */
export const alwaysSecretHeaders = ['authorization', 'proxy-authorization', 'cookie', 'x-session-token', 'iwkit-admin-token'];

/** Redacts secret headers and query values (names compared case-insensitively for headers). */
export interface RequestRedactor {
  headers(headers: Record<string, string | string[] | undefined>): Record<string, string | string[] | undefined>;
  query(query: Record<string, unknown>): Record<string, unknown>;
}

/** Builds a redactor for the given secret header and query names. */
export function createRequestRedactor(secretHeaders: readonly string[], secretQuery: readonly string[]): RequestRedactor {
  const headerNames = new Set([...alwaysSecretHeaders, ...secretHeaders].map((n) => n.toLowerCase()));
  const queryNames = new Set(secretQuery);
  return {
    headers(headers) {
      const out: Record<string, string | string[] | undefined> = {};
      for (const [name, value] of Object.entries(headers)) out[name] = headerNames.has(name.toLowerCase()) && value !== undefined ? redacted : value;
      return out;
    },
    query(query) {
      const out: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(query)) out[name] = queryNames.has(name) ? redacted : value;
      return out;
    },
  };
}
