import { Type } from '@sinclair/typebox';
import type { CompiledOperation } from '../mock/compile-operation.js';
import { binaryString, createFormDecoder, type FormPart } from '../mock/decode-form.js';
import type { MockRequest } from '../mock/mock-answer.js';
import { mediaEssence } from '../mock/media-kind.js';
import { problem, type Problem } from '../mock/problem.js';
import { defaultBodyType, findRequestBody, requestBodyKind } from '../mock/request-body.js';

// The MSW adapter's half of request bodies: read a Fetch Request's body as the Fastify adapter's
// parsers read the wire (JSON text, urlencoded pairs, multipart parts, text, bytes) and hand it to the core.

type BodyFields = Pick<MockRequest, 'body' | 'rawBody' | 'bodyIssues'>;

const jsonContentType = /^application\/([\w.+-]+\+)?json(;|$)/i;

/** The deepest nesting of arrays and objects accepted in a JSON body, as in the Fastify adapter. */
const maxJsonDepth = 256;

const plainForm = createFormDecoder(Type.Unknown(), []);

function malformedJson(reason: string): Problem {
  return problem(400, `malformed request body: ${reason}`, [{ in: 'body', pointer: '', message: reason }]);
}

function depthOver(text: string): boolean {
  if (text.length <= maxJsonDepth) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxJsonDepth) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** True when parsed JSON holds a `__proto__` key or a `constructor.prototype`: refused, as Fastify refuses them. */
function poisoned(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(poisoned);
  const record = value as Record<string, unknown>;
  if (Object.prototype.hasOwnProperty.call(record, '__proto__')) return true;
  const ctor = Object.prototype.hasOwnProperty.call(record, 'constructor') ? record.constructor : undefined;
  if (typeof ctor === 'object' && ctor !== null && Object.prototype.hasOwnProperty.call(ctor, 'prototype')) return true;
  return Object.values(record).some(poisoned);
}

function parseJson(text: string): { body: unknown } | { problem: Problem } {
  if (depthOver(text)) {
    const detail = `the JSON body is nested deeper than ${maxJsonDepth} levels (limit jsonDepth=${maxJsonDepth})`;
    return { problem: problem(400, detail, [{ in: 'body', pointer: '', message: `exceeds jsonDepth=${maxJsonDepth}` }], { limit: { name: 'jsonDepth', value: maxJsonDepth } }) };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return { problem: malformedJson(`invalid JSON: ${(error as Error).message}`) };
  }
  if (poisoned(body)) return { problem: malformedJson('forbidden property "__proto__" or "constructor.prototype" in the JSON body') };
  return { body };
}

/** One stable text for the parts, the same the Fastify adapter seeds with. */
function canonicalParts(parts: readonly FormPart[]): string {
  return parts.map((p) => `${p.name}\u0000${p.filename ?? ''}\u0000${p.contentType ?? ''}\u0000${p.text ?? binaryString(p.bytes ?? new Uint8Array())}`).join('\u0001');
}

async function readParts(request: Request): Promise<FormPart[]> {
  const parts: FormPart[] = [];
  for (const [name, value] of await request.formData()) {
    if (typeof value === 'string') parts.push({ name, text: value, contentType: 'text/plain' });
    else parts.push({ name, bytes: new Uint8Array(await value.arrayBuffer()), filename: value.name, contentType: value.type || 'application/octet-stream' });
  }
  return parts;
}

/** Reads the body of a request to `op` (undefined body: none was sent); a problem when it cannot be read. */
export async function readRequestBody(op: CompiledOperation, request: Request): Promise<BodyFields | { problem: Problem }> {
  if (request.body === null) return { body: undefined };
  const header = request.headers.get('content-type') ?? undefined;
  const type = mediaEssence(header) || defaultBodyType;
  const target = findRequestBody(op.bodies, type);
  if (type === 'multipart/form-data') {
    // An operation that takes no multipart body answers 415 in the core, with the types it takes.
    if (!target) return { body: undefined };
    let parts: FormPart[];
    try {
      parts = await readParts(request);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { problem: problem(400, `malformed multipart body: ${reason}`, [{ in: 'body', pointer: '', message: reason }]) };
    }
    const decoded = target.decoder().multipart(parts);
    return { body: decoded.value, rawBody: canonicalParts(parts), ...(decoded.issues.length > 0 ? { bodyIssues: decoded.issues } : {}) };
  }
  const bytes = new Uint8Array(await request.arrayBuffer());
  const text = (): string => new TextDecoder().decode(bytes);
  if (header !== undefined && jsonContentType.test(header)) {
    const raw = text();
    if (target?.binary) return { body: raw, rawBody: raw };
    const parsed = parseJson(raw);
    return 'problem' in parsed ? parsed : { body: parsed.body, rawBody: raw };
  }
  if (type === 'application/x-www-form-urlencoded') {
    const raw = text();
    if (target?.binary) return { body: raw, rawBody: raw };
    const decoded = (target?.decoder() ?? plainForm).form([...new URLSearchParams(raw)]);
    return { body: decoded.value, rawBody: raw, ...(decoded.issues.length > 0 ? { bodyIssues: decoded.issues } : {}) };
  }
  const kind = requestBodyKind(target, type);
  if (kind === 'json' || kind === 'text') {
    const raw = text();
    if (kind === 'text') return { body: raw, rawBody: raw };
    const parsed = parseJson(raw);
    return 'problem' in parsed ? parsed : { body: parsed.body, rawBody: raw };
  }
  // Raw bytes travel as a binary string (one character per byte): schemas see a string, maxLength counts bytes.
  const binary = binaryString(bytes);
  return { body: binary, rawBody: binary };
}
