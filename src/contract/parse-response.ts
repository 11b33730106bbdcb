import { isUtf8 } from 'node:buffer';
import type { HttpResponse, ParsedResponse, ResponseSummary } from './contract-types.js';
import { boundedJson, escapeControls, textExcerpt } from './excerpt.js';
import { isSecretHeader, REDACTED, redactSecretFragments, scrubSecrets } from './redact.js';
import { isJsonMediaType } from '../openapi/media-type.js';
import { mediaTypeOf } from './response-spec-match.js';

// A response is decoded once and parsed once: one text, one value, no copies. JSON text must be
// UTF-8 (RFC 8259 §8.1), so a JSON body that is not is a content failure, not a lenient decode.
// The check is Node's native strict one (what TextDecoder's `fatal` applies); the text is decoded by
// Buffer#toString, whose large results live outside the JS heap (a TextDecoder string measured
// ~60 MB more heap over 8 answers of 10 MiB) and which keeps a BOM, so a BOM still fails JSON.parse.

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence; -1 when all are valid. */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    // Lead byte: sequence length and the allowed range of the second byte (no overlongs, no surrogates, ≤ U+10FFFF).
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      if (k === 1 ? c < low || c > high : c < 0x80 || c > 0xbf) return i;
    }
    i += length;
  }
  return -1;
}

/** Decodes a response once for every check: media type, text, JSON (bytes that are not UTF-8 fail the JSON parse with their offset). */
export function parseResponse(response: HttpResponse): ParsedResponse {
  const mediaType = mediaTypeOf(response.headers['content-type']);
  const isJson = isJsonMediaType(mediaType);
  const text = response.body.toString('utf8');
  let badUtf8: string | undefined;
  if (isJson && !isUtf8(response.body)) {
    const offset = invalidUtf8Offset(response.body);
    badUtf8 = `the bytes are not valid UTF-8: invalid byte 0x${(response.body[offset] ?? 0).toString(16).padStart(2, '0')} at byte offset ${offset}`;
  }
  const parsed: ParsedResponse = {
    status: response.status,
    headers: response.headers,
    ...(mediaType ? { mediaType } : {}),
    text,
    bodyBytes: response.body.length,
    ...(response.bodyProblem ? { bodyProblem: response.bodyProblem } : {}),
  };
  if (isJson && text.length > 0 && !response.bodyProblem) {
    if (badUtf8 !== undefined) parsed.json = { ok: false, error: badUtf8 };
    else {
      try {
        parsed.json = { ok: true, value: JSON.parse(text) };
      } catch (error) {
        parsed.json = { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    }
  }
  return parsed;
}

// Enough of a non-JSON body to redact `"token": "…"` fragments near the start and still fill an excerpt.
const TEXT_HEAD = 64 * 1024;

/** A response for reports: secret headers and properties redacted, known secrets scrubbed, controls escaped, body cut to `max` characters. */
export function summariseResponse(response: ParsedResponse, secrets: readonly string[], max = 500): ResponseSummary {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    headers[name] = isSecretHeader(name) ? REDACTED : escapeControls(scrubSecrets(text, secrets));
  }
  // Redact before cutting, and scrub before the final cut, so no cut leaves part of a secret behind.
  // A parsed body is written from its value (only as much as is shown); other text from its head.
  const body =
    response.json?.ok === true
      ? boundedJson(response.json.value, max + 256)
      : redactSecretFragments(response.text.length > TEXT_HEAD ? response.text.slice(0, TEXT_HEAD) : response.text);
  return {
    status: response.status,
    headers,
    ...(response.mediaType ? { mediaType: response.mediaType } : {}),
    bodyBytes: response.bodyBytes,
    ...(response.bodyProblem ? { bodyProblem: response.bodyProblem } : {}),
    bodyExcerpt: textExcerpt(scrubSecrets(body, secrets), max),
  };
}
