import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { createGenerator } from '../fake/create-generator.js';
import type { EdgeProfile } from '../fake/edge-profiles.js';
import { edgeStrategy } from '../fake/edge-strategy.js';
import type { Api, MediaTypeBody, Operation, Parameter } from '../openapi/api-model.js';
import { followRef } from '../openapi/follow-ref.js';
import { acceptsMediaType } from '../openapi/media-type.js';
import { bodyFields, topLevelProperties } from './body-fields.js';
import { bodyMutationFits, type TextReading } from './body-mutation-fits.js';
import { bodyMutations } from './body-mutations.js';
import { reservedHeaderNames } from './build-http-request.js';
import type { CaseBody, CaseRequest, ContractCase, FieldEncoding, Mutation } from './contract-types.js';
import { readRequestFixtures } from './read-request-fixtures.js';
import { chooseRequestMedia, concreteContentType, mediaKind, type MediaKind, type Resolve } from './request-media.js';
import type { SchemaValidation } from './schema-validation.js';
import { needsCredential } from './security-credentials.js';
import { serialiseBody } from './serialise-body.js';

/** Options for building cases. */
export interface CaseOptions {
  /** Generated valid requests per operation. */
  cases: number;
  seed: number;
  /** The reference time for generated timestamps. */
  now: number;
  /** A fixtures folder: `<operationId>/requests/*.json` are sent as positive cases. */
  fixturesDir?: string;
  /** Which kinds to build (all by default). */
  kinds?: ContractCase['kind'][];
  /** Edge profiles: one valid boundary request per profile and operation (kind `edge`). */
  edge?: readonly EdgeProfile[];
}

// Parameters travel in the URL and headers, where servers cap sizes long before bodies: edge values stay shorter there.
const PARAMETER_LIMITS = { longString: 512, longArray: 20, budget: 4096 };

type Generate = (ctx: { seed: number; now: number }) => unknown;

// A small string hash so each operation gets its own seed stream from one --seed.
function hashSeed(text: string, seed: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h % 2_147_483_647;
}

function emptyRequest(): CaseRequest {
  return { path: {}, query: {}, headers: {}, cookies: {} };
}

function paramBucket(request: CaseRequest, location: Parameter['in']): Record<string, unknown> {
  return location === 'path' ? request.path : location === 'query' ? request.query : location === 'header' ? request.headers : request.cookies;
}

/** The parameters a case fills: OpenAPI ignores header parameters named Accept, Content-Type or Authorization. */
function sendableParameters(op: Operation): Parameter[] {
  return op.parameters.filter((p) => !(p.in === 'header' && reservedHeaderNames.has(p.name.toLowerCase())));
}

/** The request body plan of an operation: the declared media type sent, its concrete Content-Type, kind and field encodings. */
interface BodyPlan {
  media: MediaTypeBody;
  contentType: string;
  kind: MediaKind;
  fields?: Record<string, FieldEncoding>;
}

/** `in:name` (header names lower-case) → media type, for the parameters described by `content`. */
function parameterMediaOf(op: Operation): Record<string, string> {
  const media: Record<string, string> = {};
  for (const p of op.parameters) if (p.contentType) media[`${p.in}:${p.in === 'header' ? p.name.toLowerCase() : p.name}`] = p.contentType;
  return media;
}

function bodyPlan(op: Operation, resolve: Resolve): BodyPlan | undefined {
  const media = chooseRequestMedia(op, resolve);
  if (!media) return undefined;
  const contentType = concreteContentType(media.contentType, media.schema, resolve);
  const kind = mediaKind(contentType);
  if (kind !== 'form' && kind !== 'multipart') return { media, contentType, kind };
  return { media, contentType, kind, fields: bodyFields(media.schema, resolve, media.encoding) };
}

type GenerateFor = (schema: TSchema, seed: number, name: string, profile?: EdgeProfile, parameter?: boolean) => unknown;

/** One generator per schema, name, profile and place, compiled on first use. */
function cachedGenerate(references: TSchema[], now: number): GenerateFor {
  const generators = new Map<TSchema, Map<string, Generate>>();
  // The name (a parameter's) feeds the generator's name hints, so `iw-build-id` looks like a build id.
  // `profile` picks an edge strategy; `parameter` keeps its long values short enough for a URL or header.
  return (schema, seed, name = '', profile, parameter = false) => {
    let byName = generators.get(schema);
    if (!byName) generators.set(schema, (byName = new Map()));
    const key = `${profile ?? ''}\u0000${parameter ? 'p' : 'b'}\u0000${name}`;
    let g = byName.get(key);
    if (g === undefined) {
      const strategy = profile ? edgeStrategy(profile, parameter ? PARAMETER_LIMITS : {}) : undefined;
      g = createGenerator(schema, references, { ...(name ? { name } : {}), ...(strategy ? { strategy } : {}) }) as Generate;
      byName.set(key, g);
    }
    return g({ seed, now });
  };
}

