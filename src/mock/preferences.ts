import { isEdgeProfile, edgeProfiles, type EdgeProfile } from '../fake/edge-profiles.js';
import { parseDelay, type DelayRange } from './delay.js';

// The Prism convention: a tester steers the mock per request with `Prefer: code=401, example=missing-2fa`,
// or with `__code` / `__example` / `__dynamic` / `__seed` / `__delay` query fallbacks where a header cannot
// be set, or, in a browser, with the `iwkit-scenario=<name>` cookie (as `example=<name>`).

/** What a request asked the mock for. Unset fields mean "let the mock choose". */
export interface Preferences {
  code?: string;
  example?: string;
  dynamic?: boolean;
  seed?: number;
  /** `delay=800` or `delay=200-800`: hold the answer this many milliseconds. */
  delay?: DelayRange;
  /** `edge=max`: generated data follows this edge profile (fixtures still merge over it). */
  edge?: EdgeProfile;
  /** True when `example` came only from the `iwkit-scenario` cookie (which is ignored by operations that lack it). */
  fromCookie?: boolean;
}

/** The cookie a browser sets to pick a scenario by name, as `Prefer: example=<name>` does. */
export const scenarioCookieName = 'iwkit-scenario';

/** The cookie a browser sets to pick an edge profile, as `Prefer: edge=<profile>` does. */
export const edgeCookieName = 'iwkit-edge';

/** The preferences a request can state, each also readable from the `__<name>` query key. */
const preferenceNames = ['code', 'example', 'dynamic', 'seed', 'delay', 'edge'] as const;

/** An invalid preference value: the mock answers 400 naming it. */
export interface PreferenceError {
  in: 'header' | 'query';
  pointer: string;
  message: string;
}

function first(value: unknown): string | undefined {
  if (Array.isArray(value)) return value.length > 0 ? String(value[0]) : undefined;
  return value === undefined ? undefined : String(value);
}

function apply(prefs: Preferences, key: string, raw: string, where: 'header' | 'query', errors: PreferenceError[]): void {
  const value = raw.trim().replace(/^"(.*)"$/, '$1');
  const pointer = where === 'header' ? '/prefer' : `/__${key}`;
  switch (key) {
    case 'code':
      // 1xx are interim answers: sent as the final one, they would leave the client waiting.
      if (/^[2-5]\d\d$/.test(value)) prefs.code = value;
      else errors.push({ in: where, pointer, message: `code must be a final HTTP status from 200 to 599, got "${value}"` });
      break;
    case 'example':
      if (value) {
        prefs.example = value;
        delete prefs.fromCookie;
      }
      break;
    case 'dynamic':
      if (value === 'true' || value === 'false') prefs.dynamic = value === 'true';
      else errors.push({ in: where, pointer, message: `dynamic must be true or false, got "${value}"` });
      break;
    case 'seed':
      if (/^-?\d{1,15}$/.test(value)) prefs.seed = Number(value);
      else errors.push({ in: where, pointer, message: `seed must be an integer, got "${value}"` });
      break;
    case 'edge':
      if (isEdgeProfile(value)) prefs.edge = value;
      else errors.push({ in: where, pointer, message: `edge must be one of ${edgeProfiles.join(', ')}, got "${value}"` });
      break;
    case 'delay': {
      const delay = parseDelay(value);
      if (typeof delay === 'string') errors.push({ in: where, pointer, message: delay });
      else prefs.delay = delay;
      break;
    }
    default:
      // Other Prefer tokens (return=minimal, respond-async, ...) belong to other tools: ignore them.
      break;
  }
}

function hasReservedKey(query: Record<string, unknown>): boolean {
  for (const key in query) if (key.startsWith('__')) return true;
  return false;
}

/** Reads preferences from the `iwkit-scenario` cookie, the `__x` query fallbacks, then the `Prefer` header (each later one wins). */
export function parsePreferences(
  preferHeader: string | string[] | undefined,
  query: Record<string, unknown>,
  scenarioCookie?: string,
  edgeCookie?: string,
): { preferences: Preferences; errors: PreferenceError[] } {
  const preferences: Preferences = {};
  const errors: PreferenceError[] = [];
  // Most requests ask for nothing: answer them without looking up every key.
  if (!preferHeader && scenarioCookie === undefined && edgeCookie === undefined && !hasReservedKey(query)) return { preferences, errors };
  const cookieName = scenarioCookie?.trim();
  if (cookieName) {
    preferences.example = cookieName;
    preferences.fromCookie = true;
  }
  // An unknown profile in a cookie is ignored: the cookie reaches every request of the page.
  if (edgeCookie !== undefined && isEdgeProfile(edgeCookie.trim())) preferences.edge = edgeCookie.trim() as EdgeProfile;
  for (const key of preferenceNames) {
    const raw = first(query[`__${key}`]);
    if (raw !== undefined) apply(preferences, key, raw, 'query', errors);
  }
  const header = Array.isArray(preferHeader) ? preferHeader.join(',') : preferHeader;
  if (header) {
    for (const token of header.split(/[,;]/)) {
      const eq = token.indexOf('=');
      if (eq < 0) continue;
      apply(preferences, token.slice(0, eq).trim().toLowerCase(), token.slice(eq + 1), 'header', errors);
    }
  }
  return { preferences, errors };
}
