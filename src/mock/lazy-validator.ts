import type { TSchema } from '@sinclair/typebox';
import { compileValidator, type Validator } from '../openapi/compile-validator.js';

/**
 * A validator compiled when a request first needs it: a 250-operation document would otherwise spend seconds
 * compiling code most runs never call, before the mock listens.
 */
export function lazyValidator(schema: TSchema, references: readonly TSchema[]): Validator {
  let compiled: Validator | undefined;
  const get = (): Validator => (compiled ??= compileValidator(schema, references as TSchema[]));
  return { check: (value) => get().check(value), errors: (value) => get().errors(value) };
}
