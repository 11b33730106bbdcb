// Node refuses to send a header whose name is not an RFC 9110 token or whose value holds control or
// non-Latin-1 characters, and the reply then fails: every header value the mock builds passes here first.

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** True when `name` can be sent as a header name. */
export function isHeaderName(name: string): boolean {
  return TOKEN.test(name);
}

/** True when `value` can be sent as a header value. */
export function isHeaderValue(value: string): boolean {
  return FIELD_VALUE.test(value);
}

/** OpenAPI's `simple` style, which headers use: `a,b` for arrays, `k,v,k2,v2` for objects; nested values as JSON. */
function simpleStyle(value: unknown): string {
  const item = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
  if (Array.isArray(value)) return value.map(item).join(',');
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, item(v)]).join(',');
  return item(value);
}

/** `value` as a sendable header value in the `simple` style; characters a header cannot carry become `?`. */
export function headerText(value: unknown, maxLength = 1000): string {
  const text = simpleStyle(value);
  return text.replace(/[^\t\x20-\x7e]/g, '?').slice(0, maxLength);
}
