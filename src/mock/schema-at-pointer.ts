import type { TSchema } from '@sinclair/typebox';
import { refMap } from './schema-shape.js';

// A rule that tests `/data/cdoe` would silently never match; walking the request schema along the
// pointer catches such typos at start. Free-form parts of a schema accept any pointer.

type Schema = Record<string, unknown>;

const scalarTypes = new Set(['string', 'number', 'integer', 'boolean', 'null']);
const maxDepth = 64;

function asSchema(value: unknown): Schema | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Schema) : undefined;
}

function typesOf(schema: Schema): string[] {
  const type = schema.type;
  return Array.isArray(type) ? type.map(String) : typeof type === 'string' ? [type] : [];
}

function fits(node: unknown, tokens: readonly string[], at: number, refs: ReadonlyMap<string, TSchema>, depth: number): boolean {
  if (at === tokens.length || depth > maxDepth) return true;
  let schema = asSchema(node);
  for (let hops = 0; schema && typeof schema.$ref === 'string' && hops < 16; hops++) schema = asSchema(refs.get(schema.$ref));
  if (!schema) return true;

  const branches = ['anyOf', 'oneOf', 'allOf'].flatMap((k) => (Array.isArray(schema[k]) ? (schema[k] as unknown[]) : []));
  if (branches.some((b) => fits(b, tokens, at, refs, depth + 1))) return true;

  const token = tokens[at];
  const properties = asSchema(schema.properties);
  if (properties && Object.prototype.hasOwnProperty.call(properties, token)) return fits(properties[token], tokens, at + 1, refs, depth + 1);

  const types = typesOf(schema);
  const isArray = types.includes('array') || schema.items !== undefined || Array.isArray(schema.prefixItems);
  if (isArray && /^(0|[1-9]\d*)$/.test(token)) {
    const index = Number(token);
    const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : Array.isArray(schema.items) ? schema.items : undefined;
    const item = prefix && index < prefix.length ? prefix[index] : Array.isArray(schema.items) ? schema.additionalItems : schema.items;
    return item === false ? false : fits(item, tokens, at + 1, refs, depth + 1);
  }
  if (isArray && !types.includes('object') && !properties) return false;

  const patterns = asSchema(schema.patternProperties);
  if (patterns) {
    for (const [pattern, sub] of Object.entries(patterns)) {
      try {
        if (new RegExp(pattern, 'u').test(token)) return fits(sub, tokens, at + 1, refs, depth + 1);
      } catch {
        return true;
      }
    }
  }
  const additional = schema.additionalProperties;
  if (asSchema(additional)) return fits(additional, tokens, at + 1, refs, depth + 1);
  // A schema that names its properties makes any other name a typo, even where extra properties validate.
  if (properties || patterns || additional === false) return false;
  if (branches.length > 0) return false;
  if (types.length > 0 && types.every((t) => scalarTypes.has(t))) return false;
  return true;
}

/** True when a JSON pointer's tokens can address a value the schema describes. */
export function pointerFitsSchema(schema: TSchema, tokens: readonly string[], references: readonly TSchema[]): boolean {
  const refs = refMap(references);
  return fits(schema, tokens, 0, refs, 0);
}
