import { Type, type TLiteral, type TObject, type TSchema, type TUnion } from '@sinclair/typebox';
import type { OptionWording } from './check-options.js';

// The kinds of option value the entry points share, each with its bounds and wording in one place.

/** The largest seed: seeds are printed in repro lines and hashed as 32-bit integers, so every entry point takes the same range. */
export const maxSeed = 2_147_483_647;

/** A whole number from `minimum` (to `maximum`, when given). */
export function integerOption(minimum: number, maximum?: number, wording: OptionWording = {}) {
  return Type.Integer({ minimum, ...(maximum !== undefined ? { maximum } : {}), ...wording });
}

/** A whole number above zero; `unit` words the message ("ms", "entries"). */
export function positiveInteger(unit?: string) {
  return Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, expected: unit ? `a positive whole number of ${unit}` : 'a positive whole number' });
}

/** The seed of generated data and case order. */
export const seedOption = integerOption(0, maxSeed);

/** A share from 0 to 1 (e.g. an error rate). */
export const fractionOption = Type.Number({ minimum: 0, maximum: 1, expected: 'a fraction from 0 to 1 such as 0.05' });

/** A non-empty string; `secret` keeps its value out of the message. */
export function textOption(wording: OptionWording = {}) {
  return Type.String({ minLength: 1, expected: 'a non-empty string', ...wording });
}

/** One of a fixed list of names. */
export function oneOf<const T extends readonly string[]>(values: T): TUnion<TLiteral<T[number]>[]> {
  return Type.Union(values.map((v) => Type.Literal(v)));
}

/** A value the schema does not check (a function, a stream, a store): its type says what it is. */
export function anyOption(): TSchema {
  return Type.Any();
}

/** Every key of `Shape` as an optional option of one schema. */
export function optionalEach<K extends string>(keys: readonly K[], schema: () => TSchema) {
  return Type.Object(Object.fromEntries(keys.map((k) => [k, Type.Optional(schema())])) as Record<K, TSchema>, { additionalProperties: false });
}

/** `true` when a schema and an options interface name the same options, else `never`: `const same: SameOptions<typeof schema, Options> = true` fails to compile on a drift. */
export type SameOptions<Schema extends TObject, Options> = [keyof Schema['properties']] extends [keyof Options] ? ([keyof Options] extends [keyof Schema['properties']] ? true : never) : never;
