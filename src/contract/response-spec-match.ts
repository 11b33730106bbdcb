import type { MediaTypeBody, Operation, ResponseSpec } from '../openapi/api-model.js';

/** The declared response for a status: the exact code, then its range (`4XX`), then `default`. */
export function findResponseSpec(operation: Operation, status: number): ResponseSpec | undefined {
  const exact = String(status);
  const range = `${String(status)[0]}XX`;
  return (
    operation.responses.find((r) => r.status === exact) ??
    operation.responses.find((r) => r.status.toUpperCase() === range) ??
    operation.responses.find((r) => r.status === 'default')
  );
}

/** The media type of a Content-Type value, lower-case and without parameters. */
export function mediaTypeOf(contentType: string | string[] | undefined): string | undefined {
  const value = Array.isArray(contentType) ? contentType[0] : contentType;
  if (!value) return undefined;
  const type = value.split(';')[0].trim().toLowerCase();
  return type === '' ? undefined : type;
}

/** True for `application/json` and structured-suffix types like `application/problem+json`. */
export function isJsonMediaType(mediaType: string | undefined): boolean {
  if (!mediaType) return false;
  const type = mediaType.split(';')[0].trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}

function matchesRange(declared: string, actual: string): boolean {
  const d = declared.split(';')[0].trim().toLowerCase();
  if (d === '*/*' || d === actual) return true;
  const [dType, dSub] = d.split('/');
  const [aType] = actual.split('/');
  return dSub === '*' && dType === aType;
}

/** The declared body for a media type, preferring an exact match over a wildcard range. */
export function findMediaTypeBody(content: MediaTypeBody[], mediaType: string): MediaTypeBody | undefined {
  const exact = content.find((c) => c.contentType.split(';')[0].trim().toLowerCase() === mediaType);
  return exact ?? content.find((c) => matchesRange(c.contentType, mediaType));
}

/** A short description of the statuses an operation documents, e.g. `200, 4XX, default`. */
export function documentedStatuses(operation: Operation): string {
  return operation.responses.map((r) => r.status).join(', ') || 'none';
}
