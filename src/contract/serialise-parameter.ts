// OpenAPI parameter styles (RFC 6570-like), shared by path, query, header and cookie parameters and
// by form-urlencoded body fields, which follow the query rules.

/** A primitive as text; nested structures (which no style can express) as JSON. */
export function scalarText(value: unknown): string {
  if (value === null) return 'null';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * JSON text safe for a header or a URL: non-ASCII characters become `\uXXXX` escapes, which JSON
 * readers decode back, so a value with `é` or an emoji is never refused by the HTTP client.
 */
export function jsonText(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function entriesOf(value: unknown): [string, unknown][] | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value as Record<string, unknown>) : undefined;
}

/** A path value per `style` (simple, label, matrix) and `explode`; each value percent-encoded, the style's delimiters kept. */
export function pathText(name: string, value: unknown, style: string, explode: boolean): string {
  const enc = (v: unknown): string => encodeURIComponent(scalarText(v));
  const entries = entriesOf(value);
  const list = Array.isArray(value) ? value : undefined;
  if (style === 'label') {
    if (list) return `.${list.map(enc).join(explode ? '.' : ',')}`;
    if (entries) return `.${entries.map(([k, v]) => (explode ? `${enc(k)}=${enc(v)}` : `${enc(k)},${enc(v)}`)).join(explode ? '.' : ',')}`;
    return `.${enc(value)}`;
  }
  if (style === 'matrix') {
    const key = encodeURIComponent(name);
    if (list) return explode ? list.map((v) => `;${key}=${enc(v)}`).join('') : `;${key}=${list.map(enc).join(',')}`;
    if (entries) return explode ? entries.map(([k, v]) => `;${enc(k)}=${enc(v)}`).join('') : `;${key}=${entries.map(([k, v]) => `${enc(k)},${enc(v)}`).join(',')}`;
    return `;${key}=${enc(value)}`;
  }
  if (list) return list.map(enc).join(',');
  if (entries) return entries.map(([k, v]) => (explode ? `${enc(k)}=${enc(v)}` : `${enc(k)},${enc(v)}`)).join(',');
  return enc(value);
}

/** A header or cookie value in `simple` style (cookies: form without explode, which reads the same). */
export function simpleText(value: unknown, explode: boolean): string {
  if (Array.isArray(value)) return value.map(scalarText).join(',');
  const entries = entriesOf(value);
  if (entries) return entries.map(([k, v]) => (explode ? `${k}=${scalarText(v)}` : `${k},${scalarText(v)}`)).join(',');
  return scalarText(value);
}

/** Name/value pairs for a query parameter or form field per `style` (form, spaceDelimited, pipeDelimited, deepObject) and `explode`. */
export function formPairs(name: string, value: unknown, style: string, explode: boolean): [string, string][] {
  if (Array.isArray(value)) {
    if (explode && style === 'form') return value.map((v) => [name, scalarText(v)]);
    const separator = style === 'spaceDelimited' ? ' ' : style === 'pipeDelimited' ? '|' : ',';
    return [[name, value.map(scalarText).join(separator)]];
  }
  const entries = entriesOf(value);
  if (entries) {
    if (style === 'deepObject') return entries.map(([k, v]) => [`${name}[${k}]`, scalarText(v)]);
    if (explode) return entries.map(([k, v]) => [k, scalarText(v)]);
    return [[name, entries.map(([k, v]) => `${k},${scalarText(v)}`).join(',')]];
  }
  return [[name, scalarText(value)]];
}

/** `a=1&b=2`: names and values percent-encoded, deepObject brackets kept readable. */
export function encodePairs(pairs: [string, string][]): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(v)}`).join('&');
}