/** What the steps building one operation's cases share. */
interface OperationContext {
  op: Operation;
  opSeed: number;
  plan?: BodyPlan;
  parameters: Parameter[];
  options: CaseOptions;
  schemas: SchemaValidation;
  generate: GenerateFor;
  wanted: Set<string>;
  warnings: string[];
  add(c: Omit<ContractCase, 'id' | 'operation'>): void;
}

/** The operation's parameters: examples when asked and present, generated values for the required (and optional, when asked) others. */
function params(ctx: OperationContext, seed: number, includeOptional: boolean, useExamples: boolean): CaseRequest {
  const request = emptyRequest();
  ctx.parameters.forEach((p, index) => {
    const example = useExamples ? p.examples[0] : undefined;
    if (example) paramBucket(request, p.in)[p.name] = example.value;
    else if (p.required || includeOptional) paramBucket(request, p.in)[p.name] = ctx.generate(p.schema, seed + index + 1, p.name);
  });
  return request;
}

function bodyOf(plan: BodyPlan, value: unknown): CaseBody {
  return { contentType: plan.contentType, value, ...(plan.fields ? { fields: plan.fields } : {}) };
}

function withBody(ctx: OperationContext, request: CaseRequest, value: unknown): CaseRequest {
  return ctx.plan ? { ...request, body: bodyOf(ctx.plan, value) } : request;
}

/** Cases from the spec's examples; gives the first valid example request, the base of negative and security cases. */
function exampleCases(ctx: OperationContext): CaseRequest | undefined {
  const { op, plan, wanted } = ctx;
  let base: CaseRequest | undefined;
  if (plan) {
    for (const example of plan.media.examples) {
      if (!ctx.schemas.isValid(plan.media.schema, example.value)) {
        ctx.warnings.push(`${op.operationId}: request example "${example.name}" does not match its schema; not sent`);
        continue;
      }
      const request = withBody(ctx, params(ctx, ctx.opSeed, false, true), example.value);
      base ??= request;
      if (wanted.has('example')) ctx.add({ kind: 'example', name: `example "${example.name}"`, expectation: 'accept', auth: 'valid', request });
    }
  } else if (ctx.parameters.some((p) => p.examples.length > 0) && wanted.has('example')) {
    base = params(ctx, ctx.opSeed, false, true);
    ctx.add({ kind: 'example', name: 'parameter examples', expectation: 'accept', auth: 'valid', request: base });
  }
  return base;
}

async function fixtureCases(ctx: OperationContext, fixturesDir: string): Promise<void> {
  for (const fixture of await readRequestFixtures(fixturesDir, ctx.op.operationId)) {
    const request: CaseRequest = { ...params(ctx, ctx.opSeed, false, true), ...pickLocations(fixture.request) };
    if (fixture.request.body !== undefined && ctx.plan) request.body = bodyOf(ctx.plan, fixture.request.body);
    ctx.add({ kind: 'fixture', name: `fixture "${fixture.name}"`, expectation: 'accept', auth: 'valid', request });
  }
}

/** Generated valid requests (one even when none are asked for and no example gave a base); returns those that were valid. */
function generatedCases(ctx: OperationContext, hasBase: boolean): CaseRequest[] {
  const { op, plan, options } = ctx;
  const generated: CaseRequest[] = [];
  for (let i = 0; i < Math.max(options.cases, hasBase ? 0 : 1); i++) {
    const seed = ctx.opSeed + i * 7919;
    let request = params(ctx, seed, i % 2 === 1, false);
    if (plan) {
      const value = ctx.generate(plan.media.schema, seed, '');
      if (!ctx.schemas.isValid(plan.media.schema, value)) {
        ctx.warnings.push(`${op.operationId}: generated body #${i + 1} does not match its schema; not sent`);
        continue;
      }
      request = withBody(ctx, request, value);
    }
    generated.push(request);
    if (i < options.cases && ctx.wanted.has('generated')) ctx.add({ kind: 'generated', name: `generated #${i + 1}`, expectation: 'accept', auth: 'valid', request, seed });
  }
  return generated;
}

function edgeCases(ctx: OperationContext, profiles: readonly EdgeProfile[]): void {
  const { op, plan } = ctx;
  profiles.forEach((profile, k) => {
    const seed = ctx.opSeed + (k + 1) * 104_729;
    let request = edgeParams(ctx.parameters, profile, seed, ctx.generate);
    if (plan) {
      const value = ctx.generate(plan.media.schema, seed, '', profile);
      if (!ctx.schemas.isValid(plan.media.schema, value)) {
        ctx.warnings.push(`${op.operationId}: edge profile ${profile} built a body that does not match its schema; not sent`);
        return;
      }
      request = withBody(ctx, request, value);
    }
    ctx.add({ kind: 'edge', name: `edge "${profile}"`, expectation: 'accept', auth: 'valid', request, seed, profile });
  });
}

