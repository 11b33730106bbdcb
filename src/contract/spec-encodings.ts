import type { Api, Operation } from '../openapi/api-model.js';
import { resolvePointer } from '../openapi/json-pointer.js';

// Two serialisation details the normalised Operation does not carry (yet): a request body's `encoding`
// and the media type of a parameter described by `content`. They are read once per operation from the
// bundled document, which the Api keeps; everything else comes from the normalised model.

type Raw = Record<string, unknown>;

/** A property's `encoding` entry as the spec writes it (headers are not sent). */
export interface SpecEncoding {
  contentType?: string;
  style?: string;
  explode?: boolean;
}

/** What the normalised model leaves out of one operation's request serialisation. */
export interface SpecEncodings {
  /** `in:name` (header names lower-case) → the single media type of a parameter described by `content`. */
  parameterMedia: Record<string, string>;
  /** Request media type (as declared) → property → its encoding entry. */
  bodyEncoding: Record<string, Record<string, SpecEncoding>>;
}

function isRaw(value: unknown): value is Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function deref(document: unknown, value: unknown): Raw | undefined {
  let current = value;
  for (let hops = 0; hops < 16 && isRaw(current) && typeof current.$ref === 'string'; hops++) current = resolvePointer(document, current.$ref);
  return isRaw(current) ? current : undefined;
}

function readEncoding(raw: unknown): Record<string, SpecEncoding> {
  const out: Record<string, SpecEncoding> = {};
  if (!isRaw(raw)) return out;
  for (const [name, entry] of Object.entries(raw)) {
    if (!isRaw(entry)) continue;
    const encoding: SpecEncoding = {};
    if (typeof entry.contentType === 'string') encoding.contentType = entry.contentType;
    if (typeof entry.style === 'string') encoding.style = entry.style;
    if (typeof entry.explode === 'boolean') encoding.explode = entry.explode;
    out[name] = encoding;
  }
  return out;
}

/** Reads the request-body encodings and content-described parameters of `operation` from the API's bundled document. */
export function readSpecEncodings(api: Pick<Api, 'document'>, operation: Pick<Operation, 'path' | 'method'>): SpecEncodings {
  const result: SpecEncodings = { parameterMedia: {}, bodyEncoding: {} };
  const document = api.document;
  const paths = isRaw(document?.paths) ? document.paths : {};
  const pathItem = deref(document, paths[operation.path]);
  const raw = pathItem ? deref(document, pathItem[operation.method]) : undefined;
  if (!pathItem || !raw) return result;
  for (const list of [pathItem.parameters, raw.parameters]) {
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      const parameter = deref(document, item);
      if (!parameter || typeof parameter.name !== 'string' || typeof parameter.in !== 'string' || !isRaw(parameter.content)) continue;
      const mediaType = Object.keys(parameter.content)[0];
      const name = parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name;
      if (mediaType) result.parameterMedia[`${parameter.in}:${name}`] = mediaType;
    }
  }
  const body = deref(document, raw.requestBody);
  if (body && isRaw(body.content)) {
    for (const [mediaType, media] of Object.entries(body.content)) {
      if (isRaw(media) && isRaw(media.encoding)) result.bodyEncoding[mediaType] = readEncoding(media.encoding);
    }
  }
  return result;
}
