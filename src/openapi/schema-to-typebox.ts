import { Type, type TSchema } from '@sinclair/typebox';
import { toolkitError } from '../errors.js';
import { registerFormats, registerPermissiveFormat, stringFormats } from './formats.js';
import { joinPointer, resolvePointer, splitPointer } from './json-pointer.js';

// The one OpenAPI-schema → TypeBox walker: guards, one `fromX` per kind, one dispatcher (`convert`).
// Runtime validation, fake data and the generated TypeScript module all read what this file produces.
//
// Conventions the rest of iwkit relies on:
// - A component `#/components/schemas/Name` becomes `Type.Ref(id)`; the component itself is in `references()`
//   with `$id: id`. `id` is `Name`, or `NameRequest` / `NameResponse` when readOnly/writeOnly make the
//   request and response shapes differ.
// - Annotations (title, description, example, examples, default, deprecated, readOnly, writeOnly, x-*) sit on the
//   outermost node produced for a schema (e.g. on the Union for a nullable string); constraints on the inner node.

/** Which side of the exchange a schema describes: readOnly fields are optional in requests, writeOnly fields absent from responses. */
export type Direction = 'request' | 'response';

/** Options for a converter over one bundled OpenAPI document. */
export interface SchemaConverterOptions {
  /** The bundled document (only internal `$ref`s). */
  document: Record<string, unknown>;
  /** Named in error messages, e.g. the spec's file path. */
  source?: string;
  /** Non-fatal findings are appended here, each naming a JSON pointer. */
  warnings?: string[];
}

/** Converts schemas of one document, sharing its component references. */
export interface SchemaConverter {
  /** Converts the schema found at `pointer` (a `#/...` JSON pointer, used in messages) for `direction`. */
  convert(schema: unknown, pointer: string, direction: Direction): TSchema;
  /** Every component schema (both variants when direction matters), each with its `$id`. */
  references(): TSchema[];
}

type RawSchema = Record<string, unknown>;

const COMPONENT_PREFIX = '#/components/schemas/';
const INT32 = { min: -2147483648, max: 2147483647 };
const INT64 = { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };
const NUMBER_FORMATS = new Set(['int32', 'int64', 'float', 'double']);

const ANNOTATIONS = new Set(['title', 'description', 'example', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly']);
const STRING_KEYWORDS = ['minLength', 'maxLength', 'pattern', 'format', 'contentEncoding', 'contentMediaType'];
const NUMBER_KEYWORDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'format'];
const ARRAY_KEYWORDS = ['items', 'minItems', 'maxItems', 'uniqueItems'];
const OBJECT_KEYWORDS = ['properties', 'required', 'additionalProperties', 'minProperties', 'maxProperties'];
const STRUCTURAL = new Set([
  'type', 'nullable', 'enum', 'const', 'allOf', 'oneOf', 'anyOf', 'not', '$ref',
  ...STRING_KEYWORDS, ...NUMBER_KEYWORDS, ...ARRAY_KEYWORDS, ...OBJECT_KEYWORDS,
]);
/** Read elsewhere or pure documentation: accepted without effect on validation. */
const IGNORED = new Set(['xml', 'externalDocs', '$comment', '$schema', '$defs', 'definitions', 'contentSchema']);
/** Keywords iwkit cannot honour: converting them would silently accept values the spec rejects. */
const UNSUPPORTED = new Set([
  '$dynamicRef', '$dynamicAnchor', '$recursiveRef', '$recursiveAnchor', 'if', 'then', 'else', 'patternProperties',
  'dependentRequired', 'dependentSchemas', 'dependencies', 'unevaluatedProperties', 'unevaluatedItems', 'prefixItems',
  'contains', 'minContains', 'maxContains', 'propertyNames', 'additionalItems',
]);
const WARN_IGNORED: Record<string, string> = {
  discriminator: 'discriminator is ignored; the oneOf/anyOf alternatives are validated as they are',
  $id: '$id inside a schema is ignored',
  $anchor: '$anchor is ignored',
};

// ---------------------------------------------------------------- guards

function isObject(value: unknown): value is RawSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPrimitiveLiteral(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function hasAny(schema: RawSchema, keys: readonly string[]): boolean {
  return keys.some((key) => key in schema);
}

/** Types the schema declares: 3.1 `type` arrays, a single `type`, or inferred from type-specific keywords. */
function declaredTypes(schema: RawSchema, pointer: string, fail: Fail): string[] {
  const { type } = schema;
  if (Array.isArray(type)) return type.map(String);
  if (typeof type === 'string') return [type];
  if (type !== undefined) throw fail(joinPointer(pointer, 'type'), 'type must be a string or an array of strings');
  if (hasAny(schema, ['properties', 'additionalProperties', 'required', 'minProperties', 'maxProperties'])) return ['object'];
  if (hasAny(schema, ARRAY_KEYWORDS)) return ['array'];
  if (hasAny(schema, ['minLength', 'maxLength', 'pattern'])) return ['string'];
  if (hasAny(schema, ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'])) return ['number'];
  return [];
}

type Fail = (pointer: string, message: string) => Error;

/** Converter state for one document. */
interface WalkState {
  document: Record<string, unknown>;
  source: string;
  warnings: string[];
  /** Component name → true when its request and response shapes differ. */
  directional: Map<string, boolean>;
  /** Variant id → converted component (undefined while being converted, which is how recursion stops). */
  converted: Map<string, TSchema | undefined>;
  /** Local non-component pointers being inlined, to catch recursion that has no name to refer to. */
  inlining: Set<string>;
  fail: Fail;
}

// ---------------------------------------------------------------- one fromX per kind

function annotations(schema: RawSchema): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key) || key.startsWith('x-')) options[key] = value;
  }
  return options;
}