function rejectionCases(ctx: OperationContext, base: CaseRequest, references: TSchema[]): void {
  const { op, wanted } = ctx;
  if (needsCredential(op) && wanted.has('security')) {
    ctx.add({ kind: 'security', name: 'no credential', expectation: 'reject', auth: 'none', request: base });
    ctx.add({ kind: 'security', name: 'invalid credential', expectation: 'reject', auth: 'invalid', request: base });
  }
  if (!wanted.has('negative')) return;
  for (const { mutation, request } of negativeRequests(op, ctx.parameters, ctx.plan, base, references, ctx.schemas)) {
    ctx.add({ kind: 'negative', name: `${mutation.kind} at ${mutation.location} ${mutation.pointer || '(root)'}`, expectation: 'reject', auth: 'valid', request, mutation });
  }
}

/** One operation's cases, in report order: examples, fixtures, generated, edge, security, negative. */
async function operationCases(op: Operation, shared: Omit<OperationContext, 'op' | 'opSeed' | 'plan' | 'parameters' | 'add'>, resolve: Resolve, references: TSchema[]): Promise<ContractCase[]> {
  const list: ContractCase[] = [];
  const parameterMedia = parameterMediaOf(op);
  const hasParameterMedia = Object.keys(parameterMedia).length > 0;
  let counter = 0;
  const plan = bodyPlan(op, resolve);
  const ctx: OperationContext = {
    ...shared,
    op,
    opSeed: hashSeed(op.operationId, shared.options.seed),
    ...(plan ? { plan } : {}),
    parameters: sendableParameters(op),
    add: (c) => list.push({ id: `${op.operationId}/${c.kind}/${counter++}`, operation: op, ...c, ...(hasParameterMedia ? { parameterMedia } : {}) }),
  };
  let base = exampleCases(ctx);
  if (shared.options.fixturesDir && shared.wanted.has('fixture')) await fixtureCases(ctx, shared.options.fixturesDir);
  const generated = generatedCases(ctx, base !== undefined);
  base ??= generated[0] ?? withBody(ctx, params(ctx, ctx.opSeed, false, false), undefined);
  if (shared.wanted.has('edge')) edgeCases(ctx, shared.options.edge ?? []);
  rejectionCases(ctx, base, references);
  return list;
}

/** Builds every case for every operation: examples, fixtures, generated valid requests, negatives and security cases. */
export async function buildCases(api: Api, options: CaseOptions, schemas: SchemaValidation): Promise<{ cases: ContractCase[][]; warnings: string[] }> {
  const warnings: string[] = [];
  const byId = new Map(api.references.map((r) => [String(r.$id), r]));
  const resolve: Resolve = (schema) => (schema !== null && typeof schema === 'object' ? followRef(schema as Record<string, unknown>, byId) : {});
  const shared = {
    options,
    schemas,
    generate: cachedGenerate(api.references, options.now),
    wanted: new Set<string>(options.kinds ?? ['example', 'fixture', 'generated', 'edge', 'negative', 'security']),
    warnings,
  };
  const all: ContractCase[][] = [];
  for (const op of api.operations) all.push(await operationCases(op, shared, resolve, api.references));
  return { cases: all, warnings };
}


/**
 * The parameters of an edge case. Optional ones are sent unless the profile leaves them out (min). A header
 * carries Latin-1 only, so unicode-bearing profiles keep realistic header values; an empty path segment would
 * change the route, so an empty path value gives way to a realistic one.
 */
function edgeParams(parameters: Parameter[], profile: EdgeProfile, seed: number, generate: GenerateFor): CaseRequest {
  const request = emptyRequest();
  parameters.forEach((p, index) => {
    if (!p.required && profile === 'min') return;
    const plain = p.in === 'header' && (profile === 'unicode' || profile === 'random');
    let value = generate(p.schema, seed + index + 1, p.name, plain ? undefined : profile, true);
    if (p.in === 'path' && (value === '' || value === null)) value = generate(p.schema, seed + index + 1, p.name);
    paramBucket(request, p.in)[p.name] = value;
  });
  return request;
}

function pickLocations(request: Partial<Omit<CaseRequest, 'body'>>): Partial<CaseRequest> {
  const out: Partial<CaseRequest> = {};
  for (const key of ['path', 'query', 'headers', 'cookies'] as const) {
    const v = request[key];
    if (v !== null && typeof v === 'object') out[key] = v;
  }
  return out;
}

