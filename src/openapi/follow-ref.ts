import type { TSchema } from '@sinclair/typebox';

/** Follows a `$ref` chain through `references` (keyed by `$id`); returns the node itself when it is no reference or the chain breaks. */
export function followRef<T extends object>(node: T, references: ReadonlyMap<string, TSchema>): T {
  let current = node as T & { $ref?: unknown };
  // Bounded: a cycle of references (never valid, but possible in a hand-made schema) must not spin.
  for (let hops = 0; hops < 32 && typeof current.$ref === 'string'; hops++) {
    const target = references.get(current.$ref);
    if (!target) break;
    current = target as unknown as T & { $ref?: unknown };
  }
  return current;
}
