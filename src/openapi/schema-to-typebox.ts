import { Kind, Type, type TSchema } from '@sinclair/typebox';
import { toolkitError } from '../errors.js';
import { DISCRIMINATOR, type DiscriminatorInfo } from './discriminator.js';
import { impliedType } from './implied-type.js';
import { registerFormats, registerPermissiveFormat, stringFormats } from './formats.js';
import { JsonSchemaContext, jsonSchemaNode } from './json-schema-node.js';
import { joinPointer, resolvePointer, splitPointer } from './json-pointer.js';
import { alternativesDisjoint, discriminatorMapping } from './raw-alternatives.js';
import { RECURSIVE_ANCHOR, SchemaResources, type Resource, type Target } from './schema-resources.js';

// The one OpenAPI-schema → TypeBox walker: guards, one `fromX` per kind, one dispatcher (`convert`).
// Runtime validation, fake data and the generated TypeScript module all read what this file produces.
//
// Conventions the rest of iwkit relies on:
// - A component `#/components/schemas/Name` becomes `Type.Ref(id)`; the component itself is in `references()`
//   with `$id: id`. `id` is `Name`, or `NameRequest` / `NameResponse` when readOnly/writeOnly make the
//   request and response shapes differ (and `Name_<anchor>_<Target>` for a component specialised by a
//   `$dynamicRef` binding, see below).
// - Annotations (title, description, example, examples, default, deprecated, readOnly, writeOnly, x-*) sit on the
//   outermost node produced for a schema (e.g. on the Union for a nullable string); constraints on the inner node.
// - What TypeBox expresses stays ordinary TypeBox. A schema object using a keyword TypeBox cannot express
//   (patternProperties, propertyNames, if/then/else, dependent*, prefixItems, contains, unevaluated*, object or
//   array const/enum, a oneOf whose alternatives may overlap) becomes ONE ajv-backed node (json-schema-node.ts)
//   holding the schema's JSON Schema 2020-12 equivalent, its children converted as usual.
// - `$id`, `$anchor`, `$defs`, `$dynamicAnchor`/`$dynamicRef` (and 2019-09 `$recursive*`) are resolved here,
//   statically, along the path being converted: the output never needs them.
// - 3.0 idioms become 2020-12: `nullable`, boolean `exclusiveMinimum`/`exclusiveMaximum`, tuple `items` arrays
//   with `additionalItems`, draft-07 `dependencies`.
// - Lenient (default): whatever cannot be honoured is a warning `"<#/pointer>: <message>"` and the most
//   faithful fallback (the offending keyword dropped, or Type.Unknown()). Strict: IWKIT_ERR_SCHEMA_UNSUPPORTED
//   (IWKIT_ERR_SPEC_REF for references that do not resolve).

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
  /**
   * `true`: a schema iwkit cannot fully honour throws IWKIT_ERR_SCHEMA_UNSUPPORTED (a dangling `$ref`
   * IWKIT_ERR_SPEC_REF). Default `false`: it is a warning and the most faithful fallback is used.
   */
  strict?: boolean;
}

/** Converts schemas of one document, sharing its component references. */
export interface SchemaConverter {
  /** Converts the schema found at `pointer` (a `#/...` JSON pointer, used in messages) for `direction`. */
  convert(schema: unknown, pointer: string, direction: Direction): TSchema;
  /** Every component schema (both variants when direction matters), each with its `$id`. */
  references(): TSchema[];
  /** How many schemas so far need the full JSON Schema engine (keywords TypeBox cannot express). */
  engineSchemas(): number;
}

type RawSchema = Record<string, unknown>;

const COMPONENT_PREFIX = '#/components/schemas/';
const INT32 = { min: -2147483648, max: 2147483647 };
const INT64 = { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };
const NUMBER_FORMATS = new Set(['int32', 'int64', 'float', 'double']);
const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null', 'array', 'object']);

