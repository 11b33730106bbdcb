import type { CaseBody, FieldEncoding } from './contract-types.js';
import { mediaEssence as essence } from '../openapi/media-type.js';
import { concreteContentType, mediaKind } from './request-media.js';
import { encodePairs, formPairs, scalarText } from './serialise-parameter.js';

// A case body on the wire. JSON, YAML (JSON text is YAML) and text are written as text; form bodies as
// `a=1&b=2` per the spec's `encoding`; multipart as RFC 7578 parts; binary media as a few real bytes.

/** A serialised body and the Content-Type header that goes with it (multipart adds its boundary). */
export interface WireBody {
  bytes: Buffer;
  contentType: string;
}

// The smallest valid images, so a server that inspects an upload sees a real one.
const PNG_1X1 = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082', 'hex');
const GIF_1X1 = Buffer.from('47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b', 'hex');

/** Bytes for a binary value: a real image for image types, else the value's text (a generated `format: binary` string). */
export function binaryBytes(contentType: string, value: unknown): Buffer {
  const type = essence(contentType);
  if (type === 'image/png') return PNG_1X1;
  if (type === 'image/gif') return GIF_1X1;
  if (Buffer.isBuffer(value)) return value;
  return Buffer.from(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''), 'utf8');
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

function isJsonType(type: string | undefined): boolean {
  return type === undefined || mediaKind(type) === 'json';
}

/** `a=1&b=2`: arrays repeat their key (style form, explode), objects are JSON text unless `encoding` names a style (deepObject: `a[b]=c`). */
export function formBody(value: unknown, fields: Record<string, FieldEncoding> = {}): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return encodePairs([['value', scalarText(value)]]);
  const pairs: [string, string][] = [];
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined || v === null) continue;
    const encoding = fields[name] ?? {};
    const structured = typeof v === 'object';
    if (encoding.style !== undefined || (Array.isArray(v) && !encoding.contentType)) {
      const style = encoding.style ?? 'form';
      pairs.push(...formPairs(name, v, style, encoding.explode ?? style === 'form'));
    } else if (structured && isJsonType(encoding.contentType)) {
      pairs.push([name, JSON.stringify(v)]);
    } else {
      pairs.push([name, scalarText(v)]);
    }
  }
  return encodePairs(pairs);
}

const extensions: Record<string, string> = {
  'image/png': '.png',
  'image/gif': '.gif',
  'image/jpeg': '.jpg',
  'application/pdf': '.pdf',
  'application/json': '.json',
  'text/plain': '.txt',
  'text/csv': '.csv',
};

// RFC 7578 §4.2: a quote or line break in a name is percent-encoded.
function quoted(name: string): string {
  return `"${name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}"`;
}

interface Part {
  headers: string[];
  bytes: Buffer;
}

function fieldParts(name: string, value: unknown, encoding: FieldEncoding): Part[] {
  const disposition = `Content-Disposition: form-data; name=${quoted(name)}`;
  if (encoding.file) {
    const type = encoding.contentType ? concreteContentType(encoding.contentType) : 'application/octet-stream';
    const items = Array.isArray(value) ? value : [value];
    return items.map((item, i) => ({
      headers: [`${disposition}; filename=${quoted(`${name}${items.length > 1 ? `-${i + 1}` : ''}${extensions[essence(type)] ?? '.bin'}`)}`, `Content-Type: ${type}`],
      bytes: binaryBytes(type, item),
    }));
  }
  if (typeof value === 'object' && value !== null) {
    const type = encoding.contentType ? concreteContentType(encoding.contentType) : 'application/json';
    return [{ headers: [disposition, `Content-Type: ${type}`], bytes: Buffer.from(JSON.stringify(value), 'utf8') }];
  }
  const type = encoding.contentType && essence(encoding.contentType) !== 'text/plain' ? concreteContentType(encoding.contentType) : undefined;
  return [{ headers: type ? [disposition, `Content-Type: ${type}`] : [disposition], bytes: Buffer.from(scalarText(value), 'utf8') }];
}

// A boundary derived from the content, so the same case always yields the same bytes.
function boundaryFor(parts: Part[]): string {
  let h = 0x811c9dc5;
  for (const part of parts) for (const byte of part.bytes.subarray(0, 4096)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  for (let n = 0; ; n++) {
    const boundary = `iwkit-${h.toString(16).padStart(8, '0')}${n > 0 ? `-${n}` : ''}`;
    if (!parts.some((p) => p.bytes.includes(boundary))) return boundary;
  }
}

/** An RFC 7578 multipart/form-data body: a part per property, files with a filename and their media type, objects and arrays as JSON. */
export function multipartBody(value: unknown, fields: Record<string, FieldEncoding> = {}): WireBody {
  const record = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  const parts: Part[] = [];
  for (const [name, v] of Object.entries(record)) {
    if (v === undefined || v === null) continue;
    parts.push(...fieldParts(name, v, fields[name] ?? {}));
  }
  const boundary = boundaryFor(parts);
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n${part.headers.join('\r\n')}\r\n\r\n`, 'utf8'), part.bytes, Buffer.from('\r\n', 'utf8'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
  return { bytes: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

function xmlEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function xmlName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_.-]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

function xmlElement(name: string, value: unknown, depth: number): string {
  const tag = xmlName(name);
  if (Array.isArray(value)) return value.map((item) => xmlElement(name, item, depth + 1)).join('');
  if (value === null || value === undefined) return `<${tag}/>`;
  if (typeof value === 'object' && depth < 32) {
    return `<${tag}>${Object.entries(value as Record<string, unknown>).map(([k, v]) => xmlElement(k, v, depth + 1)).join('')}</${tag}>`;
  }
  return `<${tag}>${xmlEscape(scalarText(value))}</${tag}>`;
}

/** A plain XML rendering (properties as child elements); the spec's `xml` hints are not applied. */
export function xmlBody(value: unknown, root = 'root'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${xmlElement(root, value, 0)}`;
}

/** Serialises a case body for its media type. */
export function serialiseBody(body: CaseBody): WireBody {
  if ('raw' in body) return { bytes: Buffer.from(body.raw, 'utf8'), contentType: body.contentType };
  const { contentType, value } = body;
  switch (mediaKind(contentType)) {
    case 'json':
    case 'yaml':
      return { bytes: Buffer.from(JSON.stringify(value) ?? 'null', 'utf8'), contentType };
    case 'form':
      return { bytes: Buffer.from(formBody(value, body.fields), 'utf8'), contentType };
    case 'multipart':
      return multipartBody(value, body.fields);
    case 'text':
      return { bytes: Buffer.from(text(value), 'utf8'), contentType };
    case 'xml':
      return { bytes: Buffer.from(xmlBody(value), 'utf8'), contentType };
    default:
      return { bytes: binaryBytes(contentType, value), contentType };
  }
}