function pick(schema: RawSchema, keys: readonly string[]): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const key of keys) if (schema[key] !== undefined) options[key] = schema[key];
  return options;
}

function fromString(schema: RawSchema, pointer: string, state: WalkState): TSchema {
  const options = pick(schema, STRING_KEYWORDS);
  const { format } = options;
  if (typeof format === 'string' && !(format in stringFormats)) {
    registerPermissiveFormat(format);
    warn(state, pointer, `unknown string format "${format}" accepts any string`);
  }
  if (typeof options.pattern === 'string') {
    try {
      new RegExp(options.pattern, 'u');
    } catch {
      throw state.fail(joinPointer(pointer, 'pattern'), `pattern ${JSON.stringify(options.pattern)} is not a valid regular expression`);
    }
  }
  return Type.String(options);
}

/** Numbers: 3.0 boolean exclusive bounds become 3.1 numeric ones; int32/int64 become bounds. */
function numberOptions(schema: RawSchema, pointer: string, state: WalkState): Record<string, unknown> {
  const options = pick(schema, NUMBER_KEYWORDS);
  for (const [exclusive, inclusive] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (typeof options[exclusive] === 'boolean') {
      if (options[exclusive] === true && typeof options[inclusive] === 'number') {
        options[exclusive] = options[inclusive];
        delete options[inclusive];
      } else {
        delete options[exclusive];
      }
    }
  }
  const { format } = options;
  const bounds = format === 'int32' ? INT32 : format === 'int64' ? INT64 : undefined;
  if (bounds) {
    options.minimum = typeof options.minimum === 'number' ? Math.max(options.minimum, bounds.min) : bounds.min;
    options.maximum = typeof options.maximum === 'number' ? Math.min(options.maximum, bounds.max) : bounds.max;
  } else if (typeof format === 'string' && !NUMBER_FORMATS.has(format)) {
    warn(state, pointer, `unknown number format "${format}" is ignored`);
  }
  return options;
}

function fromNumber(schema: RawSchema, pointer: string, state: WalkState): TSchema {
  return Type.Number(numberOptions(schema, pointer, state));
}

function fromInteger(schema: RawSchema, pointer: string, state: WalkState): TSchema {
  return Type.Integer(numberOptions(schema, pointer, state));
}

function fromArray(schema: RawSchema, pointer: string, direction: Direction, state: WalkState): TSchema {
  const { items } = schema;
  if (Array.isArray(items)) throw state.fail(joinPointer(pointer, 'items'), 'tuple-form items (an array of schemas) is not supported');
  const element = items === undefined ? Type.Unknown() : convert(items, joinPointer(pointer, 'items'), direction, state);
  return Type.Array(element, pick(schema, ['minItems', 'maxItems', 'uniqueItems']));
}

