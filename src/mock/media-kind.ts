// One classification of media types for both directions: how a request body is read off the wire
// and how a response body is written. Parameters (`; charset=…`) never change the kind.

/** How a body of some media type is carried. */
export type MediaKind = 'json' | 'form' | 'multipart' | 'xml' | 'yaml' | 'csv' | 'html' | 'event-stream' | 'msgpack' | 'text' | 'binary';

import { isJsonMediaType, parseMediaType } from '../openapi/media-type.js';

// The adapters and the request path read these from here.
export { acceptsMediaType, isMediaRange, mediaEssence } from '../openapi/media-type.js';

const textLike = new Set(['application/javascript', 'application/ecmascript', 'application/graphql', 'application/sql', 'application/x-sh', 'application/x-ndjson', 'application/jsonl']);
const msgpack = new Set(['application/x-msgpack', 'application/msgpack', 'application/vnd.msgpack']);

/** The kind of a concrete media type; ranges count as binary (the schema decides for them). */
export function mediaKind(mediaType: string): MediaKind {
  const { type, subtype, essence } = parseMediaType(mediaType);
  if (isJsonMediaType(essence)) return 'json';
  if (essence === 'application/x-www-form-urlencoded') return 'form';
  if (essence === 'multipart/form-data') return 'multipart';
  if (subtype === 'xml' || subtype.endsWith('+xml')) return 'xml';
  if (subtype === 'yaml' || subtype === 'x-yaml' || subtype.endsWith('+yaml')) return 'yaml';
  if (msgpack.has(essence)) return 'msgpack';
  if (textLike.has(essence)) return 'text';
  if (type !== 'text') return 'binary';
  if (subtype === 'csv') return 'csv';
  if (subtype === 'html') return 'html';
  if (subtype === 'event-stream') return 'event-stream';
  return 'text';
}

/** True when a kind travels as text (UTF-8 on the wire). */
export function isTextKind(kind: MediaKind): boolean {
  return kind !== 'binary' && kind !== 'msgpack' && kind !== 'multipart';
}
