import { Kind, TypeRegistry, type TSchema } from '@sinclair/typebox';
import type { AnySchema, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { jsonSchemaEngineFactory, type JsonSchemaEngine } from './json-schema-engine.js';

// A TypeBox node of a custom Kind for what TypeBox cannot express (patternProperties, if/then/else,
// unevaluated*, prefixItems, contains, dependent*, oneOf-exactly-one, object/array const and enum).
// The node's own string keys ARE the JSON Schema (its children are ordinary TypeBox nodes, themselves
// JSON Schema): TypeRegistry hands the node to a compiled ajv 2020 validator, so TypeCompiler,
// Value.Check and Value.Errors all agree, and there is one source of truth per schema.
// Validators are compiled on first check and cached; component references (`$ref: "<id>"`, as
// Type.Ref writes them) are handed to ajv, converted, on first use.

/** The Kind of ajv-backed nodes. */
export const JSON_SCHEMA_KIND = 'IwkitJsonSchema';

/** Symbol under which a node keeps (a function returning) its document's context. */
const CONTEXT = Symbol.for('iwkit.jsonSchemaContext');

/** A TypeBox node validated by ajv over its own JSON Schema keywords. */
export interface TJsonSchema extends TSchema {
  [Kind]: typeof JSON_SCHEMA_KIND;
}

type Mode = 'check' | 'explain';

interface Engine {
  ajv: JsonSchemaEngine;
  /** Component ids already handed to this ajv instance. */
  added: Set<string>;
  compiled: WeakMap<object, ValidateFunction>;
}

// Ids ajv sees: absolute, so that a relative `$id` somewhere inside never changes what a component ref means.
const ID_BASE = 'https://iwkit.invalid/components/';

function ajvId(id: string): string {
  return `${ID_BASE}${encodeURIComponent(id)}`;
}

/** Patterns valid only without the `u` flag (`[a-z\_]`) still compile: `u` first, as ajv would, then without. */
function lenientRegExp(pattern: string, flags: string): RegExp {
  try {
    return new RegExp(pattern, flags);
  } catch {
    return new RegExp(pattern, flags.replace('u', ''));
  }
}
lenientRegExp.code = 'iwkitLenientRegExp';

/** Compiles a pattern the way every iwkit validator does; undefined when neither form is a valid RegExp. */
export function compileLenientPattern(pattern: string): RegExp | undefined {
  try {
    return lenientRegExp(pattern, 'u');
  } catch {
    return undefined;
  }
}

// Keys that never change what a value is allowed to be; left out of ajv's copy.
const ANNOTATION_KEYS = new Set(['title', 'description', 'example', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly', 'xml', 'externalDocs', '$comment']);

/** The components and ajv instances of one document; shared by every node the document's converter made. */
export class JsonSchemaContext {
  private readonly engines = new Map<Mode, Engine>();
  /** ajv's copies (verbose errors name them) back to the nodes they were made from. */
  readonly originals = new WeakMap<object, object>();
  /** Nodes made in this context: schemas that need the engine to be validated. */
  made = 0;

  constructor(private readonly component: (id: string) => TSchema | undefined) {}

  /** The engine of `mode`; undefined when none was provided (see json-schema-engine.ts). */
  private engine(mode: Mode): Engine | undefined {
    let engine = this.engines.get(mode);
    if (!engine) {
      const factory = jsonSchemaEngineFactory();
      if (!factory) return undefined;
      engine = { ajv: factory({ explain: mode === 'explain', regExp: lenientRegExp }), added: new Set(), compiled: new WeakMap() };
      this.engines.set(mode, engine);
    }
    return engine;
  }

  /** ajv's copy of a node: string keys only, annotations dropped, component refs made absolute. */
  private copy(value: unknown, pending: string[], root: boolean, componentId: string | undefined): unknown {
    if (Array.isArray(value)) return value.map((item) => this.copy(item, pending, false, undefined));
    if (typeof value !== 'object' || value === null) return value;
    const source = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(source)) {
      const item = source[key];
      if (ANNOTATION_KEYS.has(key) || key.startsWith('x-')) continue;
      if (key === '$id') {
        if (root && componentId !== undefined) out.$id = ajvId(componentId);
        continue;
      }
      if (key === '$ref' && typeof item === 'string') {
        pending.push(item);
        out.$ref = ajvId(item);
        continue;
      }
      // Values of const/enum are data, not schemas; everything else may hold schemas.
      out[key] = key === 'const' || key === 'enum' ? item : this.copySchemas(key, item, pending);
    }
    this.originals.set(out, source);
    return out;
  }

  private copySchemas(key: string, item: unknown, pending: string[]): unknown {
    if (typeof item !== 'object' || item === null) return item;
    if (Array.isArray(item)) return item.map((member) => this.copy(member, pending, false, undefined));
    if (key === 'properties' || key === 'patternProperties' || key === 'dependentSchemas' || key === '$defs') {
      const out: Record<string, unknown> = {};
      for (const [name, child] of Object.entries(item)) out[name] = this.copy(child, pending, false, undefined);
      return out;
    }
    return this.copy(item, pending, false, undefined);
  }

  private addComponents(engine: Engine, pending: string[]): void {
    while (pending.length > 0) {
      const id = pending.pop()!;
      if (engine.added.has(id)) continue;
      engine.added.add(id);
      const target = this.component(id);
      if (target) engine.ajv.addSchema(this.copy(target, pending, true, id) as AnySchema);
    }
  }

  /** The compiled ajv validator of `node` (cached); a node ajv cannot compile, or without an engine, accepts every value. */
  validator(node: object, mode: Mode): ValidateFunction {
    const engine = this.engine(mode);
    if (!engine) return acceptAll;
    const cached = engine.compiled.get(node);
    if (cached) return cached;
    let validate: ValidateFunction;
    try {
      const id = (node as { $id?: unknown }).$id;
      const pending: string[] = [];
      if (typeof id === 'string' && this.component(id) === node) {
        this.addComponents(engine, [id]);
        validate = engine.ajv.getSchema(ajvId(id))!;
      } else {
        const copy = this.copy(node, pending, true, undefined);
        this.addComponents(engine, pending);
        validate = engine.ajv.compile(copy as AnySchema);
      }
    } catch {
      validate = acceptAll;
    }
    engine.compiled.set(node, validate);
    return validate;
  }

  /** The schema object ajv holds under an (absolute) `$ref` of a copy, for walking what a sub-schema reaches. */
  resolve(ref: string): object | undefined {
    try {
      return this.engine('explain')?.ajv.getSchema(ref)?.schema as object | undefined;
    } catch {
      return undefined;
    }
  }

  /** Compiles a schema object ajv produced (a `parentSchema` of a verbose error), for explaining sub-schemas. */
  subValidator(schema: object): ValidateFunction {
    const engine = this.engine('explain');
    if (!engine) return acceptAll;
    const cached = engine.compiled.get(schema);
    if (cached) return cached;
    let validate: ValidateFunction;
    try {
      const id = (schema as { $id?: unknown }).$id;
      validate = typeof id === 'string' ? engine.ajv.getSchema(id)! : engine.ajv.compile(schema as AnySchema);
    } catch {
      validate = acceptAll;
    }
    engine.compiled.set(schema, validate);
    return validate;
  }
}

const acceptAll = Object.assign(() => true, { errors: null }) as unknown as ValidateFunction;

/** True for an ajv-backed node. */
export function isJsonSchemaNode(schema: unknown): schema is TJsonSchema {
  return typeof schema === 'object' && schema !== null && (schema as Record<symbol, unknown>)[Kind] === JSON_SCHEMA_KIND;
}

/** Makes an ajv-backed node of `keywords` (JSON Schema whose children are TypeBox nodes) within `context`. */
export function jsonSchemaNode(keywords: Record<string, unknown>, context: JsonSchemaContext): TJsonSchema {
  registerJsonSchemaKind();
  context.made += 1;
  // A function survives TypeBox's Clone by reference (a class instance would be deep-copied).
  return { ...keywords, [Kind]: JSON_SCHEMA_KIND, [CONTEXT]: () => context } as unknown as TJsonSchema;
}

/**
 * Binds a (copied) node to another context, e.g. one whose components are strict copies, so that the
 * `$ref`s inside the node resolve to those. The node is changed in place and returned.
 */
export function bindContext<T extends object>(node: T, context: JsonSchemaContext): T {
  (node as Record<symbol, unknown>)[CONTEXT] = () => context;
  return node;
}

/** The context a node was made in; nodes made without one (hand-written) get a context without components. */
export function contextOf(node: object): JsonSchemaContext {
  const get = (node as Record<symbol, unknown>)[CONTEXT];
  return typeof get === 'function' ? (get as () => JsonSchemaContext)() : standalone;
}

const standalone = new JsonSchemaContext(() => undefined);

/** ajv's errors for `value` against `node` (allErrors, verbose), or [] when it is valid. */
export function ajvErrors(node: object, value: unknown): ErrorObject[] {
  const validate = contextOf(node).validator(node, 'explain');
  return validate(value) ? [] : [...(validate.errors ?? [])];
}

function checkNode(schema: unknown, value: unknown): boolean {
  return contextOf(schema as object).validator(schema as object, 'check')(value) === true;
}

/** Registers the ajv-backed Kind with TypeBox (idempotent). */
export function registerJsonSchemaKind(): void {
  if (!TypeRegistry.Has(JSON_SCHEMA_KIND)) TypeRegistry.Set(JSON_SCHEMA_KIND, checkNode);
}

registerJsonSchemaKind();