const ANNOTATIONS = new Set(['title', 'description', 'example', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly']);
const STRING_KEYWORDS = ['minLength', 'maxLength', 'pattern', 'format', 'contentEncoding', 'contentMediaType'];
const NUMBER_KEYWORDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'format'];
const ARRAY_KEYWORDS = ['items', 'minItems', 'maxItems', 'uniqueItems'];
const OBJECT_KEYWORDS = ['properties', 'required', 'additionalProperties', 'minProperties', 'maxProperties'];
/** Keywords only an ajv-backed node honours. */
const JSON_ONLY = [
  'patternProperties', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems', 'prefixItems', 'additionalItems',
  'dependentRequired', 'dependentSchemas', 'dependencies', 'contains', 'minContains', 'maxContains',
];
const STRUCTURAL = new Set([
  'type', 'nullable', 'enum', 'const', 'allOf', 'oneOf', 'anyOf', 'not', '$ref', '$dynamicRef', '$recursiveRef',
  'if', 'then', 'else', 'discriminator',
  ...STRING_KEYWORDS, ...NUMBER_KEYWORDS, ...ARRAY_KEYWORDS, ...OBJECT_KEYWORDS, ...JSON_ONLY,
]);
/** Read elsewhere, resolved here, or pure documentation: no effect of their own on validation. */
const IGNORED = new Set([
  'xml', 'externalDocs', '$comment', '$schema', '$defs', 'definitions', 'contentSchema', '$id', '$anchor', '$dynamicAnchor',
  '$recursiveAnchor', '$vocabulary',
]);

// ---------------------------------------------------------------- guards

function isObject(value: unknown): value is RawSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPrimitiveLiteral(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isLiteral(value: unknown): value is string | number | boolean | null {
  return value === null || isPrimitiveLiteral(value);
}

function hasAny(schema: RawSchema, keys: readonly string[]): boolean {
  return keys.some((key) => key in schema);
}

type Fail = (pointer: string, message: string) => Error;

/** Converter state for one document. */
interface WalkState {
  document: Record<string, unknown>;
  source: string;
  warnings: string[];
  warned: Set<string>;
  strict: boolean;
  /** Component name → true when its request and response shapes differ. */
  directional: Map<string, boolean>;
  /** Variant id → converted component (undefined while being converted, which is how recursion stops). */
  converted: Map<string, TSchema | undefined>;
  /** Local non-component pointers being inlined, to catch recursion that has no name to refer to. */
  inlining: Set<string>;
  /** Component specialisations by `$dynamicRef` binding: key → id. */
  specialised: Map<string, string>;
  resources: SchemaResources;
  /** The dynamic scope: schema resources entered on the way to the schema being converted. */
  scope: Resource[];
  /**
   * Whether a schema without `type` takes the type its keywords imply (`properties` → object), as OpenAPI authors
   * mean it. Off below `not`, `if`/`then`/`else`, `contains` and `dependentSchemas`, where it would change the meaning.
   */
  infer: boolean;
  context: JsonSchemaContext;
  fail: Fail;
}

function warn(state: WalkState, pointer: string, message: string): void {
  const line = `${pointer}: ${message}`;
  if (state.warned.has(line)) return;
  state.warned.add(line);
  state.warnings.push(line);
}

/** Something iwkit cannot fully honour: thrown in strict mode, a warning otherwise (the caller then falls back). */
function unsupported(state: WalkState, pointer: string, message: string): void {
  if (state.strict) throw state.fail(pointer, message);
  warn(state, pointer, message);
}

function unresolved(state: WalkState, pointer: string, message: string): TSchema {
  if (state.strict) throw toolkitError('IWKIT_ERR_SPEC_REF', `${state.source}#${pointer.slice(1)}`, message);
  warn(state, pointer, `${message}; any value is accepted`);
  return Type.Unknown();
}

/** Types the schema declares: 3.1 `type` arrays, a single `type`, or inferred from type-specific keywords. */
function declaredTypes(schema: RawSchema, pointer: string, state: WalkState): string[] {
  const { type } = schema;
  if (Array.isArray(type) || typeof type === 'string') {
    const out: string[] = [];
    for (const entry of Array.isArray(type) ? type : [type]) {
      const name = String(entry);
      if (TYPES.has(name)) out.push(name);
      else if (TYPES.has(name.toLowerCase())) {
        unsupported(state, joinPointer(pointer, 'type'), `unknown type "${name}" is read as "${name.toLowerCase()}"`);
        out.push(name.toLowerCase());
      } else unsupported(state, joinPointer(pointer, 'type'), `unknown type "${name}" is ignored`);
    }
    return [...new Set(out)];
  }
  if (type !== undefined) {
    unsupported(state, joinPointer(pointer, 'type'), 'type must be a string or an array of strings');
    return [];
  }
  if (!state.infer) return [];
  const implied = impliedType(schema, 'validate');
  return implied ? [implied] : [];
}

// ---------------------------------------------------------------- one fromX per kind

function annotations(schema: RawSchema): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key) || key.startsWith('x-')) options[key] = value;
  }
  return options;
}

function pickNumbers(schema: RawSchema, keys: readonly string[], pointer: string, state: WalkState): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const key of keys) {
    const value = schema[key];
    if (value === undefined) continue;
    if (key === 'uniqueItems' ? typeof value === 'boolean' : typeof value === 'number' && Number.isFinite(value)) options[key] = value;
    else unsupported(state, joinPointer(pointer, key), `${key} must be a ${key === 'uniqueItems' ? 'boolean' : 'number'}; it is ignored`);
  }
  return options;
}

type PatternKind = 'invalid' | 'plain' | 'unicode';

