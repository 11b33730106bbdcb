// Own negotiation rather than `negotiator`: the offered side may itself hold ranges (`application/*`,
// `*/*` are legal response keys in OpenAPI), which request-only negotiators do not match.

import { isJsonMediaType, parseMediaType } from '../openapi/media-type.js';

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
  order: number;
}

function parseAccept(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  accept.split(',').forEach((part, order) => {
    const { type, subtype, parameters } = parseMediaType(part);
    if (!type || !subtype) return;
    // A bare `q` (no value) makes the range unreadable, as an unparseable weight does.
    const q = parameters.q === undefined ? 1 : parameters.q === '' ? NaN : Number(parameters.q);
    if (Number.isFinite(q)) ranges.push({ type, subtype, q, order });
  });
  return ranges;
}

function matches(a: string, b: string): boolean {
  return a === '*' || b === '*' || a === b;
}

function essence(mediaType: string): [string, string] {
  const { type, subtype } = parseMediaType(mediaType);
  return [type, subtype];
}

/**
 * Picks the offered media type the Accept header likes best; undefined means 406.
 * Without an Accept header (or with a malformed one) the first offer wins, JSON first.
 */
export function negotiateMediaType(accept: string | undefined, offered: string[]): string | undefined {
  if (offered.length === 0) return undefined;
  const ranges = accept ? parseAccept(accept) : [];
  if (ranges.length === 0) {
    return offered.find((o) => /json/i.test(o)) ?? offered[0];
  }
  // q=0 means "not acceptable": such ranges can only refuse, never select.
  const refused = ranges.filter((r) => r.q <= 0);
  let best: { offer: string; q: number; specificity: number; order: number; exact: number } | undefined;
  for (const offer of offered) {
    const [type, subtype] = essence(offer);
    // Between offers the same range matches, a concrete offer (`image/gif`) beats a range offer (`*/*`).
    const exact = (type === '*' ? 0 : 1) + (subtype === '*' ? 0 : 1);
    if (refused.some((r) => matches(r.type, type) && matches(r.subtype, subtype) && r.type !== '*')) continue;
    for (const range of ranges) {
      if (range.q <= 0) continue;
      if (!matches(range.type, type) || !matches(range.subtype, subtype)) continue;
      const specificity = (range.type === '*' ? 0 : 1) + (range.subtype === '*' ? 0 : 1);
      const better =
        !best ||
        range.q > best.q ||
        (range.q === best.q && specificity > best.specificity) ||
        (range.q === best.q && specificity === best.specificity && range.order < best.order) ||
        (range.q === best.q && specificity === best.specificity && range.order === best.order && exact > best.exact);
      if (better) best = { offer, q: range.q, specificity, order: range.order, exact };
    }
  }
  return best?.offer;
}

/** A representative concrete type for each top-level range. */
const rangeDefaults: Record<string, string> = {
  '*': 'application/json',
  application: 'application/json',
  text: 'text/plain',
  image: 'image/png',
  audio: 'audio/mpeg',
  video: 'video/mp4',
  font: 'font/woff2',
  multipart: 'multipart/form-data',
};

/** The concrete Content-Type to send for an offered media type (ranges like `application/*` become JSON, `image/*` PNG, `text/*` plain text). */
export function concreteContentType(offered: string): string {
  const [type, subtype] = essence(offered);
  if (subtype !== '*') return parseMediaType(offered).essence;
  return rangeDefaults[type] ?? 'application/octet-stream';
}

/** True when the mock writes a body offered as this type as JSON: a JSON media type, or a range (`*\/*`, `application/*`) it fills with JSON data. */
export function carriesJson(mediaType: string): boolean {
  const [, subtype] = essence(mediaType);
  return isJsonMediaType(mediaType) || subtype === '*';
}
