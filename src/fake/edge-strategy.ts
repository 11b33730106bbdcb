import { Type } from '@sinclair/typebox';
import { checkOptions } from '../options/check-options.js';
import { integerOption, oneOf } from '../options/option-schemas.js';
import { boundaryDateTimes, edgeProfiles, LATEST_INSTANT, type EdgeProfile } from './edge-profiles.js';
import { maximumOf, minimumOf } from './edge-numbers.js';
import { edgeStringMaker, type EdgeStringMaker, type StringEdge } from './edge-strings.js';
import type { GenerateState } from './generate-state.js';
import { realisticStrategy, type GenerationStrategy, type NumberNodeInfo, type StringNodeInfo } from './generation-strategy.js';
import { formatDateTime, timestampWindowStart } from './timestamps.js';

/** Limits that keep edge values large but bounded. */
export interface EdgeOptions {
  /** Characters in an unbounded string under `max` (default 10,000). */
  longString?: number;
  /** Items in an unbounded array under `max` (default 100). */
  longArray?: number;
  /** Per-value allowance of string characters plus 64 per array item (default 100,000): beyond it long values give way. */
  budget?: number;
}

const DEFAULTS = { longString: 10_000, longArray: 100, budget: 100_000 };

const realistic = realisticStrategy();
const rendering = new Map(boundaryDateTimes.map((b) => [b.at, b.texts]));

function renderBoundary(epochMs: number, s: GenerateState): string {
  const texts = rendering.get(epochMs);
  return texts === undefined ? formatDateTime(epochMs) : texts.length === 1 ? texts[0] : s.rng.pick(texts);
}

/** A boundary instant within [earliest, latest]; the later the pair member, the later the pick, so pairs stay ordered. */
function boundaryInstant(earliest: number, latest: number, s: GenerateState): number {
  const inside = boundaryDateTimes.filter((b) => b.at >= earliest && b.at <= latest);
  if (inside.length > 0) return s.rng.pick(inside).at;
  return latest >= earliest ? s.rng.int(earliest, latest) : earliest;
}

/** Index of the extreme enum value: numbers by size, strings by length, otherwise by JSON length. */
function extremeIndex(values: readonly unknown[], largest: boolean): number {
  const size = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' ? v.length : (JSON.stringify(v) ?? '').length);
  let best = 0;
  for (let i = 1; i < values.length; i++) {
    const better = largest ? size(values[i]) > size(values[best]) : size(values[i]) < size(values[best]);
    if (better) best = i;
  }
  return best;
}

/** The profile and limits of {@link edgeStrategy} as one schema. */
const edgeOptionsSchema = Type.Object({
  profile: oneOf(edgeProfiles),
  longString: Type.Optional(integerOption(0, Number.MAX_SAFE_INTEGER)),
  longArray: Type.Optional(integerOption(0, Number.MAX_SAFE_INTEGER)),
  budget: Type.Optional(integerOption(0, Number.MAX_SAFE_INTEGER)),
});

/**
 * The generation strategy of an edge profile, for `createGenerator(schema, refs, { strategy: edgeStrategy('max') })`.
 * Every value stays valid against its schema: where the edge is impossible (a pattern, a format, a budget) the
 * node keeps its realistic value. Throws IWKIT_ERR_OPTION_INVALID for an unknown profile or a bad limit.
 */
export function edgeStrategy(profile: EdgeProfile, options: EdgeOptions = {}): GenerationStrategy {
  checkOptions(edgeOptionsSchema, { ...options, profile });
  const limits = { ...DEFAULTS, ...options };
  const strings = (edge: StringEdge) => (node: StringNodeInfo) => edgeStringMaker(edge, node, limits);
  const datesWindow = (): readonly [number, number] => [0, LATEST_INSTANT];

  switch (profile) {
    case 'min':
      return {
        ...realistic,
        name: 'min',
        budget: limits.budget,
        includeOptional: () => false,
        pickNull: () => true,
        arrayLength: (min) => min,
        stringMaker: strings('min'),
        numberMaker: (node) => constant(minimumOf(node)),
        enumChoice: (values) => constant(extremeIndex(values, false)),
      };
    case 'max':
      return {
        ...realistic,
        name: 'max',
        budget: limits.budget,
        includeOptional: () => true,
        pickNull: () => false,
        arrayLength: (min, max) => Math.max(min, Math.min(max, limits.longArray)),
        stringMaker: strings('max'),
        numberMaker: (node) => constant(maximumOf(node)),
        enumChoice: (values) => constant(extremeIndex(values, true)),
      };
    case 'unicode':
      return { ...realistic, name: 'unicode', budget: limits.budget, pickNull: () => false, stringMaker: strings('unicode') };
    case 'dates':
      return {
        ...realistic,
        name: 'dates',
        budget: limits.budget,
        pickNull: () => false,
        timeWindow: datesWindow,
        instant: boundaryInstant,
        dateTime: renderBoundary,
        stringMaker: strings('dates'),
      };
    case 'nulls':
      return { ...realistic, name: 'nulls', budget: limits.budget, includeOptional: () => true, pickNull: () => true };
    case 'random':
      return randomStrategy(limits);
  }
}

function constant<T>(value: T | undefined): (() => T) | undefined {
  return value === undefined ? undefined : () => value;
}

/** Every decision made by a profile picked per decision with the call's seeded randomizer. */
function randomStrategy(limits: typeof DEFAULTS): GenerationStrategy {
  const min = edgeStrategy('min', limits);
  const max = edgeStrategy('max', limits);
  const dates = edgeStrategy('dates', limits);
  const edges: StringEdge[] = ['min', 'max', 'unicode', 'dates'];
  return {
    name: 'random',
    budget: limits.budget,
    includeOptional: (s) => s.rng.chance(0.5),
    pickNull: (s) => s.rng.chance(0.5),
    arrayLength: (lo, hi, s) => {
      const roll = s.rng.int(0, 2);
      return roll === 0 ? min.arrayLength(lo, hi, s) : roll === 1 ? max.arrayLength(lo, hi, s) : realistic.arrayLength(lo, hi, s);
    },
    timeWindow: dates.timeWindow!,
    instant: (earliest, latest, s) => {
      if (s.rng.chance(0.5)) return boundaryInstant(earliest, latest, s);
      // A realistic instant, unless an earlier member of the pair already lies beyond now.
      const lo = Math.max(earliest, timestampWindowStart(s.now));
      const hi = Math.min(latest, Math.max(lo, s.now));
      return hi >= lo ? s.rng.int(lo, hi) : boundaryInstant(earliest, latest, s);
    },
    dateTime: renderBoundary,
    stringMaker: (node) => {
      const makers = edges.map((edge) => edgeStringMaker(edge, node, limits)).filter((m): m is EdgeStringMaker => m !== undefined);
      if (makers.length === 0) return undefined;
      // One slot more than there are makers: sometimes the realistic value.
      return (s) => makers[s.rng.int(0, makers.length)]?.(s);
    },
    numberMaker: (node: NumberNodeInfo) => {
      const options = [minimumOf(node), maximumOf(node)].filter((v): v is number => v !== undefined);
      if (options.length === 0) return undefined;
      return (s) => options[s.rng.int(0, options.length)];
    },
    enumChoice: (values) => {
      const options = [extremeIndex(values, false), extremeIndex(values, true)];
      return (s) => (s.rng.chance(2 / 3) ? options[s.rng.int(0, 1)] : s.rng.int(0, values.length - 1));
    },
  };
}