/** How a pattern compiles: `unicode` when only its `u` reading is right (TypeBox reads patterns without `u`). */
function patternKind(pattern: string): PatternKind {
  let withU = true;
  let withoutU = true;
  try {
    new RegExp(pattern, 'u');
  } catch {
    withU = false;
  }
  try {
    new RegExp(pattern);
  } catch {
    withoutU = false;
  }
  if (!withU && !withoutU) return 'invalid';
  if (withU && (!withoutU || /\\[pP]\{|\\u\{|[\uD800-\uDFFF]/.test(pattern))) return 'unicode';
  return 'plain';
}

function stringOptions(schema: RawSchema, pointer: string, state: WalkState): Record<string, unknown> {
  const options = pickNumbers(schema, ['minLength', 'maxLength'], pointer, state);
  for (const key of ['contentEncoding', 'contentMediaType']) if (typeof schema[key] === 'string') options[key] = schema[key];
  const { format, pattern } = schema;
  if (typeof format === 'string') {
    options.format = format;
    if (!(format in stringFormats)) {
      registerPermissiveFormat(format);
      warn(state, pointer, `unknown string format "${format}" accepts any string`);
    }
  }
  if (typeof pattern === 'string') {
    if (patternKind(pattern) === 'invalid') {
      unsupported(state, joinPointer(pointer, 'pattern'), `pattern ${JSON.stringify(pattern)} is not a valid regular expression; it is ignored`);
    } else options.pattern = pattern;
  } else if (pattern !== undefined) unsupported(state, joinPointer(pointer, 'pattern'), 'pattern must be a string; it is ignored');
  return options;
}

function fromString(schema: RawSchema, pointer: string, state: WalkState): TSchema {
  return Type.String(stringOptions(schema, pointer, state));
}

/** Numbers: 3.0 boolean exclusive bounds become 3.1 numeric ones; int32/int64 become bounds. */
function numberOptions(schema: RawSchema, pointer: string, state: WalkState): Record<string, unknown> {
  const options: Record<string, unknown> = pickNumbers(schema, ['minimum', 'maximum', 'multipleOf'], pointer, state);
  for (const [exclusive, inclusive] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    const value = schema[exclusive];
    if (typeof value === 'number') options[exclusive] = value;
    else if (value === true && typeof options[inclusive] === 'number') {
      options[exclusive] = options[inclusive];
      delete options[inclusive];
    }
  }
  if (typeof options.multipleOf === 'number' && options.multipleOf <= 0) {
    unsupported(state, joinPointer(pointer, 'multipleOf'), 'multipleOf must be greater than 0; it is ignored');
    delete options.multipleOf;
  }
  const { format } = schema;
  if (typeof format === 'string') options.format = format;
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
  let element: TSchema = Type.Unknown();
  if (items !== undefined) {
    if (isObject(items) || typeof items === 'boolean') element = convert(items, joinPointer(pointer, 'items'), direction, state);
    else unsupported(state, joinPointer(pointer, 'items'), 'items must be a schema; it is ignored');
  }
  return Type.Array(element, pickNumbers(schema, ['minItems', 'maxItems', 'uniqueItems'], pointer, state));
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

/** The `properties` map, with its pointer; a `$ref` standing for the whole map is followed (leniently). */
function propertiesOf(schema: RawSchema, pointer: string, state: WalkState): [RawSchema, string] {
  const raw = schema.properties;
  const at = joinPointer(pointer, 'properties');
  if (raw === undefined) return [{}, at];
  if (!isObject(raw)) {
    unsupported(state, at, 'properties must be an object; it is ignored');
    return [{}, at];
  }
  if (typeof raw.$ref === 'string' && Object.keys(raw).length === 1) {
    const target = resolvePointer(state.document, raw.$ref);
    if (isObject(target)) {
      unsupported(state, at, `properties is a $ref (${raw.$ref}), read as the map of property schemas it points to`);
      return [target, raw.$ref];
    }
  }
  return [raw, at];
}

function requiredOf(schema: RawSchema, pointer: string, state: WalkState): string[] {
  const { required } = schema;
  if (required === undefined) return [];
  if (Array.isArray(required)) return [...new Set(required.map(String))];
  unsupported(state, joinPointer(pointer, 'required'), 'required must be an array of names; it is ignored');
  return [];
}

interface ConvertedProperties {
  properties: Record<string, TSchema>;
  required: string[];
}

/** Properties for `direction`: writeOnly ones leave responses, readOnly ones become optional in requests. */
function convertProperties(schema: RawSchema, pointer: string, direction: Direction, state: WalkState): ConvertedProperties {
  const [rawProperties, at] = propertiesOf(schema, pointer, state);
  const declared = new Set(requiredOf(schema, pointer, state));
  const properties: Record<string, TSchema> = {};
  const required: string[] = [];
  for (const [name, raw] of Object.entries(rawProperties)) {
    if (direction === 'response' && flag(raw, 'writeOnly', state)) continue;
    properties[name] = convert(raw, joinPointer(at, name), direction, state);
    if (declared.has(name) && !(direction === 'request' && flag(raw, 'readOnly', state))) required.push(name);
  }
  for (const name of declared) {
    if (!(name in rawProperties)) required.push(name);
  }
  return { properties, required };
}

function fromObject(schema: RawSchema, pointer: string, direction: Direction, state: WalkState): TSchema {
  const { properties: converted, required } = convertProperties(schema, pointer, direction, state);
  const requiredSet = new Set(required);
  const properties: Record<string, TSchema> = {};
  for (const [name, property] of Object.entries(converted)) properties[name] = requiredSet.has(name) ? property : Type.Optional(property);
  // `required` may name keys without a declared schema: they must be present, with any value.
  for (const name of required) {
    if (!(name in properties)) properties[name] = Type.Unknown();
  }
  const options = pickNumbers(schema, ['minProperties', 'maxProperties'], pointer, state);
  const { additionalProperties } = schema;
  if (additionalProperties === false) {
    options.additionalProperties = false;
  } else if (isObject(additionalProperties)) {
    const values = convert(additionalProperties, joinPointer(pointer, 'additionalProperties'), direction, state);
    // A pure map reads best as a Record (its static type is Record<string, T>).
    if (Object.keys(properties).length === 0) return Type.Record(Type.String(), values, options);
    options.additionalProperties = values;
  } else if (additionalProperties !== undefined && additionalProperties !== true) {
    unsupported(state, joinPointer(pointer, 'additionalProperties'), 'additionalProperties must be a boolean or a schema; it is ignored');
  }
  return Type.Object(properties, options);
}

function fromEnum(schema: RawSchema, pointer: string, state: WalkState): TSchema | undefined {
  const values = schema.enum;
  if (!Array.isArray(values)) {
    unsupported(state, joinPointer(pointer, 'enum'), 'enum must be an array; it is ignored');
    return undefined;
  }
  // An empty enum is legal JSON Schema: it matches nothing.
  if (values.length === 0) return Type.Never();
  const literals = values.map((value) => (value === null ? Type.Null() : Type.Literal(value as string | number | boolean)));
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
    default: return fromObject(schema, pointer, direction, state);
  }
}

// ---------------------------------------------------------------- references

function componentSchemas(document: Record<string, unknown>): Record<string, unknown> {
  const components = document.components;
  const schemas = isObject(components) ? components.schemas : undefined;
  return isObject(schemas) ? schemas : {};
}

function componentId(name: string, direction: Direction, state: WalkState): string {
  if (!state.directional.get(name)) return name;
  const schemas = componentSchemas(state.document);
  let id = `${name}${direction === 'request' ? 'Request' : 'Response'}`;
  while (id in schemas) id = `${id}_`;
  return id;
}

function withScope<T>(state: WalkState, scope: Resource[], run: () => T, infer = true): T {
  const saved = state.scope;
  const savedInfer = state.infer;
  state.scope = scope;
  state.infer = infer;
  try {
    return run();
  } finally {
    state.scope = saved;
    state.infer = savedInfer;
  }
}

/** Converts a sub-schema that qualifies the same value (not, if/then/else, contains, dependentSchemas) without type inference. */
function literally<T>(state: WalkState, run: () => T): T {
  return withScope(state, state.scope, run, false);
}

/** A readable id for a component specialised by dynamic bindings (`Page_itemType_Planet`). */
function specialisedId(base: string, bindings: [string, Target | undefined][], state: WalkState): string {
  const schemas = componentSchemas(state.document);
  const parts = bindings.map(([name, target]) => {
    const raw = target?.schema;
    const ref = isObject(raw) && typeof raw.$ref === 'string' ? raw.$ref : target?.pointer ?? 'none';
    return `${name.replace(/[^A-Za-z0-9]/g, '')}_${ref.slice(ref.lastIndexOf('/') + 1).replace(/[^A-Za-z0-9_]/g, '')}`;
  });
  let id = `${base}_${parts.join('_')}`;
  while (id in schemas || state.converted.has(id)) id = `${id}_`;
  return id;
}

function fromComponent(name: string, pointer: string, direction: Direction, state: WalkState): TSchema {
  const schemas = componentSchemas(state.document);
  if (!(name in schemas)) return unresolved(state, pointer, `$ref ${COMPONENT_PREFIX}${name} does not resolve`);
  const id = componentId(name, direction, state);
  const target: Target = { pointer: joinPointer('#/components/schemas', name), schema: schemas[name] };
  if (state.resources.usesDynamicRefs()) {
    const special = dynamicSpecialisation(id, target, state);
    if (special) return special(direction);
  }
  if (!state.converted.has(id)) {
    state.converted.set(id, undefined);
    const body = withScope(state, [state.resources.root], () => convert(target.schema, target.pointer, direction, state));
    state.converted.set(id, { ...body, $id: id });
  }
  return Type.Ref(id);
}

/**
 * A component reached while the dynamic scope binds one of the `$dynamicRef` anchors it uses differently from
 * its own scope is converted as its own variant (`PaginatedResource` with `itemType` bound to `Planet`).
 */
function dynamicSpecialisation(id: string, target: Target, state: WalkState): ((direction: Direction) => TSchema) | undefined {
  const names = [...state.resources.dynamicNames(target, state.scope)].sort();
  if (names.length === 0) return undefined;
  const here = [...state.scope];
  const root = state.resources.root;
  const own = isObject(target.schema) ? state.resources.resourceFor(target.schema, target.pointer, root) : undefined;
  const bindingsIn = (scope: Resource[]) => names.map((name): [string, Target | undefined] => [name, state.resources.resolveDynamic(name, scope)]);
  const neutral = bindingsIn(own ? [root, own] : [root]);
  const current = bindingsIn(own ? [...here, own] : here);
  const signature = (bindings: [string, Target | undefined][]) => JSON.stringify(bindings.map(([name, t]) => [name, t?.pointer]));
  if (signature(neutral) === signature(current)) return undefined;
  return (direction) => {
    const key = `${id}\u0000${signature(current)}`;
    let special = state.specialised.get(key);
    if (special === undefined) {
      special = specialisedId(id, current.filter((binding, i) => binding[1]?.pointer !== neutral[i][1]?.pointer), state);
      state.specialised.set(key, special);
      state.converted.set(special, undefined);
      const body = withScope(state, state.scope, () => convert(target.schema, target.pointer, direction, state));
      state.converted.set(special, { ...body, $id: special });
    }
    return Type.Ref(special);
  };
}

function componentOf(pointer: string): string | undefined {
  if (!pointer.startsWith(COMPONENT_PREFIX)) return undefined;
  const tokens = splitPointerSafe(pointer);
  return tokens && tokens.length === 3 ? tokens[2] : undefined;
}

function splitPointerSafe(pointer: string): string[] | undefined {
  try {
    return splitPointer(pointer);
  } catch {
    return undefined;
  }
}

/** Converts a resolved reference: a component by reference, anything else inline. */
function fromTarget(target: Target, pointer: string, direction: Direction, state: WalkState): TSchema {
  const component = componentOf(target.pointer);
  if (component !== undefined && resolvePointer(state.document, target.pointer) === target.schema) return fromComponent(component, pointer, direction, state);
  const key = `${target.pointer}\u0000${direction}\u0000${state.scope.map((r) => r.pointer).join('|')}`;
  if (state.inlining.has(key)) {
    unsupported(state, pointer, `recursive $ref ${target.pointer} must point at #/components/schemas/<Name>; the recursion accepts any value`);
    return Type.Unknown();
  }
  state.inlining.add(key);
  try {
    return convert(target.schema, target.pointer, direction, state);
  } finally {
    state.inlining.delete(key);
  }
}

function fromRef(schema: RawSchema, pointer: string, direction: Direction, state: WalkState): TSchema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') {
    unsupported(state, joinPointer(pointer, '$ref'), '$ref must be a string; it is ignored');
    return Type.Unknown();
  }
  const target = state.resources.resolve(ref, state.scope);
  if (target === undefined) {
    const local = ref.startsWith('#');
    return unresolved(state, pointer, local ? `$ref ${ref} does not resolve` : `$ref ${ref} is not a local reference after bundling`);
  }
  return fromTarget(target, pointer, direction, state);
}

