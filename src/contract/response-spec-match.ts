import type { MediaTypeBody, Operation } from '../openapi/api-model.js';
import { acceptsMediaType, mediaEssence } from '../openapi/media-type.js';

/** The media type of a Content-Type value, lower-case and without parameters. */
export function mediaTypeOf(contentType: string | string[] | undefined): string | undefined {
  const value = Array.isArray(contentType) ? contentType[0] : contentType;
  return mediaEssence(value) || undefined;
}

/** The declared body for a media type, preferring an exact match over a wildcard range. */
export function findMediaTypeBody(content: MediaTypeBody[], mediaType: string): MediaTypeBody | undefined {
  const exact = content.find((c) => mediaEssence(c.contentType) === mediaType);
  return exact ?? content.find((c) => acceptsMediaType(c.contentType, mediaType));
}

/** A short description of the statuses an operation documents, e.g. `200, 4XX, default`. */
export function documentedStatuses(operation: Operation): string {
  return operation.responses.map((r) => r.status).join(', ') || 'none';
}
