import type { HttpResponse, ParsedResponse, ResponseSummary } from './contract-types.js';
import { textExcerpt } from './excerpt.js';
import { isSecretHeader, REDACTED, redactBodyText, scrubSecrets } from './redact.js';
import { isJsonMediaType, mediaTypeOf } from './response-spec-match.js';

/** Decodes a response once for every check: media type, text, JSON. */
export function parseResponse(response: HttpResponse): ParsedResponse {
  const mediaType = mediaTypeOf(response.headers['content-type']);
  const text = response.body.toString('utf8');
  const parsed: ParsedResponse = {
    status: response.status,
    headers: response.headers,
    ...(mediaType ? { mediaType } : {}),
    text,
    bodyBytes: response.body.length,
    ...(response.bodyProblem ? { bodyProblem: response.bodyProblem } : {}),
  };
  if (isJsonMediaType(mediaType) && text.length > 0 && !response.bodyProblem) {
    try {
      parsed.json = { ok: true, value: JSON.parse(text) };
    } catch (error) {
      parsed.json = { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }
  return parsed;
}

/** A response for reports: secret headers and properties redacted, known secrets scrubbed, body cut to `max` characters. */
export function summariseResponse(response: ParsedResponse, secrets: readonly string[], max = 500): ResponseSummary {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    headers[name] = isSecretHeader(name) ? REDACTED : scrubSecrets(text, secrets);
  }
  // Redact before cutting: a cut-off JSON body could no longer be parsed for redaction.
  const head = response.text.length > 200_000 ? response.text.slice(0, 200_000) : response.text;
  return {
    status: response.status,
    headers,
    ...(response.mediaType ? { mediaType: response.mediaType } : {}),
    bodyBytes: response.bodyBytes,
    ...(response.bodyProblem ? { bodyProblem: response.bodyProblem } : {}),
    bodyExcerpt: textExcerpt(redactBodyText(head, secrets), max),
  };
}