function fromDynamicRef(schema: RawSchema, pointer: string, direction: Direction, state: WalkState): TSchema {
  const dynamic = typeof schema.$dynamicRef === 'string' ? schema.$dynamicRef : undefined;
  const recursive = typeof schema.$recursiveRef === 'string' ? schema.$recursiveRef : undefined;
  const keyword = dynamic !== undefined ? '$dynamicRef' : '$recursiveRef';
  const ref = dynamic ?? recursive ?? '';
  let target: Target | undefined;
  if (dynamic !== undefined && dynamic.startsWith('#') && !dynamic.startsWith('#/')) {
    target = state.resources.resolveDynamic(decodeURIComponentSafe(dynamic.slice(1)), state.scope);
  } else if (recursive === '#') {
    target = state.resources.resolveDynamic(RECURSIVE_ANCHOR, state.scope);
  } else {
    target = state.resources.resolve(ref, state.scope);
  }
  if (target === undefined) return unresolved(state, joinPointer(pointer, keyword), `${keyword} ${ref} does not resolve`);
  return fromTarget(target, pointer, direction, state);
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

// ---------------------------------------------------------------- combinators

function checkKeywords(schema: RawSchema, pointer: string, state: WalkState): void {
  for (const key of Object.keys(schema)) {
    if (!STRUCTURAL.has(key) && !ANNOTATIONS.has(key) && !IGNORED.has(key) && !key.startsWith('x-')) {
      warn(state, joinPointer(pointer, key), `unknown keyword "${key}" is ignored`);
    }
  }
}

function withOptions(schema: TSchema, options: Record<string, unknown>): TSchema {
  return Object.keys(options).length === 0 ? schema : { ...schema, ...options };
}

function flattenUnion(members: TSchema[]): TSchema {
  const flat = members.flatMap((member) => (member[Kind] === 'Union' && Object.keys(member).length === 1 ? (member.anyOf as TSchema[]) : [member]));
  if (flat.length === 1) return flat[0];
  // Alternatives keep their indexes (null comes last), so a discriminator still applies.
  const info = members.map((member) => (member as unknown as Record<symbol, unknown>)[DISCRIMINATOR]).find(Boolean);
  const union = Type.Union(flat);
  return info ? ({ ...union, [DISCRIMINATOR]: info } as TSchema) : union;
}

function membersOf(schema: RawSchema, keyword: 'allOf' | 'anyOf' | 'oneOf', pointer: string, state: WalkState): unknown[] | undefined {
  const members = schema[keyword];
  if (members === undefined) return undefined;
  if (Array.isArray(members) && members.length > 0) return members;
  unsupported(state, joinPointer(pointer, keyword), `${keyword} must be a non-empty array; it is ignored`);
  return undefined;
}

/** Follows `$ref`s of raw schemas (bounded), for the cheap looks at alternatives. */
function derefRaw(state: WalkState): (schema: unknown) => unknown {
  return (schema) => {
    let current = schema;
    for (let hops = 0; hops < 16 && isObject(current) && typeof current.$ref === 'string'; hops++) {
      const target = state.resources.resolve(current.$ref, state.scope);
      if (target === undefined) return undefined;
      current = target.schema;
    }
    return current;
  };
}

function discriminatorInfo(schema: RawSchema, keyword: 'oneOf' | 'anyOf', members: unknown[], state: WalkState): DiscriminatorInfo | undefined {
  const { discriminator } = schema;
  if (!isObject(discriminator) || typeof discriminator.propertyName !== 'string') return undefined;
  return { keyword, propertyName: discriminator.propertyName, mapping: discriminatorMapping(discriminator, members, derefRaw(state)) };
}

/** True when a oneOf needs ajv: alternatives that may overlap make "exactly one" differ from "any". */
function oneOfNeedsJson(schema: RawSchema, state: WalkState): boolean {
  const members = schema.oneOf;
  if (!Array.isArray(members) || members.length < 2) return false;
  const property = isObject(schema.discriminator) && typeof schema.discriminator.propertyName === 'string' ? schema.discriminator.propertyName : undefined;
  return !alternativesDisjoint(members, property, derefRaw(state));
}

/** True when the schema object uses something only an ajv-backed node honours. */
function needsJson(schema: RawSchema, state: WalkState): boolean {
  if (hasAny(schema, JSON_ONLY)) return true;
  // Without inference, type-specific keywords without a `type` apply to their type only: TypeBox cannot say that.
  if (!state.infer && schema.type === undefined && hasAny(schema, [...STRING_KEYWORDS, ...NUMBER_KEYWORDS, ...ARRAY_KEYWORDS, ...OBJECT_KEYWORDS])) return true;
  if ('if' in schema && ('then' in schema || 'else' in schema)) return true;
  if (Array.isArray(schema.items)) return true;
  if ('const' in schema && !isLiteral(schema.const)) return true;
  if (Array.isArray(schema.enum) && !schema.enum.every(isLiteral)) return true;
  if (typeof schema.pattern === 'string' && patternKind(schema.pattern) === 'unicode') return true;
  return oneOfNeedsJson(schema, state);
}

/** The dispatcher: one OpenAPI 3.0/3.1 schema (object or boolean) → TypeBox. */
function convert(schema: unknown, pointer: string, direction: Direction, state: WalkState): TSchema {
  if (schema === true) return Type.Unknown();
  if (schema === false) return Type.Never();
  if (!isObject(schema)) {
    unsupported(state, pointer, 'a schema must be an object or a boolean; any value is accepted');
    return Type.Unknown();
  }
  checkKeywords(schema, pointer, state);
  const enclosing = state.scope[state.scope.length - 1] ?? state.resources.root;
  const resource = state.resources.resourceFor(schema, pointer, enclosing);
  if (resource) state.scope = [...state.scope, resource];
  try {
    return needsJson(schema, state) ? fromJsonSchema(schema, pointer, direction, state) : fromTypeBox(schema, pointer, direction, state);
  } finally {
    if (resource) state.scope = state.scope.slice(0, -1);
  }
}

function fromTypeBox(schema: RawSchema, pointer: string, direction: Direction, state: WalkState): TSchema {
  const options = annotations(schema);
  const parts: TSchema[] = [];
  if ('$ref' in schema) parts.push(fromRef(schema, pointer, direction, state));
  if ('$dynamicRef' in schema || '$recursiveRef' in schema) parts.push(fromDynamicRef(schema, pointer, direction, state));
  if ('const' in schema) parts.push(schema.const === null ? Type.Null() : Type.Literal(schema.const as string | number | boolean));
  else if ('enum' in schema) {
    const literal = fromEnum(schema, pointer, state);
    if (literal) parts.push(literal);
  }
  if (!('const' in schema) && !(Array.isArray(schema.enum))) {
    const types = declaredTypes(schema, pointer, state);
    if (types.length > 0) {
      const typed = types.map((type) => fromType(type, schema, pointer, direction, state));
      parts.push(typed.length === 1 ? typed[0] : Type.Union(typed));
    }
  }
  for (const keyword of ['allOf', 'oneOf', 'anyOf'] as const) {
    const members = membersOf(schema, keyword, pointer, state);
    if (!members) continue;
    const converted = members.map((member, index) => convert(member, joinPointer(pointer, keyword, index), direction, state));
    if (keyword === 'allOf') parts.push(...converted);
    else if (converted.length === 1) parts.push(converted[0]);
    else {
      const union = Type.Union(converted);
      const info = discriminatorInfo(schema, 'anyOf', members, state);
      parts.push(info ? ({ ...union, [DISCRIMINATOR]: info } as TSchema) : union);
    }
  }
  if ('not' in schema) parts.push(Type.Not(literally(state, () => convert(schema.not, joinPointer(pointer, 'not'), direction, state))));

  let result: TSchema = parts.length === 0 ? Type.Unknown() : parts.length === 1 ? parts[0] : Type.Intersect(parts);
  // 3.0 `nullable` only widens a schema that has a type (or composition); `enum` must then list null itself,
  // but documents often forget, so null is admitted either way.
  if (schema.nullable === true && parts.length > 0) result = flattenUnion([result, Type.Null()]);
  return withOptions(result, options);
}

// ---------------------------------------------------------------- ajv-backed nodes

function convertMap(value: unknown, pointer: string, direction: Direction, state: WalkState, keyCheck?: (key: string) => boolean): Record<string, TSchema> | undefined {
  if (!isObject(value)) {
    unsupported(state, pointer, 'must be an object of schemas; it is ignored');
    return undefined;
  }
  const out: Record<string, TSchema> = {};
  for (const [key, child] of Object.entries(value)) {
    if (keyCheck && !keyCheck(key)) continue;
    out[key] = convert(child, joinPointer(pointer, key), direction, state);
  }
  return out;
}

function convertList(value: unknown, pointer: string, direction: Direction, state: WalkState): TSchema[] | undefined {
  if (!Array.isArray(value)) {
    unsupported(state, pointer, 'must be an array of schemas; it is ignored');
    return undefined;
  }
  return value.map((child, index) => convert(child, joinPointer(pointer, index), direction, state));
}

function convertSchema(value: unknown, pointer: string, direction: Direction, state: WalkState): TSchema | boolean | undefined {
  // Boolean schemas stay booleans: ajv then says "must NOT have additional properties", not "must NOT be valid".
  if (typeof value === 'boolean') return value;
  if (isObject(value)) return convert(value, pointer, direction, state);
  unsupported(state, pointer, 'must be a schema; it is ignored');
  return undefined;
}

function setIf(out: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) out[key] = value;
}

