import type { TSchema } from '@sinclair/typebox';
import type { MediaTypeBody } from '../openapi/api-model.js';
import type { ValidationIssue, Validator } from '../openapi/compile-validator.js';
import { lazyValidator } from './lazy-validator.js';
import { createFormDecoder, type FormDecoder } from './decode-form.js';
import { acceptsMediaType, mediaEssence, mediaKind } from './media-kind.js';
import { concreteContentType } from './negotiate-media-type.js';
import { problem, type Problem } from './problem.js';
import { isBinarySchema, refMap, shapeOf } from './schema-shape.js';

// Which request media types an operation takes, how a body of each is read, and what is checked:
// JSON, forms and multipart are decoded and validated like JSON; text is a string, checked only
// against a string schema; anything else is raw bytes (a binary string), checked for size only.

/** The Content-Type a body sent without one is taken as (RFC 9110 §8.3). */
export const defaultBodyType = 'application/octet-stream';

/** How a request body is read off the wire. */
export type BodyKind = 'json' | 'form' | 'multipart' | 'text' | 'binary';

/** One declared request media type, ready to read and check bodies. */
export interface CompiledBody {
  contentType: string;
  schema: TSchema;
  /** The schema's validator (compiled on first use). */
  validator: Validator;
  /** True when the schema itself says raw bytes (`format: binary`), whatever the wire type. */
  binary: boolean;
  /** True when the schema is a string schema, so text and byte bodies are checked against it. */
  stringSchema: boolean;
  /** The form/multipart decoder for this schema and `encoding` (built on first use). */
  decoder(): FormDecoder;
}

/** Compiles one declared request media type. */
export function compileRequestBody(media: MediaTypeBody, references: readonly TSchema[]): CompiledBody {
  const refs = refMap(references);
  let decoder: FormDecoder | undefined;
  return {
    contentType: media.contentType,
    schema: media.schema,
    validator: lazyValidator(media.schema, references),
    binary: isBinarySchema(media.schema, refs),
    stringSchema: shapeOf(media.schema, refs) === 'string',
    decoder: () => (decoder ??= createFormDecoder(media.schema, references, media.encoding)),
  };
}

/** The declared body that takes a concrete wire type: an exact match first, then `type/*`, then `*\/*`. */
export function findRequestBody<T extends { contentType: string }>(bodies: readonly T[], wireType: string): T | undefined {
  const type = mediaEssence(wireType);
  return (
    bodies.find((b) => mediaEssence(b.contentType) === type) ??
    bodies.find((b) => !mediaEssence(b.contentType).startsWith('*/') && acceptsMediaType(b.contentType, type)) ??
    bodies.find((b) => acceptsMediaType(b.contentType, type))
  );
}

/** How a body of `wireType` is read: raw bytes when the schema says so, else as its own kind says. */
export function requestBodyKind(body: CompiledBody | undefined, wireType: string): BodyKind {
  if (body?.binary) return 'binary';
  const kind = mediaKind(wireType);
  if (kind === 'json' || kind === 'form' || kind === 'multipart' || kind === 'binary') return kind;
  return kind === 'msgpack' ? 'binary' : 'text';
}

/** True when bodies of this kind are checked against the schema (text and bytes only by a string schema). */
export function validatesKind(body: CompiledBody, kind: BodyKind): boolean {
  if (kind === 'json' || kind === 'form' || kind === 'multipart') return true;
  return body.stringSchema;
}

/** Every problem of a present body of `kind` against its declared media type. */
export function bodyIssues(body: CompiledBody, kind: BodyKind, value: unknown, required: boolean): ValidationIssue[] {
  if ((kind === 'binary' || kind === 'text') && value === '' && required) return [{ pointer: '', message: 'a request body is required' }];
  if (!validatesKind(body, kind)) return [];
  return body.validator.errors(value);
}

/** The 415 problem for a Content-Type the operation does not take, listing what it does. */
export function unsupportedMediaTypeProblem(type: string, accepted: readonly string[]): Problem {
  const list = accepted.join(' or ');
  const shown = type || '(none)';
  return problem(415, `content type "${shown}" is not accepted; use ${list}`, [
    { in: 'header', pointer: '/content-type', message: `expected ${list}` },
  ], { accepted: [...accepted], hint: `send the body with Content-Type: ${concreteContentType(accepted[0] ?? 'application/json')}` });
}
