// Latency a tester asks for: a fixed number of milliseconds or a range drawn from per request.
import { optionError } from '../options/check-options.js';

/** A delay in milliseconds; `min === max` for a fixed delay. */
export interface DelayRange {
  min: number;
  max: number;
}

/** The longest delay the mock agrees to hold a connection for (2 minutes). */
export const maxDelayMs = 120_000;

function checked(min: number, max: number): DelayRange | string {
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < 0) return 'a delay is a whole, non-negative number of milliseconds';
  if (min > max) return `a delay range goes from low to high, got ${min}-${max}`;
  if (max > maxDelayMs) return `a delay is at most ${maxDelayMs} ms, got ${max}`;
  return { min, max };
}

/** Reads a delay written as `800` or `200-800` (milliseconds); a string result explains what is wrong. */
export function parseDelay(text: string): DelayRange | string {
  const m = /^\s*(\d{1,9})\s*(?:-\s*(\d{1,9})\s*)?$/.exec(text);
  if (!m) return `a delay is milliseconds such as 800 or a range such as 200-800, got "${text}"`;
  const min = Number(m[1]);
  return checked(min, m[2] === undefined ? min : Number(m[2]));
}

/** Reads a delay given as data: a number of milliseconds or a `[min, max]` pair. */
export function delayFromValue(value: number | readonly number[]): DelayRange | string {
  if (typeof value === 'number') return checked(value, value);
  if (value.length !== 2) return 'a delay range is a pair [min, max]';
  return checked(value[0], value[1]);
}

/** Draws one delay from a range with the given random source (uniform, whole milliseconds). */
export function pickDelay(range: DelayRange, random: () => number): number {
  if (range.min === range.max) return range.min;
  return range.min + Math.floor(random() * (range.max - range.min + 1));
}

/** Where a delay can come from, highest priority first: the answering rule's own, the request's `Prefer: delay=`, the server's `delay` option. */
export const delayPriority = ['rule', 'request', 'server'] as const;

/** The delays a request may be held for, by source. */
export type DelaySources = Partial<Record<(typeof delayPriority)[number], DelayRange>>;

/** The delay to apply: the range of the highest-priority source given (see {@link delayPriority}), drawn; 0 when none. */
export function delayFrom(random: () => number, sources: DelaySources): number {
  return chooseDelay(random, ...delayPriority.map((source) => sources[source]));
}

/** The delay to apply: the first range given, drawn; 0 when none. Pass candidates in {@link delayPriority} order, or use {@link delayFrom}. */
export function chooseDelay(random: () => number, ...candidates: (DelayRange | undefined)[]): number {
  const range = candidates.find((c) => c !== undefined);
  return range ? pickDelay(range, random) : 0;
}

/** The `delay` option of either adapter (ms, `[min, max]` or `"min-max"`), checked; a bad one is a coded option error. */
export function delayOption(value: unknown): DelayRange | undefined {
  if (value === undefined) return undefined;
  const parsed = typeof value === 'string' ? parseDelay(value) : Array.isArray(value) || typeof value === 'number' ? delayFromValue(value as number | number[]) : 'expected milliseconds, [min, max] or "min-max"';
  if (typeof parsed === 'string') throw optionError('delay', parsed);
  return parsed;
}