function arrayKeywords(schema: RawSchema, out: Record<string, unknown>, pointer: string, direction: Direction, state: WalkState): void {
  Object.assign(out, pickNumbers(schema, ['minItems', 'maxItems', 'uniqueItems', 'minContains', 'maxContains'], pointer, state));
  const at = (key: string) => joinPointer(pointer, key);
  if (Array.isArray(schema.items)) {
    // 3.0 / draft-07 tuples: `items` array + `additionalItems` are 2020-12's `prefixItems` + `items`.
    setIf(out, 'prefixItems', convertList(schema.items, at('items'), direction, state));
    if (schema.additionalItems !== undefined) setIf(out, 'items', convertSchema(schema.additionalItems, at('additionalItems'), direction, state));
  } else {
    if (schema.prefixItems !== undefined) setIf(out, 'prefixItems', convertList(schema.prefixItems, at('prefixItems'), direction, state));
    if (schema.items !== undefined) setIf(out, 'items', convertSchema(schema.items, at('items'), direction, state));
  }
  if (schema.contains !== undefined) setIf(out, 'contains', literally(state, () => convertSchema(schema.contains, at('contains'), direction, state)));
  if (schema.unevaluatedItems !== undefined) setIf(out, 'unevaluatedItems', convertSchema(schema.unevaluatedItems, at('unevaluatedItems'), direction, state));
}

