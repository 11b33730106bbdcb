import { FormatRegistry } from '@sinclair/typebox';
import { isIP } from 'node:net';

// TypeBox's FormatRegistry starts empty and fails every value whose format is unknown,
// so the formats OpenAPI documents use are registered here before anything compiles.

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})(\.\d+)?(z|[+-]\d{2}:\d{2})$/i;
const DATE_TIME_SPLIT = /t|\s/i;
const EMAIL = /^[^\s@"(),:;<>[\\\]]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;
const BYTE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const URI_SCHEME = /^[a-z][a-z0-9+.-]*:[^\s]*$/i;

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** RFC 3339 full-date. */
export function isDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const days = [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return month >= 1 && month <= 12 && day >= 1 && day <= days[month - 1];
}

/** RFC 3339 full-time (offset required). */
export function isTime(value: string): boolean {
  const m = TIME.exec(value);
  if (!m) return false;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  const second = Number(m[3]);
  return hour <= 23 && minute <= 59 && second <= 60;
}

/** RFC 3339 date-time, e.g. `2025-05-04T09:42:00Z`. */
export function isDateTime(value: string): boolean {
  const parts = value.split(DATE_TIME_SPLIT);
  return parts.length === 2 && isDate(parts[0]) && isTime(parts[1]);
}

function isUri(value: string): boolean {
  if (!URI_SCHEME.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** The string formats iwkit validates; any other format is accepted with a warning at load time. */
export const stringFormats: Record<string, (value: string) => boolean> = {
  'date-time': isDateTime,
  date: isDate,
  time: isTime,
  email: (v) => EMAIL.test(v),
  uri: isUri,
  url: isUri,
  'uri-reference': (v) => !/\s/.test(v),
  uuid: (v) => UUID.test(v),
  ipv4: (v) => isIP(v) === 4,
  ipv6: (v) => isIP(v) === 6,
  hostname: (v) => HOSTNAME.test(v),
  byte: (v) => v.length % 4 === 0 && BYTE.test(v),
  binary: () => true,
  password: () => true,
};

/** Registers every supported string format in TypeBox's FormatRegistry; safe to call more than once. */
export function registerFormats(): void {
  for (const [name, check] of Object.entries(stringFormats)) {
    if (!FormatRegistry.Has(name)) FormatRegistry.Set(name, check);
  }
}

/** Registers a format that accepts every string, so an unknown format does not fail every value. */
export function registerPermissiveFormat(name: string): void {
  if (!FormatRegistry.Has(name)) FormatRegistry.Set(name, () => true);
}
