// One classification of media types for both directions: how a request body is read off the wire
// and how a response body is written. Parameters (`; charset=…`) never change the kind.

/** How a body of some media type is carried. */
export type MediaKind = 'json' | 'form' | 'multipart' | 'xml' | 'yaml' | 'csv' | 'html' | 'event-stream' | 'msgpack' | 'text' | 'binary';

// Requests repeat the same few Content-Type and Accept values: each is taken apart once.
const essences = new Map<string, string>();

/** The lower-case `type/subtype` of a media type or Content-Type header, without parameters. */
export function mediaEssence(mediaType: string | undefined): string {
  if (mediaType === undefined) return '';
  let essence = essences.get(mediaType);
  if (essence === undefined) {
    essence = mediaType.split(';')[0].trim().toLowerCase();
    // Bounded in count and size: a client making up values costs at most 256 short entries.
    if (mediaType.length > 200) return essence;
    if (essences.size >= 256) essences.clear();
    essences.set(mediaType, essence);
  }
  return essence;
}

/** True for a range such as `*\/*`, `image/*` or `application/*`. */
export function isMediaRange(mediaType: string): boolean {
  const [type = '', subtype = ''] = mediaEssence(mediaType).split('/');
  return type === '*' || subtype === '*';
}

const textLike = new Set(['application/javascript', 'application/ecmascript', 'application/graphql', 'application/sql', 'application/x-sh', 'application/x-ndjson', 'application/jsonl']);
const msgpack = new Set(['application/x-msgpack', 'application/msgpack', 'application/vnd.msgpack']);

/** The kind of a concrete media type; ranges count as binary (the schema decides for them). */
export function mediaKind(mediaType: string): MediaKind {
  const essence = mediaEssence(mediaType);
  const [type = '', subtype = ''] = essence.split('/');
  if (subtype === 'json' || subtype.endsWith('+json')) return 'json';
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

/** True when a declared media type (possibly a range) accepts the concrete `actual` essence. */
export function acceptsMediaType(declared: string, actual: string): boolean {
  const [dt, ds] = mediaEssence(declared).split('/');
  const [at, as] = mediaEssence(actual).split('/');
  return (dt === '*' || dt === at) && (ds === '*' || ds === as);
}