function dependencyKeywords(schema: RawSchema, out: Record<string, unknown>, pointer: string, direction: Direction, state: WalkState): void {
  const requiredMap: Record<string, string[]> = {};
  const schemaMap: Record<string, TSchema | boolean> = {};
  const readRequired = (value: unknown, key: string, at: string) => {
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) requiredMap[key] = value as string[];
    else unsupported(state, at, 'must be an array of property names; it is ignored');
  };
  if (schema.dependentRequired !== undefined) {
    if (isObject(schema.dependentRequired)) {
      for (const [key, value] of Object.entries(schema.dependentRequired)) readRequired(value, key, joinPointer(pointer, 'dependentRequired', key));
    } else unsupported(state, joinPointer(pointer, 'dependentRequired'), 'must be an object; it is ignored');
  }
  if (schema.dependentSchemas !== undefined) Object.assign(schemaMap, literally(state, () => convertMap(schema.dependentSchemas, joinPointer(pointer, 'dependentSchemas'), direction, state)) ?? {});
  // draft-07 `dependencies`: arrays are dependentRequired, schemas dependentSchemas.
  if (isObject(schema.dependencies)) {
    for (const [key, value] of Object.entries(schema.dependencies)) {
      const at = joinPointer(pointer, 'dependencies', key);
      if (Array.isArray(value)) readRequired(value, key, at);
      else setIf(schemaMap, key, literally(state, () => convertSchema(value, at, direction, state)));
    }
  } else if (schema.dependencies !== undefined) unsupported(state, joinPointer(pointer, 'dependencies'), 'must be an object; it is ignored');
  if (Object.keys(requiredMap).length > 0) out.dependentRequired = requiredMap;
  if (Object.keys(schemaMap).length > 0) out.dependentSchemas = schemaMap;
}

