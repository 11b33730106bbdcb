import type { GenerateState } from './generate-state.js';

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