/** The root flag of a property schema, looking through one `$ref` (a readOnly component makes the property readOnly). */
function flag(schema: unknown, name: 'readOnly' | 'writeOnly', state: WalkState): boolean {
  if (!isObject(schema)) return false;
  if (schema[name] === true) return true;
  if (typeof schema.$ref === 'string') {
    const target = resolvePointer(state.document, schema.$ref);
    return isObject(target) && target[name] === true;
  }
  return false;
}

function fromObject(schema: RawSchema, pointer: string, direction: Direction, state: WalkState): TSchema {
  const rawProperties = schema.properties ?? {};
  if (!isObject(rawProperties)) throw state.fail(joinPointer(pointer, 'properties'), 'properties must be an object');
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const properties: Record<string, TSchema> = {};
  for (const [name, raw] of Object.entries(rawProperties)) {
    if (direction === 'response' && flag(raw, 'writeOnly', state)) continue;
    const property = convert(raw, joinPointer(pointer, 'properties', name), direction, state);
    const optional = !required.has(name) || (direction === 'request' && flag(raw, 'readOnly', state));
    properties[name] = optional ? Type.Optional(property) : property;
  }
  // `required` may name keys without a declared schema: they must be present, with any value.
  for (const name of required) {
    if (!(name in rawProperties)) properties[name] = Type.Unknown();
  }
  const options = pick(schema, ['minProperties', 'maxProperties']);
  const { additionalProperties } = schema;
  if (additionalProperties === false) {
    options.additionalProperties = false;
  } else if (isObject(additionalProperties)) {
    const values = convert(additionalProperties, joinPointer(pointer, 'additionalProperties'), direction, state);
    // A pure map reads best as a Record (its static type is Record<string, T>).
    if (Object.keys(properties).length === 0) return Type.Record(Type.String(), values, options);
    options.additionalProperties = values;
  } else if (additionalProperties !== undefined && additionalProperties !== true) {
    throw state.fail(joinPointer(pointer, 'additionalProperties'), 'additionalProperties must be a boolean or a schema');
  }
  return Type.Object(properties, options);
}

function fromLiteral(value: unknown, pointer: string, state: WalkState): TSchema {
  if (value === null) return Type.Null();
  if (isPrimitiveLiteral(value)) return Type.Literal(value);
  throw state.fail(pointer, 'enum/const values that are objects or arrays are not supported');
}

function fromConst(schema: RawSchema, pointer: string, state: WalkState): TSchema {
  return fromLiteral(schema.const, joinPointer(pointer, 'const'), state);
}

function fromEnum(schema: RawSchema, pointer: string, state: WalkState): TSchema {
  const values = schema.enum;
  if (!Array.isArray(values) || values.length === 0) throw state.fail(joinPointer(pointer, 'enum'), 'enum must be a non-empty array');
  const literals = values.map((value, index) => fromLiteral(value, joinPointer(pointer, 'enum', index), state));
  return literals.length === 1 ? literals[0] : Type.Union(literals);
}

function fromType(type: string, schema: RawSchema, pointer: string, direction: Direction, state: WalkState): TSchema {
  switch (type) {
    case 'string': return fromString(schema, pointer, state);
    case 'number': return fromNumber(schema, pointer, state);
    case 'integer': return fromInteger(schema, pointer, state);
    case 'boolean': return Type.Boolean();
    case 'null': return Type.Null();
    case 'array': return fromArray(schema, pointer, direction, state);
    case 'object': return fromObject(schema, pointer, direction, state);
    default: throw state.fail(joinPointer(pointer, 'type'), `unknown type "${type}"`);
  }
}

function componentId(name: string, direction: Direction, state: WalkState): string {
  if (!state.directional.get(name)) return name;
  const schemas = componentSchemas(state.document);
  let id = `${name}${direction === 'request' ? 'Request' : 'Response'}`;
  while (id in schemas) id = `${id}_`;
  return id;
}

