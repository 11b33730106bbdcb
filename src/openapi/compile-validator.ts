import { Kind, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { ValueErrorType, type ValueError, type ValueErrorIterator } from '@sinclair/typebox/errors';
import { discriminatorOf } from './discriminator.js';
import { explainJsonSchema } from './explain-json-schema.js';
import { registerFormats } from './formats.js';
import { JSON_SCHEMA_KIND, registerJsonSchemaKind } from './json-schema-node.js';

/** One reason a value breaks a schema: `pointer` is a JSON pointer into the value (`''` is the root). */
export interface ValidationIssue {
  pointer: string;
  message: string;
}

/** A schema compiled once, checked many times. */
export interface Validator {
  /** True when `value` satisfies the schema. */
  check(value: unknown): boolean;
  /** Every offending location of `value` (empty when valid); unions report the closest alternative's problems. */
  errors(value: unknown): ValidationIssue[];
}

function describe(schema: TSchema): string {
  if ('const' in schema) return JSON.stringify(schema.const);
  if (typeof schema.$ref === 'string') return schema.$ref;
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as TSchema[]).map(describe).join(' | ');
  if (Array.isArray(schema.allOf)) return 'all of several schemas';
  return 'a matching value';
}

function messageOf(error: ValueError): string {
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return 'is required';
    case ValueErrorType.ObjectAdditionalProperties:
      return 'is not an allowed property';
    default:
      return error.message;
  }
}

function within(pointer: string, parent: string): boolean {
  return pointer === parent || pointer.startsWith(`${parent}/`);
}

/**
 * Flattens an iterator, replacing each union error by the problems of its closest alternative. TypeBox also reports
 * an intersection's summary ("expected all values to match") and, for a missing required property, the property's
 * type error against `undefined`: both only repeat a more precise issue, so they are dropped.
 */
function collect(iterator: ValueErrorIterator): ValidationIssue[] {
  const errors = [...iterator];
  const missing = new Set(errors.filter((error) => error.type === ValueErrorType.ObjectRequiredProperty).map((error) => error.path));
  const issues: ValidationIssue[] = [];
  for (const error of errors) {
    if (error.type === ValueErrorType.Intersect && errors.some((other) => other !== error && within(other.path, error.path))) continue;
    if (error.type !== ValueErrorType.ObjectRequiredProperty && missing.has(error.path) && error.value === undefined) continue;
    if (error.type === ValueErrorType.Kind && error.schema[Kind] === JSON_SCHEMA_KIND) {
      // An ajv-backed node: ajv's own findings, below the node's location.
      for (const issue of explainJsonSchema(error.schema, error.value)) issues.push({ pointer: `${error.path}${issue.pointer}`, message: issue.message });
    } else if (error.type === ValueErrorType.Union && error.errors.length > 0) {
      issues.push(...closestAlternative(error));
    } else {
      issues.push({ pointer: error.path, message: messageOf(error) });
    }
  }
  return issues;
}

/**
 * The alternative the value came closest to: fewest problems, preferring problems deeper than the union itself
 * (a branch whose type matched). When every branch fails at the union's own location the value's type is simply
 * wrong, and one issue lists what was expected.
 */
function closestAlternative(error: ValueError): ValidationIssue[] {
  const branches = error.errors.map(collect);
  const chosen = discriminated(error);
  if (chosen !== undefined && branches[chosen]?.length) return branches[chosen];
  const deeper = branches.filter((issues) => issues.some((issue) => issue.pointer !== error.path));
  if (deeper.length === 0) {
    return [{ pointer: error.path, message: `Expected ${describe(error.schema)}` }];
  }
  return deeper.reduce((best, issues) => (issues.length < best.length ? issues : best));
}

/** The alternative a discriminated union's value names (undefined when it names none). */
function discriminated(error: ValueError): number | undefined {
  const info = discriminatorOf(error.schema);
  const value = error.value;
  if (!info || typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const tag = (value as Record<string, unknown>)[info.propertyName];
  return typeof tag === 'string' ? info.mapping[tag] : undefined;
}

/** Compiles `schema` (with the named `references` it uses through `Type.Ref`) into a reusable validator. */
export function compileValidator(schema: TSchema, references: TSchema[] = []): Validator {
  registerFormats();
  registerJsonSchemaKind();
  const compiled: TypeCheck<TSchema> = TypeCompiler.Compile(schema, references);
  return {
    check: (value) => compiled.Check(value),
    errors(value) {
      if (compiled.Check(value)) return [];
      const seen = new Set<string>();
      return collect(compiled.Errors(value)).filter((issue) => {
        const key = `${issue.pointer}\u0000${issue.message}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    },
  };
}