function objectKeywords(schema: RawSchema, out: Record<string, unknown>, pointer: string, direction: Direction, state: WalkState): void {
  const { properties, required } = convertProperties(schema, pointer, direction, state);
  if (Object.keys(properties).length > 0) out.properties = properties;
  if (required.length > 0) out.required = required;
  Object.assign(out, pickNumbers(schema, ['minProperties', 'maxProperties'], pointer, state));
  const at = (key: string) => joinPointer(pointer, key);
  if (schema.additionalProperties !== undefined) setIf(out, 'additionalProperties', convertSchema(schema.additionalProperties, at('additionalProperties'), direction, state));
  if (schema.patternProperties !== undefined) {
    const valid = (key: string) => {
      if (patternKind(key) !== 'invalid') return true;
      unsupported(state, joinPointer(pointer, 'patternProperties', key), `pattern ${JSON.stringify(key)} is not a valid regular expression; it is ignored`);
      return false;
    };
    setIf(out, 'patternProperties', convertMap(schema.patternProperties, at('patternProperties'), direction, state, valid));
  }
  if (schema.propertyNames !== undefined) setIf(out, 'propertyNames', convertSchema(schema.propertyNames, at('propertyNames'), direction, state));
  dependencyKeywords(schema, out, pointer, direction, state);
  if (schema.unevaluatedProperties !== undefined) setIf(out, 'unevaluatedProperties', convertSchema(schema.unevaluatedProperties, at('unevaluatedProperties'), direction, state));
}

function typeKeywords(schema: RawSchema, types: string[], out: Record<string, unknown>, pointer: string, direction: Direction, state: WalkState): void {
  // Keywords of a type only apply to values of that type, so all are kept whatever `type` says; `format`
  // goes with the type it describes (int32 with numbers, email with strings).
  const numberFormat = typeof schema.format === 'string' && NUMBER_FORMATS.has(schema.format);
  const stringy = types.length === 0 || types.includes('string');
  const numeric = types.includes('number') || types.includes('integer') || (types.length === 0 && numberFormat);
  Object.assign(out, stringOptions({ ...schema, format: stringy && !numberFormat ? schema.format : undefined }, pointer, state));
  if (numeric || hasAny(schema, NUMBER_KEYWORDS.filter((key) => key !== 'format'))) {
    Object.assign(out, numberOptions({ ...schema, format: numeric && numberFormat ? schema.format : undefined }, pointer, state));
  }
  arrayKeywords(schema, out, pointer, direction, state);
  objectKeywords(schema, out, pointer, direction, state);
}

