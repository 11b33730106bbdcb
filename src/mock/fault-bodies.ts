// Bodies that are wrong on purpose, so a tester can check that their client copes.

function wrongTypeOf(value: unknown): unknown {
  if (typeof value === 'string') return 12345;
  if (typeof value === 'number') return 'not-a-number';
  if (typeof value === 'boolean') return 'not-a-boolean';
  if (value === null) return { unexpected: true };
  if (Array.isArray(value)) return 'not-an-array';
  return 'not-an-object';
}

const fallbacks: unknown[] = ['iwkit: this body breaks the contract', null, 12345, [], {}];

/**
 * Turns a valid body into one the response schema rejects: the first property whose value of a wrong
 * type breaks validation, else a value of another type altogether. `isValid` is the schema check.
 */
export function breakContract(body: unknown, isValid: (value: unknown) => boolean): unknown {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    for (const [key, value] of Object.entries(body)) {
      const candidate = { ...(body as Record<string, unknown>), [key]: wrongTypeOf(value) };
      if (!isValid(candidate)) return candidate;
    }
  }
  const wrong = wrongTypeOf(body);
  if (!isValid(wrong)) return wrong;
  return fallbacks.find((v) => !isValid(v)) ?? fallbacks[0];
}

/** Cuts a JSON text so it no longer parses: about its first half, never a complete JSON value. */
export function malformJson(text: string): string {
  if (text.length === 0) return '{';
  const cut = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
  try {
    JSON.parse(cut);
  } catch {
    return cut;
  }
  return `${cut}}`;
}
