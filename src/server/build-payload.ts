import type { FastifyRequest } from 'fastify';
import type { ResponseChoice } from '../mock/choose-response.js';
import { fixtureBody, type CompiledOperation } from '../mock/compile-operation.js';
import type { FixtureRequest } from '../mock/fixture.js';
import { isJsonMediaType } from '../mock/negotiate-media-type.js';
import type { MockRuntime } from './mock-runtime.js';

/** Serialises a body for its content type: text stays text for non-JSON types, everything else is JSON. */
export function serialise(value: unknown, contentType: string | undefined): string {
  if (contentType && !isJsonMediaType(contentType) && typeof value === 'string') return value;
  return JSON.stringify(value) ?? '';
}

/** The Content-Type header for a chosen media type, with a charset for JSON. */
export function contentTypeHeader(contentType: string): string {
  return isJsonMediaType(contentType) && !/charset/i.test(contentType) ? `${contentType}; charset=utf-8` : contentType;
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

/** The serialised body of a choice, built once per (operation, status, media, scenario, seed) unless a builder makes it. */
export function buildPayload(op: CompiledOperation, choice: ResponseChoice, seed: number, runtime: MockRuntime, request: FixtureRequest, log: FastifyRequest['log']): string | undefined {
  const { source, media } = choice;
  if (source.kind === 'none' || !media) return undefined;
  // A spec example never depends on the seed: one cached text serves every request that asks for it.
  const key = `${op.operation.operationId}|${choice.status}|${media.contentType}|${choice.scenario}|${source.kind === 'example' ? '' : seed}`;
  const cacheable = !(source.kind === 'fixture' && source.fixture.build);
  if (cacheable) {
    const hit = runtime.cache.get(key);
    if (hit !== undefined) return hit;
  }
  if (source.kind === 'example') {
    const text = serialise(source.value, choice.contentType);
    runtime.cache.set(key, text);
    return text;
  }
  const body = buildBody(op, choice, seed, runtime, request);
  if (media.validator && !media.validator.check(body)) {
    // A generator or builder bug, never the client's fault: say so loudly, still answer.
    log.error({ operationId: op.operation.operationId, errors: media.validator.errors(body).slice(0, 5) }, 'iwkit built a body that breaks the response schema');
  }
  const payload = serialise(body, choice.contentType);
  if (cacheable) runtime.cache.set(key, payload);
  return payload;
}