/** One ajv-backed node for a schema object using keywords TypeBox cannot express (children converted as usual). */
function fromJsonSchema(schema: RawSchema, pointer: string, direction: Direction, state: WalkState): TSchema {
  const options = annotations(schema);
  const out: Record<string, unknown> = {};
  const nullable = schema.nullable === true;
  const types = declaredTypes(schema, pointer, state);
  if (types.length > 0) {
    const all = nullable && !types.includes('null') ? [...types, 'null'] : types;
    out.type = all.length === 1 ? all[0] : all;
  }
  if ('const' in schema) {
    if (nullable && schema.const !== null) out.enum = [schema.const, null];
    else out.const = schema.const;
  } else if (Array.isArray(schema.enum)) {
    out.enum = nullable && !schema.enum.includes(null) ? [...schema.enum, null] : schema.enum;
  } else if (schema.enum !== undefined) unsupported(state, joinPointer(pointer, 'enum'), 'enum must be an array; it is ignored');
  typeKeywords(schema, types, out, pointer, direction, state);

  const allOf: TSchema[] = [];
  if ('$ref' in schema) {
    const ref = fromRef(schema, pointer, direction, state);
    if (ref[Kind] === 'Ref') out.$ref = ref.$ref;
    else allOf.push(ref);
  }
  if ('$dynamicRef' in schema || '$recursiveRef' in schema) allOf.push(fromDynamicRef(schema, pointer, direction, state));
  for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
    const members = membersOf(schema, keyword, pointer, state);
    if (!members) continue;
    const converted = members.map((member, index) => convert(member, joinPointer(pointer, keyword, index), direction, state));
    if (keyword === 'allOf') allOf.push(...converted);
    else out[keyword] = converted;
  }
  if (allOf.length > 0) out.allOf = allOf;
  if ('not' in schema) setIf(out, 'not', literally(state, () => convertSchema(schema.not, joinPointer(pointer, 'not'), direction, state)));
  if ('if' in schema && ('then' in schema || 'else' in schema)) {
    literally(state, () => {
      setIf(out, 'if', convertSchema(schema.if, joinPointer(pointer, 'if'), direction, state));
      if ('then' in schema) setIf(out, 'then', convertSchema(schema.then, joinPointer(pointer, 'then'), direction, state));
      if ('else' in schema) setIf(out, 'else', convertSchema(schema.else, joinPointer(pointer, 'else'), direction, state));
    });
  }
  if (isObject(schema.discriminator)) options.discriminator = schema.discriminator;

  const node: TSchema = jsonSchemaNode(out, state.context);
  const combinator = Array.isArray(schema.oneOf) ? 'oneOf' : Array.isArray(schema.anyOf) ? 'anyOf' : undefined;
  const info = combinator ? discriminatorInfo(schema, combinator, schema[combinator] as unknown[], state) : undefined;
  if (info) (node as unknown as Record<symbol, unknown>)[DISCRIMINATOR] = info;
  // Without a type, 3.0 `nullable` widens the composition (as in fromTypeBox).
  const widened = nullable && types.length === 0 && Object.keys(out).length > 0 ? flattenUnion([node, Type.Null()]) : node;
  return withOptions(widened, options);
}

// ---------------------------------------------------------------- directional components

/** Component names a schema refers to, and whether the schema itself uses readOnly/writeOnly (without following refs). */
function scan(value: unknown, refs: Set<string>): boolean {
  if (Array.isArray(value)) return value.map((item) => scan(item, refs)).some(Boolean);
  if (!isObject(value)) return false;
  let marked = value.readOnly === true || value.writeOnly === true;
  for (const [key, child] of Object.entries(value)) {
    if (key === '$ref' && typeof child === 'string' && child.startsWith(COMPONENT_PREFIX)) {
      const tokens = splitPointerSafe(child);
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
  const warnings = options.warnings ?? [];
  const converted = new Map<string, TSchema | undefined>();
  const resources = new SchemaResources(options.document);
  const state: WalkState = {
    document: options.document,
    source,
    warnings,
    warned: new Set(warnings),
    strict: options.strict === true,
    directional: directionalComponents(options.document),
    converted,
    inlining: new Set(),
    specialised: new Map(),
    resources,
    scope: [resources.root],
    infer: true,
    context: new JsonSchemaContext((id) => converted.get(id)),
    fail: (pointer, message) => toolkitError('IWKIT_ERR_SCHEMA_UNSUPPORTED', `${source}#${pointer.slice(1)}`, message),
  };
  return {
    convert: (schema, pointer, direction) => withScope(state, [resources.root], () => convert(schema, pointer, direction, state)),
    references() {
      for (const name of Object.keys(componentSchemas(state.document))) {
        withScope(state, [resources.root], () => {
          fromComponent(name, '#/components/schemas', 'response', state);
          if (state.directional.get(name)) fromComponent(name, '#/components/schemas', 'request', state);
        });
      }
      return [...state.converted.values()].filter((schema): schema is TSchema => schema !== undefined);
    },
    engineSchemas: () => state.context.made,
  };
}

/** Converts one standalone OpenAPI schema (refs resolve against `document`, if given) to TypeBox. */
export function schemaToTypeBox(
  schema: unknown,
  options: { direction?: Direction; document?: Record<string, unknown>; warnings?: string[]; strict?: boolean } = {},
): TSchema {
  // Without a document, the schema is its own document: its `#/$defs/...` references resolve.
  const document = options.document ?? (isObject(schema) ? schema : {});
  const converter = createSchemaConverter({ document, warnings: options.warnings, strict: options.strict });
  return converter.convert(schema, '#', options.direction ?? 'response');
}
