import type { FieldEncoding } from './contract-types.js';
import { isBinarySchema, type Resolve } from './request-media.js';
import type { PropertyEncoding } from '../openapi/api-model.js';

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// Properties may come from the object itself, allOf members or union branches.
function collectProperties(schema: unknown, resolve: Resolve, out: Map<string, unknown>, depth = 0): void {
  if (depth > 8) return;
  const node = resolve(schema);
  if (isNode(node.properties)) for (const [name, sub] of Object.entries(node.properties)) if (!out.has(name)) out.set(name, sub);
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    const list = node[key];
    if (Array.isArray(list)) for (const member of list) collectProperties(member, resolve, out, depth + 1);
  }
}

/** The top-level properties of a body schema and their schemas. */
export function topLevelProperties(schema: unknown, resolve: Resolve): Map<string, unknown> {
  const properties = new Map<string, unknown>();
  collectProperties(schema, resolve, properties);
  return properties;
}

/** How each top-level property of a form or multipart body travels: files for binary schemas (or arrays of them), the spec's `encoding` otherwise. */
export function bodyFields(schema: unknown, resolve: Resolve, encoding: Record<string, PropertyEncoding> = {}): Record<string, FieldEncoding> {
  const properties = topLevelProperties(schema, resolve);
  const fields: Record<string, FieldEncoding> = {};
  for (const name of new Set([...properties.keys(), ...Object.keys(encoding)])) {
    const sub = properties.get(name);
    const node = sub === undefined ? {} : resolve(sub);
    const file = sub !== undefined && (isBinarySchema(node, resolve) || (node.type === 'array' && node.items !== undefined && isBinarySchema(node.items, resolve)));
    const field: FieldEncoding = { ...(encoding[name] ?? {}) };
    if (file) field.file = true;
    if (Object.keys(field).length > 0) fields[name] = field;
  }
  return fields;
}
