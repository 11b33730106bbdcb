import { toolkitError } from '../errors.js';

/** The edge-case data profiles, in the order documentation lists them. */
export const edgeProfiles = ['min', 'max', 'unicode', 'dates', 'nulls', 'random'] as const;

/** One edge-case data profile: values that stay schema-valid but sit at an edge of what the schema allows. */
export type EdgeProfile = (typeof edgeProfiles)[number];

/** What each profile does, one line each (for help texts and docs). */
export const edgeProfileDescriptions: Record<EdgeProfile, string> = {
  min: 'shortest strings (empty where allowed), minimum numbers (0 or the minimum), fewest items, optional properties left out, null where nullable',
  max: 'longest strings (maxLength, else 10,000 characters), largest numbers (maximum, else the int32/safe-integer bound), most items, every optional property',
  unicode: 'right-to-left text, emoji, combining marks, zero-width characters, HTML/script/SQL-looking text, within pattern and format',
  dates: 'boundary date-times: 1970-01-01, 2038-01-19T03:14:08Z, 9999-12-31T23:59:59Z, leap days, offsets +14:00 and -12:00',
  nulls: 'every nullable value null, every optional property present',
  random: 'a seeded mix of all of the above, decided value by value',
};

/** True when `name` is an edge profile. */
export function isEdgeProfile(name: unknown): name is EdgeProfile {
  return typeof name === 'string' && (edgeProfiles as readonly string[]).includes(name);
}

/**
 * Parses profile names (`"min,max"` or a list) for `option` (e.g. `--edge`); throws IWKIT_ERR_OPTION_INVALID
 * naming the unknown ones. Duplicates are dropped, order is kept.
 */
export function parseEdgeProfiles(raw: string | readonly string[], option = 'edge'): EdgeProfile[] {
  const names = (typeof raw === 'string' ? raw.split(',') : raw).map((n) => String(n).trim()).filter(Boolean);
  const unknown = names.filter((n) => !isEdgeProfile(n));
  if (unknown.length > 0 || names.length === 0) {
    const what = names.length === 0 ? 'no profile named' : `unknown edge profile ${unknown.map((n) => JSON.stringify(n)).join(', ')}`;
    throw toolkitError('IWKIT_ERR_OPTION_INVALID', option, `${what} (known: ${edgeProfiles.join(', ')})`);
  }
  return [...new Set(names)] as EdgeProfile[];
}

const MINUTE = 60_000;

/** The latest instant the `dates` profile produces: 9999-12-31T23:59:59Z, the last second of four-digit years. */
export const LATEST_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59);

/**
 * The instants of the `dates` profile (epoch ms, ascending) and how each may be written. Every text is RFC 3339;
 * offsets keep the local date inside years 0000..9999.
 */
export const boundaryDateTimes: readonly { at: number; texts: readonly string[] }[] = [
  { at: 0, texts: ['1970-01-01T00:00:00Z', '1969-12-31T12:00:00-12:00'] },
  { at: Date.UTC(2000, 1, 29, 12, 0, 0), texts: ['2000-02-29T12:00:00Z'] },
  // Late on a leap day in Kiribati (+14:00) is still the morning of 29 February in UTC.
  { at: Date.UTC(2024, 1, 29, 23, 59, 59) - 14 * 60 * MINUTE, texts: ['2024-02-29T23:59:59+14:00'] },
  { at: (2 ** 31 - 1) * 1000, texts: ['2038-01-19T03:14:07Z'] },
  { at: 2 ** 31 * 1000, texts: ['2038-01-19T03:14:08Z', '2038-01-18T15:14:08-12:00'] },
  { at: LATEST_INSTANT, texts: ['9999-12-31T23:59:59Z'] },
];

/** Times of day (format `time`) the `dates` profile produces. */
export const boundaryTimes: readonly string[] = ['00:00:00Z', '23:59:59+14:00', '12:00:00-12:00', '23:59:60Z'];
