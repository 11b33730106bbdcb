import type { TSchema } from '@sinclair/typebox';
import type { MediaTypeBody, Operation } from '../openapi/api-model.js';
import { isJsonMediaType, mediaEssence } from '../openapi/media-type.js';

/** How a body of a media type is written: JSON text, form fields, multipart parts, plain text, XML, YAML or bytes. */
export type MediaKind = 'json' | 'form' | 'multipart' | 'text' | 'xml' | 'yaml' | 'binary';

type Node = Record<string, unknown>;
/** Follows `$ref`s of a schema node. */
export type Resolve = (schema: unknown) => Node;

const essence = mediaEssence;

function types(node: Node): string[] {
  return Array.isArray(node.type) ? (node.type as string[]) : typeof node.type === 'string' ? [node.type] : [];
}

/** True for a schema whose values are bytes: a string with `format: binary` or a `contentMediaType`. */
export function isBinarySchema(schema: unknown, resolve: Resolve): boolean {
  const node = resolve(schema);
  return types(node).includes('string') && (node.format === 'binary' || typeof node.contentMediaType === 'string');
}

/** True for a schema whose every value is a string (or null), unions and enums of strings included. */
export function isStringSchema(schema: unknown, resolve: Resolve, depth = 0): boolean {
  const node = resolve(schema);
  if (depth > 8) return false;
  const union = (node.anyOf ?? node.oneOf) as unknown[] | undefined;
  if (Array.isArray(union) && union.length > 0 && node.type === undefined) return union.every((s) => isStringSchema(s, resolve, depth + 1));
  const list = types(node);
  if (list.length === 0) return typeof node.const === 'string';
  return list.includes('string') && list.every((t) => t === 'string' || t === 'null');
}

/** True for a schema whose values are objects or arrays (possibly through a union). */
export function isStructuredSchema(schema: unknown, resolve: Resolve, depth = 0): boolean {
  const node = resolve(schema);
  if (depth > 8) return false;
  if (types(node).some((t) => t === 'object' || t === 'array') || (node.properties !== null && typeof node.properties === 'object')) return true;
  return ['allOf', 'anyOf', 'oneOf'].some((k) => Array.isArray(node[k]) && (node[k] as unknown[]).some((s) => isStructuredSchema(s, resolve, depth + 1)));
}

/** The kind of body a declared media type asks for; wildcards (`*\/*`, `application/*`) carry JSON for structured schemas, bytes otherwise. */
export function mediaKind(contentType: string, schema?: unknown, resolve?: Resolve): MediaKind {
  const type = essence(contentType);
  if (isJsonMediaType(type)) return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type.startsWith('multipart/')) return 'multipart';
  if (type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml')) return 'xml';
  if (type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml' || type.endsWith('+yaml')) return 'yaml';
  if ((type === '*/*' || type === 'application/*') && schema !== undefined && resolve && isStructuredSchema(schema, resolve) && !isBinarySchema(schema, resolve)) return 'json';
  if (type.startsWith('text/')) return 'text';
  return 'binary';
}

// JSON first (plain before suffixed), then the types the runner writes faithfully; XML last: its shape is guessed.
const preference: Record<MediaKind, number> = { json: 0, form: 1, multipart: 2, binary: 3, text: 4, yaml: 5, xml: 6 };

/** The request media type cases send: JSON when the operation accepts it, else the best-supported declared type. */
export function chooseRequestMedia(operation: Operation, resolve: Resolve): MediaTypeBody | undefined {
  const content = operation.requestBody?.content ?? [];
  const plain = content.find((c) => essence(c.contentType) === 'application/json');
  if (plain) return plain;
  const ranked = content.map((c, index) => ({ c, rank: preference[mediaKind(c.contentType, c.schema, resolve)] * 100 + index }));
  ranked.sort((a, b) => a.rank - b.rank);
  return ranked[0]?.c;
}

const wildcardDefaults: Record<string, string> = {
  text: 'text/plain',
  image: 'image/png',
  audio: 'audio/mpeg',
  video: 'video/mp4',
  multipart: 'multipart/form-data',
  font: 'font/woff2',
  model: 'model/gltf-binary',
};

/** A concrete Content-Type for a declared (possibly wildcard) media type: `image/*` → `image/png`, `*\/*` → JSON or octet-stream by schema. */
export function concreteContentType(contentType: string, schema?: TSchema, resolve?: Resolve): string {
  const first = contentType.split(',')[0].trim();
  const type = essence(first);
  if (!type.includes('*')) return first;
  if (type === '*/*' || type.startsWith('application/')) return mediaKind(type, schema, resolve) === 'json' ? 'application/json' : 'application/octet-stream';
  return wildcardDefaults[type.split('/')[0]] ?? 'application/octet-stream';
}
