import type { TSchema } from '@sinclair/typebox';
import { dump } from 'js-yaml';
import { isMediaRange, mediaKind } from './media-kind.js';
import { sampleBytes } from './sample-bytes.js';
import { isBinarySchema, type SchemaRefs } from './schema-shape.js';
import { toCsv } from './to-csv.js';
import { toMsgpack } from './to-msgpack.js';
import { toXml } from './to-xml.js';

// A response body in its media type's own form. Spec examples and fixtures are taken as given
// (a string is the body itself); generated data is written out as the type says.

/** What a serialiser may know about the body it writes. */
export interface SerialiseOptions {
  schema?: TSchema;
  refs?: SchemaRefs;
  seed: number;
  /** True for generated data: binary types then get sample bytes of their format instead. */
  generated: boolean;
}

const encoder = new TextEncoder();
const noRefs: SchemaRefs = new Map();

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function html(value: unknown, generated: boolean): string {
  if (typeof value === 'string' && (!generated || /<[a-z!/]/i.test(value))) return value;
  const text = typeof value === 'string' ? `<p>${escapeHtml(value)}</p>` : `<pre>${escapeHtml(JSON.stringify(value, null, 2) ?? '')}</pre>`;
  return `<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>iwkit mock</title></head>\n<body>\n${text}\n</body>\n</html>\n`;
}

function eventStream(value: unknown): string {
  if (typeof value === 'string' && /^(data|event|id|retry|:)/m.test(value)) return value.endsWith('\n\n') ? value : `${value}\n\n`;
  const events = Array.isArray(value) ? value : [value];
  return events.map((e) => `${(typeof e === 'string' ? e : (JSON.stringify(e) ?? '')).split(/\r?\n/).map((line) => `data: ${line}`).join('\n')}\n\n`).join('');
}

function plain(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

function form(value: unknown): string {
  if (typeof value !== 'object' || value === null) return plain(value);
  const params = new URLSearchParams();
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    for (const v of Array.isArray(item) ? item : [item]) if (v !== undefined) params.append(key, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
  }
  return params.toString();
}

/** Serialises a body for a concrete media type: text (sent as UTF-8) or bytes. */
export function serialiseBody(value: unknown, contentType: string | undefined, options: SerialiseOptions): string | Uint8Array {
  if (!contentType) return JSON.stringify(value) ?? '';
  const refs = options.refs ?? noRefs;
  switch (mediaKind(contentType)) {
    case 'json':
      return JSON.stringify(value) ?? '';
    case 'xml':
      return typeof value === 'string' ? value : toXml(value, options.schema, refs);
    case 'yaml':
      return typeof value === 'string' ? value : dump(value, { noRefs: true, skipInvalid: true });
    case 'csv':
      return toCsv(value, options.schema, refs);
    case 'html':
      return html(value, options.generated);
    case 'event-stream':
      return eventStream(value);
    case 'form':
      return form(value);
    case 'msgpack':
      return toMsgpack(value);
    case 'binary':
      if (value instanceof Uint8Array) return value;
      if (options.generated || value === undefined) return sampleBytes(contentType, options.seed);
      return encoder.encode(plain(value));
    default:
      return plain(value);
  }
}

/** The Content-Type for an offered range whose schema is raw bytes: octet-stream rather than JSON. */
export function responseContentType(concrete: string, offered: string, schema: TSchema | undefined, refs: SchemaRefs = noRefs): string {
  if (!isMediaRange(offered) || !schema || !isBinarySchema(schema, refs)) return concrete;
  return mediaKind(concrete) === 'json' ? 'application/octet-stream' : concrete;
}
