import type { TSchema } from '@sinclair/typebox';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import { toolkitError, type ToolkitError } from '../errors.js';

// Every entry point declares its options once, as a TypeBox schema, and checks them here: one set of
// rules, one wording. An option error names the option by its path (`limits.maxDelayed`); the CLI maps
// its flags onto the same options and renames the error, so a message names what the caller wrote
// (`--max-delayed` on the command line, `limits.maxDelayed` in code).

/** What an option is called where the caller wrote it, from its path (`cases` → `--cases`). */
export type OptionNames = (path: string) => string;

/** An IWKIT_ERR_OPTION_INVALID that knows which option it is about, so a caller can name it its own way. */
export interface OptionError extends ToolkitError {
  option: string;
  detail: string;
}

/** Extra keywords an option schema may carry to word its error. */
export interface OptionWording {
  /** What a good value is, after "expected …" (e.g. "a positive whole number of ms"). */
  expected?: string;
  /** Said when a required option is missing (default "is required"). */
  missing?: string;
  /** The value is a secret: the message never shows it. */
  secret?: boolean;
}

/** The coded error for the option at `path` (e.g. `auth.from`). */
export function optionError(path: string, detail: string): OptionError {
  return Object.assign(toolkitError('IWKIT_ERR_OPTION_INVALID', path, detail), { option: path, detail });
}

/** Checks `value` against an entry point's option schema; the first wrong option throws IWKIT_ERR_OPTION_INVALID naming it. */
export function checkOptions(schema: TSchema, value: unknown): void {
  const error = Value.Errors(schema, value).First();
  if (error) throw optionError(optionPath(error.path), explain(error));
}

/** The same error with its option named through `names`; any other error as it is. */
export function renamedOptionError(error: unknown, names: OptionNames): unknown {
  const found = error as Partial<OptionError> | undefined;
  if (found?.code !== 'IWKIT_ERR_OPTION_INVALID' || found.option === undefined || found.detail === undefined) return error;
  return Object.assign(toolkitError('IWKIT_ERR_OPTION_INVALID', names(found.option), found.detail), { option: found.option, detail: found.detail });
}

/** Runs `work`, naming the option of an option error through `names` (the CLI's flags). */
export async function namingOptions<T>(names: OptionNames, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw renamedOptionError(error, names);
  }
}

/** `/limits/maxDelayed` → `limits.maxDelayed`. */
function optionPath(pointer: string): string {
  return pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');
}

function explain(error: ValueError): string {
  const schema = error.schema as TSchema & OptionWording;
  if (error.type === ValueErrorType.ObjectAdditionalProperties) {
    return `unknown option (known: ${Object.keys(schema.properties ?? {}).join(', ')})`;
  }
  if (error.type === ValueErrorType.ObjectRequiredProperty || error.value === undefined) return schema.missing ?? 'is required';
  const got = schema.secret ? '' : `, got ${shown(error.value)}`;
  return `expected ${schema.expected ?? expectedOf(schema)}${got}`;
}

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'an array' : 'an object';
  return String(value);
}

/** A reading of the schema itself, for options that carry no `expected`. */
function expectedOf(schema: TSchema): string {
  const literals = (schema.anyOf as TSchema[] | undefined)?.map((s) => s.const);
  if (literals && literals.every((l) => l !== undefined)) return `one of ${literals.join(', ')}`;
  if (schema.type === 'integer' || schema.type === 'number') return numberRange(schema);
  if (schema.type === 'string') return schema.minLength ? 'a non-empty string' : 'a string';
  if (schema.type === 'boolean') return 'true or false';
  if (schema.type === 'array') return 'a list';
  if (schema.type === 'object') return 'an object';
  return 'another value';
}

function numberRange(schema: TSchema): string {
  const what = schema.type === 'integer' ? 'an integer' : 'a number';
  const { minimum: min, maximum: max } = schema as { minimum?: number; maximum?: number };
  if (min !== undefined && max !== undefined) return `${what} from ${min} to ${max}`;
  if (min !== undefined) return `${what} of at least ${min}`;
  return max !== undefined ? `${what} of at most ${max}` : what;
}