// What a lenient server makes of a text value: Value.Convert to the schema's type, arrays from one item.
function readText(schema: TSchema, text: string, references: TSchema[], schemas: SchemaValidation): unknown {
  const raw = schemas.resolve(schema).type === 'array' ? [text] : text;
  try {
    return Value.Convert(schema, references, raw);
  } catch {
    return raw;
  }
}

function textReading(rootSchema: TSchema, references: TSchema[], schemas: SchemaValidation): TextReading {
  const properties = topLevelProperties(rootSchema, schemas.resolve);
  return {
    rootSchema,
    propertySchema: (name) => properties.get(name) as TSchema | undefined,
    read: (schema, text) => readText(schema, text, references, schemas),
    isValid: (body) => schemas.isValid(rootSchema, body),
  };
}

function negativeRequests(
  op: Operation,
  parameters: Parameter[],
  plan: BodyPlan | undefined,
  base: CaseRequest,
  references: TSchema[],
  schemas: SchemaValidation,
): { request: CaseRequest; mutation: Mutation }[] {
  const out: { request: CaseRequest; mutation: Mutation }[] = [];
  const baseBody = base.body && 'value' in base.body ? base.body.value : undefined;
  if (plan && base.body) {
    const { media, kind, fields } = plan;
    const contentType = base.body.contentType;
    const reading = textReading(media.schema, references, schemas);
    for (const m of bodyMutations(media.schema, baseBody, references, (v) => schemas.isValid(media.schema, v))) {
      if (!bodyMutationFits(kind, m, fields ?? {}, reading)) continue;
      out.push({ request: { ...base, body: { contentType, value: m.body, ...(fields ? { fields } : {}) } }, mutation: { kind: m.kind, location: 'body', pointer: m.pointer } });
    }
    // Sent as text/plain, a JSON or form body must be refused, unless the operation also takes text.
    const declared = (op.requestBody?.content ?? []).map((c) => c.contentType);
    if ((kind === 'json' || kind === 'form') && !declared.some((d) => acceptsMediaType(d, 'text/plain'))) {
      const text = kind === 'json' ? (JSON.stringify(baseBody) ?? '') : serialiseBody(base.body).bytes.toString('utf8');
      const wrongType: CaseBody = { contentType: 'text/plain', raw: text };
      out.push({ request: { ...base, body: wrongType }, mutation: { kind: 'wrong-content-type', location: 'body', pointer: '' } });
    }
    if (kind === 'json') {
      const text = JSON.stringify(baseBody) ?? '{}';
      out.push({ request: { ...base, body: { contentType, raw: text.slice(0, Math.max(1, Math.floor(text.length / 2))) + '{"' } }, mutation: { kind: 'malformed-json', location: 'body', pointer: '' } });
    }
    if (op.requestBody?.required) {
      const { body: _omit, ...rest } = base;
      out.push({ request: rest, mutation: { kind: 'missing-body', location: 'body', pointer: '' } });
    }
  }
  for (const p of parameters) {
    const bucket = (r: CaseRequest) => paramBucket(r, p.in);
    const clone = (): CaseRequest => ({ ...base, path: { ...base.path }, query: { ...base.query }, headers: { ...base.headers }, cookies: { ...base.cookies } });
    if (p.required && p.in !== 'path') {
      const r = clone();
      delete bucket(r)[p.name];
      out.push({ request: r, mutation: { kind: 'missing-parameter', location: p.in, pointer: p.name } });
    }
    const broken = brokenParameterValue(p.schema);
    // A value the schema still accepts once read from text (a format the validator does not check, say) breaks nothing.
    if (broken && !schemas.isValid(p.schema, readText(p.schema, broken.value, references, schemas))) {
      const r = clone();
      bucket(r)[p.name] = broken.value;
      out.push({ request: r, mutation: { kind: broken.kind, location: p.in, pointer: p.name } });
    }
  }
  return out;
}

// Parameters travel as text, so only values no server could read as the declared type count as wrong.
function brokenParameterValue(schema: TSchema): { kind: Mutation['kind']; value: string } | undefined {
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : [];
  if (types.includes('string') || types.length === 0) {
    if (Array.isArray(schema.enum) && !schema.enum.includes('iwkit-not-in-enum')) return { kind: 'not-in-enum', value: 'iwkit-not-in-enum' };
    if (typeof schema.format === 'string' && !['password', 'binary'].includes(schema.format)) return { kind: 'bad-format', value: `iwkit-not-a-${schema.format}` };
    return undefined;
  }
  if (types.some((t) => t === 'integer' || t === 'number')) return { kind: 'wrong-type', value: 'iwkit-not-a-number' };
  if (types.includes('boolean')) return { kind: 'wrong-type', value: 'iwkit-not-a-boolean' };
  return undefined;
}
