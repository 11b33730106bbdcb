// One reading of media-type text (`type/subtype; name=value`) for the mock, the contract runner and
// the proxy. Choices, made once here:
// - a JSON media type is one whose subtype is `json` (`application/json`, `text/json`) or ends in
//   `+json` (`application/problem+json`); ranges (`*/*`, `application/*`) are not JSON: which
//   concrete type a range stands for is a negotiation question, answered by the mock's negotiator;
// - parameters never change what a media type is; names are case-insensitive, values are kept as written.

/** A media type split into its parts; `essence` is the lower-case `type/subtype`. */
export interface MediaType {
  type: string;
  subtype: string;
  essence: string;
  /** Parameters by lower-case name; a name written without `=` maps to ''. */
  parameters: Record<string, string>;
}

// Requests repeat the same few Content-Type and Accept values: each is taken apart once, and the parts
// are shared (read-only). Bounded in count and size: made-up values cost at most 256 short entries.
const parsed = new Map<string, Readonly<MediaType>>();

/** Parses a media type or Content-Type value; missing parts are ''. The result is shared: do not change it. */
export function parseMediaType(text: string | undefined): Readonly<MediaType> {
  const key = text ?? '';
  let media = parsed.get(key);
  if (media === undefined) {
    media = Object.freeze(readMediaType(key));
    if (key.length > 200) return media;
    if (parsed.size >= 256) parsed.clear();
    parsed.set(key, media);
  }
  return media;
}

function readMediaType(text: string): MediaType {
  const [head = '', ...rest] = text.split(';');
  const essence = head.trim().toLowerCase();
  const slash = essence.indexOf('/');
  const type = slash < 0 ? essence : essence.slice(0, slash);
  const subtype = slash < 0 ? '' : essence.slice(slash + 1);
  const parameters: Record<string, string> = {};
  for (const part of rest) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (name && !Object.hasOwn(parameters, name)) parameters[name] = eq < 0 ? '' : part.slice(eq + 1).trim();
  }
  return { type, subtype, essence, parameters: Object.freeze(parameters) };
}

/** The lower-case `type/subtype` of a media type or Content-Type header, without parameters. */
export function mediaEssence(mediaType: string | undefined): string {
  return parseMediaType(mediaType).essence;
}

/** True for a range such as `*\/*`, `image/*` or `application/*`. */
export function isMediaRange(mediaType: string): boolean {
  const { type, subtype } = parseMediaType(mediaType);
  return type === '*' || subtype === '*';
}

/** True for a JSON media type: subtype `json` (`application/json`, `text/json`) or a `+json` suffix; never a range. */
export function isJsonMediaType(mediaType: string | undefined): boolean {
  const { subtype } = parseMediaType(mediaType);
  return subtype === 'json' || subtype.endsWith('+json');
}

/** True when a declared media type (possibly a range) accepts the concrete `actual` one. */
export function acceptsMediaType(declared: string, actual: string): boolean {
  const d = parseMediaType(declared);
  const a = parseMediaType(actual);
  return (d.type === '*' || d.type === a.type) && (d.subtype === '*' || d.subtype === a.subtype);
}
