import type { TSchema } from '@sinclair/typebox';
import type { ResponseChoice } from './choose-response.js';
import { fixtureBody, type CompiledOperation } from './compile-operation.js';
import { binaryString } from './decode-form.js';
import type { FixtureRequest } from './fixture.js';
import { headerText } from './header-text.js';
import { mediaKind } from './media-kind.js';
import type { MockRuntime } from './mock-runtime.js';
import { refMap } from './schema-shape.js';
import { responseContentType, serialiseBody, type SerialiseOptions } from './serialise-body.js';
import { takesSelfCheck } from './self-check.js';

// Payloads are strings so one cache holds them all: text as itself, bytes as a binary string
// (one character per byte) that toWire() turns back into bytes as the answer is sent.

/** Serialises a body for its content type into a payload string (binary types as a binary string; see toWire). */
export function serialise(value: unknown, contentType: string | undefined, options: Partial<SerialiseOptions> = {}): string {
  const out = serialiseBody(value, contentType, { seed: 0, generated: false, ...options });
  return typeof out === 'string' ? out : binaryString(out);
}

/** True when payloads of this Content-Type are bytes, not UTF-8 text. */
function isBytes(contentType: string): boolean {
  if (contentType.startsWith('application/json')) return false;
  const kind = mediaKind(contentType);
  return kind === 'binary' || kind === 'msgpack';
}

/** The body to send: the payload, with binary types back as their bytes. */
export function toWire(payload: string, contentType: string | undefined): string | Uint8Array {
  if (!contentType || !isBytes(contentType)) return payload;
  const bytes = new Uint8Array(payload.length);
  for (let i = 0; i < payload.length; i++) bytes[i] = payload.charCodeAt(i);
  return bytes;
}

/** The Content-Type header for a chosen media type: a UTF-8 charset on every text type. */
export function contentTypeHeader(contentType: string): string {
  if (/charset/i.test(contentType)) return contentType;
  const kind = mediaKind(contentType);
  return kind === 'binary' || kind === 'msgpack' || kind === 'multipart' || kind === 'form' ? contentType : `${contentType}; charset=utf-8`;
}

function mediaSchema(choice: ResponseChoice): TSchema | undefined {
  const offered = choice.media?.contentType;
  return choice.response.spec.content.find((m) => m.contentType === offered)?.schema;
}

/** The media type a choice is sent as: its concrete type, or octet-stream for a range whose schema is raw bytes. */
export function payloadContentType(choice: ResponseChoice, references?: readonly TSchema[]): string | undefined {
  const { contentType, media } = choice;
  if (!contentType || !media || media.contentType === contentType) return contentType;
  return responseContentType(contentType, media.contentType, mediaSchema(choice), references ? refMap(references) : undefined);
}

/** Adds the headers a choice declares, generated for the seed, then its fixture's own headers; names lower-cased. */
export function addChoiceHeaders(headers: Record<string, string>, choice: ResponseChoice, seed: number, now: number): void {
  for (const h of choice.response.headers) headers[h.name.toLowerCase()] = headerText(h.generate({ seed, now }));
  if (choice.source.kind !== 'fixture' || !choice.source.fixture.headers) return;
  for (const [name, value] of Object.entries(choice.source.fixture.headers)) headers[name.toLowerCase()] = value;
}

/** Builds the body value of a choice (not cached): the example, the fixture over generated data, or generated data. */
export function buildBody(op: CompiledOperation, choice: ResponseChoice, seed: number, runtime: MockRuntime, request: FixtureRequest): unknown {
  const { source, media } = choice;
  if (source.kind === 'none' || !media) return undefined;
  if (source.kind === 'example') return source.value;
  return source.kind === 'fixture'
    ? fixtureBody(source.fixture, media, { seed, now: runtime.now, faker: runtime.faker, request, profile: choice.profile })
    : media.generatorFor(choice.profile)?.({ seed, now: runtime.now });
}

/** True when a fixture builder (the user's code) makes the choice's body: its answers are never reused. */
export function isBuilt(choice: ResponseChoice): boolean {
  return choice.source.kind === 'fixture' && choice.source.fixture.build !== undefined;
}

/**
 * The serialised body of a choice, built once per (operation, status, media, scenario, seed) unless a builder makes it.
 * `references` lets non-JSON serialisers read the schema through `$ref`s (XML names, CSV columns).
 */
export function buildPayload(
  op: CompiledOperation,
  choice: ResponseChoice,
  seed: number,
  runtime: MockRuntime,
  request: FixtureRequest,
  references: readonly TSchema[] | undefined = runtime.references,
): string | undefined {
  const { source, media } = choice;
  if (source.kind === 'none' || !media) return undefined;
  // A spec example never depends on the seed: one cached text serves every request that asks for it.
  const key = `${op.operation.operationId}|${choice.status}|${media.contentType}|${choice.scenario}|${source.kind === 'example' ? '' : seed}`;
  const cacheable = !isBuilt(choice);
  if (cacheable) {
    const hit = runtime.cache.get(key);
    if (hit !== undefined) return hit;
  }
  const contentType = payloadContentType(choice, references);
  const options = { schema: mediaSchema(choice), refs: references ? refMap(references) : undefined, seed };
  if (source.kind === 'example') {
    const text = serialise(source.value, contentType, { ...options, generated: false });
    runtime.cache.set(key, text);
    return text;
  }
  const body = buildBody(op, choice, seed, runtime, request);
  if (media.validator && (!cacheable || takesSelfCheck(media)) && !media.validator.check(body)) {
    // A generator or builder bug, never the client's fault: say so loudly, still answer.
    runtime.warn?.('iwkit built a body that breaks the response schema', { operationId: op.operation.operationId, errors: media.validator.errors(body).slice(0, 5) });
  }
  // A fixture that gives no body of its own leaves the body generated: binary types then get real sample bytes.
  const generated = source.kind === 'generated' || (source.kind === 'fixture' && source.fixture.body === undefined && !source.fixture.build);
  const payload = serialise(body, contentType, { ...options, generated });
  if (cacheable) runtime.cache.set(key, payload);
  return payload;
}