function fromComponent(name: string, pointer: string, direction: Direction, state: WalkState): TSchema {
  const schemas = componentSchemas(state.document);
  if (!(name in schemas)) throw toolkitError('IWKIT_ERR_SPEC_REF', `${state.source}#${pointer.slice(1)}`, `$ref ${COMPONENT_PREFIX}${name} does not resolve`);
  const id = componentId(name, direction, state);
  if (!state.converted.has(id)) {
    state.converted.set(id, undefined);
    const body = convert(schemas[name], joinPointer('#/components/schemas', name), direction, state);
    state.converted.set(id, { ...body, $id: id });
  }
  return Type.Ref(id);
}

function fromRef(schema: RawSchema, pointer: string, direction: Direction, state: WalkState): TSchema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') throw state.fail(joinPointer(pointer, '$ref'), '$ref must be a string');
  const tokens = splitPointer(ref);
  if (!tokens) throw toolkitError('IWKIT_ERR_SPEC_REF', `${state.source}#${pointer.slice(1)}`, `$ref ${ref} is not a local reference after bundling`);
  if (ref.startsWith(COMPONENT_PREFIX) && tokens.length === 3) return fromComponent(tokens[2], pointer, direction, state);
  const target = resolvePointer(state.document, ref);
  if (target === undefined) throw toolkitError('IWKIT_ERR_SPEC_REF', `${state.source}#${pointer.slice(1)}`, `$ref ${ref} does not resolve`);
  if (state.inlining.has(ref)) throw state.fail(pointer, `recursive $ref ${ref} must point at #/components/schemas/<Name>`);
  state.inlining.add(ref);
  try {
    return convert(target, ref, direction, state);
  } finally {
    state.inlining.delete(ref);
  }
}

function warn(state: WalkState, pointer: string, message: string): void {
  const line = `${pointer}: ${message}`;
  if (!state.warnings.includes(line)) state.warnings.push(line);
}

function checkKeywords(schema: RawSchema, pointer: string, state: WalkState): void {
  for (const key of Object.keys(schema)) {
    if (UNSUPPORTED.has(key)) throw state.fail(joinPointer(pointer, key), `keyword "${key}" is not supported`);
    if (key in WARN_IGNORED) warn(state, joinPointer(pointer, key), WARN_IGNORED[key]);
    else if (!STRUCTURAL.has(key) && !ANNOTATIONS.has(key) && !IGNORED.has(key) && !key.startsWith('x-')) {
      warn(state, joinPointer(pointer, key), `unknown keyword "${key}" is ignored`);
    }
  }
}

function withOptions(schema: TSchema, options: Record<string, unknown>): TSchema {
  return Object.keys(options).length === 0 ? schema : { ...schema, ...options };
}

function flattenUnion(members: TSchema[]): TSchema {
  const flat = members.flatMap((member) => (Array.isArray(member.anyOf) && Object.keys(member).length === 1 ? (member.anyOf as TSchema[]) : [member]));
  return flat.length === 1 ? flat[0] : Type.Union(flat);
}

/** The dispatcher: one OpenAPI 3.0/3.1 schema (object or boolean) → TypeBox. */
function convert(schema: unknown, pointer: string, direction: Direction, state: WalkState): TSchema {
  if (schema === true) return Type.Unknown();
  if (schema === false) return Type.Never();
  if (!isObject(schema)) throw state.fail(pointer, 'a schema must be an object or a boolean');
  checkKeywords(schema, pointer, state);
  const options = annotations(schema);

  const parts: TSchema[] = [];
  if ('$ref' in schema) parts.push(fromRef(schema, pointer, direction, state));
  if ('const' in schema) parts.push(fromConst(schema, pointer, state));
  else if ('enum' in schema) parts.push(fromEnum(schema, pointer, state));
  else {
    const types = declaredTypes(schema, pointer, state.fail);
    if (types.length > 0) {
      const typed = types.map((type) => fromType(type, schema, pointer, direction, state));
      parts.push(typed.length === 1 ? typed[0] : Type.Union(typed));
    }
  }
  for (const keyword of ['allOf', 'oneOf', 'anyOf'] as const) {
    if (!(keyword in schema)) continue;
    const members = schema[keyword];
    if (!Array.isArray(members) || members.length === 0) throw state.fail(joinPointer(pointer, keyword), `${keyword} must be a non-empty array`);
    const converted = members.map((member, index) => convert(member, joinPointer(pointer, keyword, index), direction, state));
    if (keyword === 'allOf') parts.push(...converted);
    else parts.push(converted.length === 1 ? converted[0] : Type.Union(converted));
  }
  if ('not' in schema) parts.push(Type.Not(convert(schema.not, joinPointer(pointer, 'not'), direction, state)));

  let result: TSchema = parts.length === 0 ? Type.Unknown() : parts.length === 1 ? parts[0] : Type.Intersect(parts);
  // 3.0 `nullable` only widens a schema that has a type (or composition); `enum` must then list null itself,
  // but documents often forget, so null is admitted either way.
  if (schema.nullable === true && parts.length > 0) result = flattenUnion([result, Type.Null()]);
  return withOptions(result, options);
}

