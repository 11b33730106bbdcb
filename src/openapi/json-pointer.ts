// RFC 6901 JSON pointers, in the `#/a/b` fragment form OpenAPI `$ref`s use.

/** Escapes one reference token (`~` → `~0`, `/` → `~1`). */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Appends reference tokens to a pointer: `joinPointer('#/paths', '/pets')` → `#/paths/~1pets`. */
export function joinPointer(pointer: string, ...tokens: (string | number)[]): string {
  return tokens.reduce<string>((acc, token) => `${acc}/${escapePointerToken(String(token))}`, pointer);
}

/** Splits a `#/a/b` pointer into unescaped tokens; undefined when it is not a local pointer. */
export function splitPointer(pointer: string): string[] | undefined {
  if (pointer === '#' || pointer === '#/') return [];
  if (!pointer.startsWith('#/')) return undefined;
  return pointer
    .slice(2)
    .split('/')
    .map((token) => decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Looks a local `#/a/b` pointer up in `document`; undefined when any token is missing. */
export function resolvePointer(document: unknown, pointer: string): unknown {
  const tokens = splitPointer(pointer);
  if (!tokens) return undefined;
  let current: unknown = document;
  for (const token of tokens) {
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, token)) return undefined;
    current = (current as Record<string, unknown>)[token];
  }
  return current;
}
