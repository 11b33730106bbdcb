import type { Faker } from '@faker-js/faker';
import { Type, type TSchema } from '@sinclair/typebox';
import { toolkitError } from '../errors.js';
import { createGenerator, type ValueGenerator } from '../fake/create-generator.js';
import type { EdgeProfile } from '../fake/edge-profiles.js';
import type { Api, MediaTypeBody, Operation, Parameter, ParameterLocation, ResponseSpec } from '../openapi/api-model.js';
import type { Validator } from '../openapi/compile-validator.js';
import { lazyValidator } from './lazy-validator.js';
import { mergeOver, type Fixture, type FixtureRequest } from './fixture.js';
import { findByStatus, statusMatches } from '../openapi/find-response.js';
import { carriesJson } from './negotiate-media-type.js';
import { createParameterReader, type ParameterReader } from './read-parameters.js';
import { compileRequestBody, type CompiledBody } from './request-body.js';

/** A response media type with everything needed to answer it, compiled once at start. */
export interface CompiledMedia {
  contentType: string;
  validator?: Validator;
  generate?: ValueGenerator;
  /** The generator for an edge profile (compiled on first use), or the realistic one without a profile. */
  generatorFor(profile: EdgeProfile | undefined): ValueGenerator | undefined;
  examples: Map<string, unknown>;
}

/** A declared response, compiled. */
export interface CompiledResponse {
  spec: ResponseSpec;
  media: CompiledMedia[];
  /** Generators for the headers the spec declares on this response. */
  headers: { name: string; generate: ValueGenerator }[];
}

/** The readers and validators of one request part (path, query, header, cookie). */
export interface CompiledPart {
  read: ParameterReader;
  validator: Validator;
  schema: TSchema;
}

/** One operation, ready to answer requests without walking the spec again. */
export interface CompiledOperation {
  operation: Operation;
  parts: Partial<Record<ParameterLocation, CompiledPart>>;
  bodies: CompiledBody[];
  responses: CompiledResponse[];
  fixtures: Map<string, Fixture>;
  /** The status answered when nothing asks for another. */
  defaultStatus: number;
}

// statusMatches stays importable from here: the request path (answer-operation.ts) reads it from this module.
export { statusMatches };

/** The declared response for `status`: exact code first, then its range, then `default`. */
export function findResponse<T extends { spec: ResponseSpec }>(responses: T[], status: number): T | undefined {
  return findByStatus(responses, status, (r) => r.spec.status);
}

function pickDefaultStatus(responses: ResponseSpec[]): number {
  const numeric = responses.map((r) => Number(r.status)).filter((n) => Number.isInteger(n));
  const success = numeric.filter((n) => n >= 200 && n < 300).sort((a, b) => a - b);
  if (success.length > 0) return success[0];
  if (responses.some((r) => /^2XX$/i.test(r.status) || r.status === 'default')) return 200;
  return numeric.sort((a, b) => a - b)[0] ?? 200;
}

// Generators, like validators, are compiled when a request first needs them.
function lazyGenerator(schema: TSchema, references: TSchema[], options?: Parameters<typeof createGenerator>[2]): ValueGenerator {
  let compiled: ValueGenerator | undefined;
  return (ctx) => (compiled ??= createGenerator(schema, references, options))(ctx);
}

function compilePart(parameters: Parameter[], references: TSchema[]): CompiledPart | undefined {
  if (parameters.length === 0) return undefined;
  const properties: Record<string, TSchema> = {};
  const required: string[] = [];
  for (const p of parameters) {
    properties[p.name] = p.schema;
    if (p.required) required.push(p.name);
  }
  const schema = Type.Object(properties, { additionalProperties: true });
  // Type.Object marks every property required; the spec decides which are.
  schema.required = required;
  if (required.length === 0) delete schema.required;
  return { read: createParameterReader(parameters, references), validator: lazyValidator(schema, references), schema };
}