// ---------------------------------------------------------------- directional components

function componentSchemas(document: Record<string, unknown>): Record<string, unknown> {
  const components = document.components;
  const schemas = isObject(components) ? components.schemas : undefined;
  return isObject(schemas) ? schemas : {};
}

/** Component names a schema refers to, and whether the schema itself uses readOnly/writeOnly (without following refs). */
function scan(value: unknown, refs: Set<string>): boolean {
  if (Array.isArray(value)) return value.map((item) => scan(item, refs)).some(Boolean);
  if (!isObject(value)) return false;
  let marked = value.readOnly === true || value.writeOnly === true;
  for (const [key, child] of Object.entries(value)) {
    if (key === '$ref' && typeof child === 'string' && child.startsWith(COMPONENT_PREFIX)) {
      const tokens = splitPointer(child);
      if (tokens && tokens.length === 3) refs.add(tokens[2]);
    } else if (key !== 'example' && key !== 'examples' && key !== 'default' && key !== 'const' && key !== 'enum') {
      if (scan(child, refs)) marked = true;
    }
  }
  return marked;
}

/** A component is directional when it, or a component it reaches, uses readOnly/writeOnly. */
function directionalComponents(document: Record<string, unknown>): Map<string, boolean> {
  const schemas = componentSchemas(document);
  const edges = new Map<string, Set<string>>();
  const result = new Map<string, boolean>();
  for (const [name, schema] of Object.entries(schemas)) {
    const refs = new Set<string>();
    result.set(name, scan(schema, refs));
    edges.set(name, refs);
  }
  let changed = true;
  while (changed) {
    changed = false;
    for (const [name, refs] of edges) {
      if (!result.get(name) && [...refs].some((ref) => result.get(ref))) {
        result.set(name, true);
        changed = true;
      }
    }
  }
  return result;
}

/** Creates the converter for one bundled document; component schemas are converted once per direction and shared. */
export function createSchemaConverter(options: SchemaConverterOptions): SchemaConverter {
  registerFormats();
  const source = options.source ?? '<document>';
  const state: WalkState = {
    document: options.document,
    source,
    warnings: options.warnings ?? [],
    directional: directionalComponents(options.document),
    converted: new Map(),
    inlining: new Set(),
    fail: (pointer, message) => toolkitError('IWKIT_ERR_SCHEMA_UNSUPPORTED', `${source}#${pointer.slice(1)}`, message),
  };
  return {
    convert: (schema, pointer, direction) => convert(schema, pointer, direction, state),
    references() {
      for (const name of Object.keys(componentSchemas(state.document))) {
        fromComponent(name, '#/components/schemas', 'response', state);
        if (state.directional.get(name)) fromComponent(name, '#/components/schemas', 'request', state);
      }
      return [...state.converted.values()].filter((schema): schema is TSchema => schema !== undefined);
    },
  };
}

/** Converts one standalone OpenAPI schema (refs resolve against `document`, if given) to TypeBox. */
export function schemaToTypeBox(schema: unknown, options: { direction?: Direction; document?: Record<string, unknown>; warnings?: string[] } = {}): TSchema {
  const converter = createSchemaConverter({ document: options.document ?? {}, warnings: options.warnings });
  return converter.convert(schema, '#', options.direction ?? 'response');
}
