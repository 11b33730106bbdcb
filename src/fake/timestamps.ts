/** How far back generated timestamps reach before `now`: recent, never decades ago. */
export const TIMESTAMP_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;

/** The earliest generated instant for an anchor, rounded up to a whole second so truncation stays inside the window. */
export function timestampWindowStart(now: number): number {
  return Math.ceil((now - TIMESTAMP_WINDOW_MS) / 1000) * 1000;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * RFC 3339 UTC date-time with whole seconds (`2025-05-04T09:42:17Z`) for an instant in epoch ms,
 * by integer civil-date arithmetic: Date#toISOString costs over a microsecond per call.
 */
export function formatDateTime(epochMs: number): string {
  const seconds = Math.floor(epochMs / 1000);
  const days = Math.floor(seconds / 86400);
  const rest = seconds - days * 86400;
  return `${formatDays(days)}T${pad2(Math.floor(rest / 3600))}:${pad2(Math.floor((rest % 3600) / 60))}:${pad2(rest % 60)}Z`;
}

/** RFC 3339 full-date (`2025-05-04`) for an instant in epoch ms. */
export function formatDate(epochMs: number): string {
  return formatDays(Math.floor(epochMs / 86_400_000));
}

// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's civil_from_days).
function formatDays(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const y = year >= 0 && year <= 9999 ? String(year).padStart(4, '0') : String(year);
  return `${y}-${pad2(month)}-${pad2(day)}`;
}
