import type { TSchema } from '@sinclair/typebox';
import { followRef } from '../openapi/follow-ref.js';

// Body decoders and serialisers need only the broad shape of a schema (is it an object, which
// properties, is it raw bytes), through `$ref`s, nullable unions and allOf wrappers.

type Schema = Record<string, unknown>;

/** Named schemas keyed by `$id`, as `followRef` wants them. */
export type SchemaRefs = ReadonlyMap<string, TSchema>;

/** The broad shape of the values a schema allows. */
export type SchemaShape = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'unknown';

const maxDepth = 32;

const refMaps = new WeakMap<readonly TSchema[], Map<string, TSchema>>();

/** Indexes references by `$id` (once per references array: a large spec has thousands). */
export function refMap(references: readonly TSchema[]): Map<string, TSchema> {
  let map = refMaps.get(references);
  if (!map) refMaps.set(references, (map = new Map(references.map((r) => [String(r.$id), r]))));
  return map;
}

function asSchema(value: unknown): Schema | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Schema) : undefined;
}

function resolve(schema: unknown, refs: SchemaRefs): Schema | undefined {
  const node = asSchema(schema);
  return node ? followRef(node, refs) : undefined;
}

/** The schema's alternatives once `$ref`s are followed and `null` branches dropped (a nullable string is a string). */
function branches(schema: Schema): Schema[] {
  for (const key of ['anyOf', 'oneOf'] as const) {
    const list = schema[key];
    if (Array.isArray(list)) return list.map(asSchema).filter((s): s is Schema => s !== undefined && s.type !== 'null');
  }
  return [];
}

/** The broad shape of `schema`; `unknown` when it allows anything or alternatives disagree. */
export function shapeOf(schema: unknown, refs: SchemaRefs, depth = 0): SchemaShape {
  const node = resolve(schema, refs);
  if (!node || depth > maxDepth) return 'unknown';
  const type = Array.isArray(node.type) ? node.type.filter((t) => t !== 'null') : node.type;
  if (Array.isArray(type)) return type.length === 1 ? (type[0] as SchemaShape) : 'unknown';
  if (typeof type === 'string') return type as SchemaShape;
  const alternatives = branches(node);
  if (alternatives.length > 0) {
    const shapes = new Set(alternatives.map((b) => shapeOf(b, refs, depth + 1)));
    return shapes.size === 1 ? [...shapes][0] : 'unknown';
  }
  if (Array.isArray(node.allOf)) {
    for (const member of node.allOf) {
      const shape = shapeOf(member, refs, depth + 1);
      if (shape !== 'unknown') return shape;
    }
  }
  if (asSchema(node.properties)) return 'object';
  if (node.items !== undefined) return 'array';
  return 'unknown';
}

function collectProperties(schema: unknown, refs: SchemaRefs, out: Map<string, TSchema>, depth: number): void {
  const node = resolve(schema, refs);
  if (!node || depth > maxDepth) return;
  const properties = asSchema(node.properties);
  if (properties) for (const [name, sub] of Object.entries(properties)) if (!out.has(name)) out.set(name, sub as TSchema);
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = node[key];
    if (Array.isArray(list)) for (const member of list) collectProperties(member, refs, out, depth + 1);
  }
}

/** Every property an object schema names, through allOf and the alternatives of anyOf/oneOf (first one wins). */
export function propertiesOf(schema: unknown, refs: SchemaRefs): Map<string, TSchema> {
  const out = new Map<string, TSchema>();
  collectProperties(schema, refs, out, 0);
  return out;
}

/** TypeBox writes `additionalProperties: {…}` as a Record: one catch-all pattern. */
const anyKey = '^(.*)$';

/** The schema of extra properties, when an object schema gives one. */
export function additionalPropertiesOf(schema: unknown, refs: SchemaRefs): TSchema | undefined {
  const node = resolve(schema, refs);
  const additional = asSchema(node?.additionalProperties) ?? asSchema(asSchema(node?.patternProperties)?.[anyKey]);
  return additional as TSchema | undefined;
}

/** The items schema of an array schema. */
export function itemsOf(schema: unknown, refs: SchemaRefs, depth = 0): TSchema | undefined {
  const node = resolve(schema, refs);
  if (!node || depth > maxDepth) return undefined;
  if (asSchema(node.items)) return node.items as TSchema;
  for (const alternative of [...branches(node), ...(Array.isArray(node.allOf) ? node.allOf : [])]) {
    const items = itemsOf(alternative, refs, depth + 1);
    if (items) return items;
  }
  return undefined;
}

/** The first value of a keyword on the schema or its nullable/allOf wrappers. */
function keyword(schema: unknown, name: string, refs: SchemaRefs, depth = 0): unknown {
  const node = resolve(schema, refs);
  if (!node || depth > maxDepth) return undefined;
  if (node[name] !== undefined) return node[name];
  for (const alternative of [...branches(node), ...(Array.isArray(node.allOf) ? node.allOf : [])]) {
    const value = keyword(alternative, name, refs, depth + 1);
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * True when the schema describes raw bytes: `format: binary` (OpenAPI 3.0), or a 3.1 `contentMediaType`
 * without `contentEncoding` (with an encoding the value is text, such as base64).
 */
export function isBinarySchema(schema: unknown, refs: SchemaRefs): boolean {
  if (shapeOf(schema, refs) !== 'string') return false;
  if (keyword(schema, 'format', refs) === 'binary') return true;
  return keyword(schema, 'contentMediaType', refs) !== undefined && keyword(schema, 'contentEncoding', refs) === undefined;
}

/** The `xml` object of a schema (OpenAPI's XML hints), when the schema carries one. */
export function xmlOf(schema: unknown, refs: SchemaRefs): { name?: string; attribute?: boolean; wrapped?: boolean; prefix?: string; namespace?: string } {
  const node = asSchema(schema);
  // Hints on the referring node win over those of the referred component.
  const own = asSchema(node?.xml);
  const target = asSchema(resolve(schema, refs)?.xml);
  return { ...(target ?? {}), ...(own ?? {}) } as ReturnType<typeof xmlOf>;
}

/** The component name a schema refers to (`$ref` id), with the request/response variant suffix dropped. */
export function refNameOf(schema: unknown, refs: SchemaRefs): string | undefined {
  const ref = asSchema(schema)?.$ref;
  if (typeof ref !== 'string') return undefined;
  for (const [suffix, other] of [['Response', 'Request'], ['Request', 'Response']] as const) {
    if (ref.endsWith(suffix) && refs.has(ref.slice(0, -suffix.length) + other)) return ref.slice(0, -suffix.length);
  }
  return ref;
}
