import { Kind, type TSchema } from '@sinclair/typebox';
import { JSON_SCHEMA_KIND } from './json-schema-node.js';

/**
 * Follows a `$ref` chain through `references` (keyed by `$id`); returns the node itself when it is no reference or the
 * chain breaks. An ajv-backed node is never followed: its `$ref` is one keyword among others that all apply.
 */
export function followRef<T extends object>(node: T, references: ReadonlyMap<string, TSchema>): T {
  let current = node as T & { $ref?: unknown };
  // Bounded: a cycle of references (never valid, but possible in a hand-made schema) must not spin.
  for (let hops = 0; hops < 32 && typeof current.$ref === 'string' && (current as Record<symbol, unknown>)[Kind] !== JSON_SCHEMA_KIND; hops++) {
    const target = references.get(current.$ref);
    if (!target) break;
    current = target as unknown as T & { $ref?: unknown };
  }
  return current;
}
