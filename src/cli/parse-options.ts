import { toolkitError } from '../errors.js';

/** Parses a whole number within bounds for `--name`, or throws IWKIT_ERR_OPTION_INVALID. */
export function parseInteger(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
    throw toolkitError('IWKIT_ERR_OPTION_INVALID', `--${name}`, `expected an integer from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

/** Commander collector for repeatable options (`--token a --token b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