function compileMedia(media: MediaTypeBody, references: TSchema[]): CompiledMedia {
  const json = carriesJson(media.contentType);
  const generate = lazyGenerator(media.schema, references);
  // Profiles are asked for rarely: compile each only when a request first wants it.
  const edge = new Map<EdgeProfile, ValueGenerator>();
  return {
    contentType: media.contentType,
    validator: json ? lazyValidator(media.schema, references) : undefined,
    generate,
    generatorFor(profile) {
      if (!profile) return generate;
      let generator = edge.get(profile);
      if (!generator) edge.set(profile, (generator = lazyGenerator(media.schema, references, { profile })));
      return generator;
    },
    examples: new Map(media.examples.map((e) => [e.name, e.value])),
  };
}

/** Builds a fixture's body: generated data with the fixture's partial body (or builder result) merged over it. */
export function fixtureBody(
  fixture: Fixture,
  media: CompiledMedia,
  ctx: { seed: number; now: number; faker: Faker; request: FixtureRequest; profile?: EdgeProfile },
): unknown {
  const generated = media.generatorFor(ctx.profile)?.({ seed: ctx.seed, now: ctx.now });
  if (!fixture.build) return mergeOver(generated, fixture.body);
  ctx.faker.seed(ctx.seed);
  return mergeOver(generated, fixture.build({ faker: ctx.faker, request: ctx.request, seed: ctx.seed }));
}

const sampleRequest = (op: Operation): FixtureRequest => ({
  method: op.method.toUpperCase(),
  path: op.path,
  params: {},
  query: {},
  headers: {},
  body: op.requestBody?.content[0]?.examples[0]?.value,
});

function checkFixture(op: Operation, fixture: Fixture, responses: CompiledResponse[], defaultStatus: number, faker: Faker, now: number): void {
  const status = fixture.status ?? defaultStatus;
  const response = findResponse(responses, status);
  if (!response) {
    const declared = responses.map((r) => r.spec.status).join(', ');
    throw toolkitError('IWKIT_ERR_FIXTURE_INVALID', fixture.file, `status ${status} is not declared by ${op.operationId} (declared: ${declared})`);
  }
  const media = response.media.find((m) => m.validator) ?? response.media[0];
  if (!media) {
    if (fixture.body !== undefined || fixture.build) {
      throw toolkitError('IWKIT_ERR_FIXTURE_INVALID', fixture.file, `response ${response.spec.status} of ${op.operationId} has no body`);
    }
    return;
  }
  if (!media.validator) return;
  for (const seed of [1, 2, 3]) {
    let body: unknown;
    try {
      body = fixtureBody(fixture, media, { seed, now, faker, request: sampleRequest(op) });
    } catch (error) {
      throw toolkitError('IWKIT_ERR_FIXTURE_INVALID', fixture.file, `its builder threw: ${error instanceof Error ? error.message : String(error)}`);
    }
    const errors = media.validator.errors(body);
    if (errors.length > 0) {
      const where = errors.map((e) => `${e.pointer || '/'} ${e.message}`).join('; ');
      throw toolkitError('IWKIT_ERR_FIXTURE_INVALID', fixture.file, where);
    }
  }
}

/** Compiles an operation's validators, generators and fixtures; a fixture that cannot give a valid body throws. */
export function compileOperation(api: Api, op: Operation, fixtures: Fixture[], faker: Faker, now: number): CompiledOperation {
  const refs = api.references;
  const parts: CompiledOperation['parts'] = {};
  for (const location of ['path', 'query', 'header', 'cookie'] as const) {
    const part = compilePart(op.parameters.filter((p) => p.in === location), refs);
    if (part) parts[location] = part;
  }
  const bodies = (op.requestBody?.content ?? []).map((m) => compileRequestBody(m, refs));
  const responses = op.responses.map((spec) => ({
    spec,
    media: spec.content.map((m) => compileMedia(m, refs)),
    headers: spec.headers.map((h) => ({ name: h.name, generate: lazyGenerator(h.schema, refs) })),
  }));
  const defaultStatus = pickDefaultStatus(op.responses);
  for (const fixture of fixtures) checkFixture(op, fixture, responses, defaultStatus, faker, now);
  return { operation: op, parts, bodies, responses, fixtures: new Map(fixtures.map((f) => [f.name, f])), defaultStatus };
}
