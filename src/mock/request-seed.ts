// FNV-1a: a fast, stable 32-bit hash, so the same request maps to the same seed across runs and machines.

/** Hashes the given parts into a 32-bit unsigned seed. */
export function hashSeed(...parts: (string | number | undefined)[]): number {
  let hash = 0x811c9dc5;
  for (const part of parts) {
    const text = part === undefined ? '\u0000' : String(part);
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    hash ^= 0x1f;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
