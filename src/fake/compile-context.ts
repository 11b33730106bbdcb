import type { Faker } from '@faker-js/faker';
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { toolkitError, type ToolkitError } from '../errors.js';
import type { GenerationStrategy } from './generation-strategy.js';
import type { GenerateState, NodeGenerator } from './generate-state.js';
import type { RealisticValues } from './realistic-values.js';
import type { SeededRandomizer } from './seeded-randomizer.js';

/** A schema as the walker sees it: TypeBox or plain JSON Schema, read through its string keys. */
export type SchemaObject = Record<string, unknown>;

/** Thrown inside one generation attempt when a value cannot be completed; the root retries with another seed. */
export class RetryGeneration extends Error {}

/** Everything the compile-time walk shares: the seeded Faker, hint makers, references and compiled checks. */
export interface CompileContext {
  faker: Faker;
  randomizer: SeededRandomizer;
  values: RealisticValues;
  strategy: GenerationStrategy;
  references: Map<string, SchemaObject>;
  referenceList: TSchema[];
  /** Generators by `$ref` target and property name; a placeholder is stored first so recursion ends. */
  refGenerators: Map<string, NodeGenerator>;
  /** Depth beyond which generation gives up (a required recursion with no way out). */
  hardDepth: number;
  /**
   * Why values of this schema are not valid by construction (keywords the generator only
   * approximates); when non-empty, every call checks its value with the compiled schema.
   */
  uncertain: string[];
  /** Set when an `x-faker` method is used, so the call anchors Faker's reference date to `now`. */
  usesFakerDates: boolean;
  /** Compiles a child schema (the dispatcher, passed in to keep the per-kind files free of import cycles). */
  compile(schema: unknown, name: string, pointer: string): NodeGenerator;
  /** A compiled TypeBox check for a schema, or undefined when it is not a TypeBox schema the compiler knows. */
  check(schema: unknown): ((value: unknown) => boolean) | undefined;
  /** A throwaway state for compile-time probing (sampling candidates, finding a known-good value). */
  probe(seed: number): GenerateState;
  /** Under an edge strategy: the same context with the realistic strategy, for values an edge cannot give (distinct items). */
  realistic?: () => CompileContext;
}

/** Where a node is compiled: the shared context, the name its hints read (a property's) and its JSON pointer. */
export interface NodeSite {
  ctx: CompileContext;
  name: string;
  pointer: string;
  /** The node's resolved `x-faker` maker, when it names one. */
  xFaker?: () => unknown;
}

/** The one signature of the per-kind compilers (string, number, array, object): a schema and its site to a generator. */
export type KindCompiler = (schema: SchemaObject, site: NodeSite) => NodeGenerator;

const unsatisfiable = new WeakSet<object>();

/**
 * The coded error for a (sub)schema no value satisfies, naming its JSON pointer. It is thrown while compiling,
 * so that an alternative, an optional property or an array item can be left out; it never leaves createGenerator.
 */
export function unsupported(pointer: string, message: string): ToolkitError {
  const error = toolkitError('IWKIT_ERR_SCHEMA_UNSUPPORTED', pointer || '#', message);
  unsatisfiable.add(error);
  return error;
}

/** The coded error for a generator option or extension that is wrong (an unknown x-faker method, a missing reference): thrown to the caller. */
export function misconfigured(pointer: string, message: string): ToolkitError {
  return toolkitError('IWKIT_ERR_SCHEMA_UNSUPPORTED', pointer || '#', message);
}

/** True for an error of `unsupported()`: the schema (or part of it) admits no value iwkit can build. */
export function isUnsatisfiable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && unsatisfiable.has(error);
}

/** True for plain objects (schemas), false for arrays, null and primitives. */
export function isSchemaObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Keywords that describe a schema without constraining its values.
const ANNOTATIONS = new Set([
  'title', 'description', '$id', '$schema', '$comment', 'default', 'example', 'examples', 'deprecated',
  'readOnly', 'writeOnly', 'externalDocs', 'xml', 'discriminator', 'nullable', 'x-faker',
]);

/** The schema without `omit` and without annotations; undefined when nothing constraining is left. */
export function constraintSiblings(schema: SchemaObject, omit: string): SchemaObject | undefined {
  let found = false;
  const out: SchemaObject = {};
  for (const key of Object.keys(schema)) {
    if (key === omit || ANNOTATIONS.has(key) || key.startsWith('x-')) continue;
    out[key] = schema[key];
    found = true;
  }
  return found ? out : undefined;
}

/** Compiles TypeBox checks once per schema object; plain JSON Schema (no TypeBox Kind) yields undefined. */
export function createChecker(references: TSchema[]): (schema: unknown) => ((value: unknown) => boolean) | undefined {
  const cache = new WeakMap<object, ((value: unknown) => boolean) | undefined>();
  return (schema) => {
    if (!isSchemaObject(schema)) return undefined;
    if (cache.has(schema)) return cache.get(schema);
    let check: ((value: unknown) => boolean) | undefined;
    try {
      const compiled = TypeCompiler.Compile(schema as unknown as TSchema, references);
      check = (value) => compiled.Check(value);
    } catch {
      check = undefined;
    }
    cache.set(schema, check);
    return check;
  };
}

// Keywords the generator does not construct values for; their presence turns on per-call checks.
const APPROXIMATED = [
  'if', 'then', 'else', 'dependentSchemas', 'dependentRequired', 'dependencies', 'propertyNames', 'contains',
  'minContains', 'maxContains', 'unevaluatedItems', 'unevaluatedProperties', 'patternProperties', 'minProperties',
  'maxProperties', 'prefixItems', 'not',
];

/** Records the approximated keywords `schema` uses, so the root knows to check its values. */
export function noteApproximations(schema: SchemaObject, ctx: CompileContext, pointer: string): void {
  for (const key of APPROXIMATED) if (schema[key] !== undefined) ctx.uncertain.push(`${pointer}/${key}`);
}

/** JSON-clones a constant so callers may mutate what they get. */
export function cloneJson<T>(value: T): T {
  return typeof value === 'object' && value !== null ? (JSON.parse(JSON.stringify(value)) as T) : value;
}
