import type { GenerateState } from './generate-state.js';
import type { StringMaker } from './realistic-values.js';

// Every decision that shapes a value without being forced by the schema goes through a strategy,
// so edge profiles (min, max, nulls, ...) can later replace these choices per kind. Whatever a
// strategy returns is still checked against the schema's constraints by the compiled nodes.

/** The per-kind choices a generator makes where the schema leaves room. */
export interface GenerationStrategy {
  readonly name: string;
  /** Whether an optional property is present (never asked at or beyond the depth limit). */
  includeOptional(state: GenerateState): boolean;
  /** Whether a nullable value is null. */
  pickNull(state: GenerateState): boolean;
  /** An array length within [min, max]; max may be Infinity. */
  arrayLength(min: number, max: number, state: GenerateState): number;
  /** An instant for a timestamp within [earliest, latest] epoch ms. */
  instant(earliest: number, latest: number, state: GenerateState): number;
  /** Optionally a first candidate for a string; undefined lets the realistic hints decide. */
  string?(constraints: { minLength: number; maxLength: number }, state: GenerateState): string | undefined;

  // The hooks below are what edge profiles implement; a strategy without them generates realistic values.
  // The `*Maker` hooks run once per schema node at compile time and return a per-call candidate maker;
  // a candidate the node finds invalid (or undefined) gives way to the realistic value.

  /** Per-call allowance, in characters and array items, for long values; unset means unlimited. */
  readonly budget?: number;
  /** The [earliest, latest] epoch-ms window timestamps come from; default: the two weeks before `now`. */
  timeWindow?(now: number): readonly [number, number];
  /** Renders a date-time instant (RFC 3339); default: UTC with whole seconds. */
  dateTime?(epochMs: number, state: GenerateState): string;
  /** Edge candidates for a string node. */
  stringMaker?(node: StringNodeInfo): ((state: GenerateState) => string | undefined) | undefined;
  /** Edge candidates for a number or integer node. */
  numberMaker?(node: NumberNodeInfo): ((state: GenerateState) => number | undefined) | undefined;
  /** Which value of an enum to take. */
  enumChoice?(values: readonly unknown[]): ((state: GenerateState) => number) | undefined;
}

/** What a strategy learns about a string node at compile time. */
export interface StringNodeInfo {
  name: string;
  minLength: number;
  /** Infinity when unbounded. */
  maxLength: number;
  format: string | undefined;
  /** Every pattern the value must match (several after allOf). */
  patterns: string[];
  /** The realistic maker the property name asks for, if any. */
  hint: StringMaker | undefined;
  /** A few realistic words, for strings without a hint. */
  words: StringMaker;
}

/** What a strategy learns about a number node at compile time; bounds already include the int32 format's range. */
export interface NumberNodeInfo {
  integer: boolean;
  lo: number;
  hi: number;
  loExclusive: boolean;
  hiExclusive: boolean;
  /** Whether the schema itself sets a lower / upper bound (the format's range does not count). */
  declaredMin: boolean;
  declaredMax: boolean;
  multipleOf: number | undefined;
  format: string | undefined;
  /** The node's exact validity test (bounds, integrality, multipleOf as TypeBox computes it). */
  inBounds(value: number): boolean;
}

/** Options for the realistic strategy. */
export interface RealisticStrategyOptions {
  /** Chance that an optional property is present; 1 (the default) gives whole, coherent objects. */
  optionalProbability?: number;
  /** Chance that a nullable value is null (default 0.1). */
  nullProbability?: number;
}

/** Believable values: optional properties present, a few items per array, nulls now and then. */
export function realisticStrategy(options: RealisticStrategyOptions = {}): GenerationStrategy {
  const optional = options.optionalProbability ?? 1;
  const nulls = options.nullProbability ?? 0.1;
  return {
    name: 'realistic',
    includeOptional: (state) => optional >= 1 || state.rng.chance(optional),
    pickNull: (state) => state.rng.chance(nulls),
    arrayLength: (min, max, state) => {
      const lo = Math.max(min, Math.min(1, max));
      const hi = Math.min(max, Math.max(lo, 3));
      return state.rng.int(lo, hi);
    },
    instant: (earliest, latest, state) => state.rng.int(earliest, latest),
  };
}
