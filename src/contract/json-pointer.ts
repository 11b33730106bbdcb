// Plain RFC 6901 pointers into bodies (`/data/code`); the `#/…` document form lives in openapi/json-pointer.ts.
export { escapePointerToken } from '../openapi/json-pointer.js';

/** Splits a JSON pointer into unescaped tokens; `""` is the whole document. */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The value at a JSON pointer, or `{ found: false }`. */
export function valueAtPointer(value: unknown, pointer: string): { found: boolean; value?: unknown } {
  let current: unknown = value;
  for (const token of pointerTokens(pointer)) {
    if (current !== null && typeof current === 'object' && Object.prototype.hasOwnProperty.call(current, token)) {
      current = (current as Record<string, unknown>)[token];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: current };
}
