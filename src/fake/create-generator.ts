import type { LocaleDefinition } from '@faker-js/faker';
import { createFaker } from './create-faker.js';
import { Type, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { checkOptions, optionError } from '../options/check-options.js';
import { anyOption, integerOption, oneOf } from '../options/option-schemas.js';
import { registerFormats } from '../openapi/formats.js';
import { RetryGeneration, createChecker, isSchemaObject, isUnsatisfiable, type CompileContext, type SchemaObject } from './compile-context.js';
import { compileNode } from './compile-node.js';
import type { GenerateState, NodeGenerator } from './generate-state.js';
import { edgeProfiles, type EdgeProfile } from './edge-profiles.js';
import { edgeStrategy } from './edge-strategy.js';
import { realisticStrategy, type GenerationStrategy } from './generation-strategy.js';
import { createRealisticValues } from './realistic-values.js';
import { SeededRandomizer } from './seeded-randomizer.js';

/** Per-call input: the seed picks the value, `now` (epoch ms) anchors its timestamps. */
export interface GenerateContext {
  seed: number;
  /** Epoch ms: timestamps are generated near this anchor. */
  now: number;
}

/**
 * A compiled generator: same schema, seed and now give a deep-equal value. `problem` is set when no
 * schema-valid value was found at compile time: calls then still return a value (a valid spec example or
 * default when there is one, else the closest candidate), and the caller decides what to do with it.
 */
export type ValueGenerator = ((ctx: GenerateContext) => unknown) & { problem?: string };

/** Options for createGenerator. */
export interface GeneratorOptions {
  /** The name of the value at the root (e.g. a parameter name), used for name hints. */
  name?: string;
  /** Recursion depth (through recursive `$ref`s) at which optional properties, array items and nullable values wind down (default 3). */
  maxDepth?: number;
  /** Decisions the schema leaves open; the default is realisticStrategy(). Edge profiles plug in here. */
  strategy?: GenerationStrategy;
  /** Shorthand for `strategy: edgeStrategy(profile)`: values at an edge of the schema (min, max, unicode, dates, nulls, random). */
  profile?: EdgeProfile;
  /**
   * Check values with the compiled TypeBox schema and retry on failure: `true` on every call,
   * `'auto'` (default) only when the schema uses keywords the generator approximates (allOf, oneOf
   * without checks, patternProperties, ...), `false` never. A value found valid at compile time is
   * the fallback either way. Schemas TypeBox cannot compile are not checked.
   */
  verify?: boolean | 'auto';
  /** Faker locale chain (default: English with Faker's base data). */
  locale?: LocaleDefinition[];
}

/** The options of createGenerator as one schema. */
const generatorOptionsSchema = Type.Object({
  name: Type.Optional(Type.String()),
  maxDepth: Type.Optional(integerOption(0, Number.MAX_SAFE_INTEGER)),
  strategy: Type.Optional(anyOption()),
  profile: Type.Optional(oneOf(edgeProfiles)),
  verify: Type.Optional(Type.Union([Type.Boolean(), Type.Literal('auto')], { expected: 'true, false or "auto"' })),
  locale: Type.Optional(anyOption()),
});

const ATTEMPTS = 6;
// Compile-time probes use a fixed anchor so createGenerator itself is deterministic.
const PROBE_NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

function describeFailure(schema: TSchema, references: TSchema[], value: unknown): string {
  try {
    const first = TypeCompiler.Compile(schema, references).Errors(value).First();
    return first ? `generated value fails at ${first.path || '/'}: ${first.message}` : 'generated value fails the schema';
  } catch {
    return 'generated value fails the schema';
  }
}

/** The shared state of every call and the compile context over it; `reset` starts a call from the same state. */
function compileSetup(references: TSchema[], options: GeneratorOptions, strategy: GenerationStrategy) {
  const maxDepth = options.maxDepth ?? 3;
  const budget = strategy.budget ?? Infinity;
  const randomizer = new SeededRandomizer();
  const faker = createFaker(randomizer, options.locale);
  const refMap = new Map<string, SchemaObject>();
  for (const ref of references) {
    if (isSchemaObject(ref) && typeof ref.$id === 'string') refMap.set(ref.$id, ref);
  }
  const state: GenerateState = { rng: randomizer, faker, now: PROBE_NOW, depth: 0, softDepth: maxDepth, person: undefined, company: undefined, companyKey: undefined, budget };
  // Every call starts from the same state: only the seed and the clock differ.
  const reset = (seed: number | number[], now: number): GenerateState => {
    randomizer.seed(seed);
    state.now = now;
    state.depth = 0;
    state.person = undefined;
    state.company = undefined;
    state.companyKey = undefined;
    state.budget = budget;
    return state;
  };
  const ctx: CompileContext = {
    faker,
    randomizer,
    values: createRealisticValues(faker),
    strategy,
    references: refMap,
    referenceList: references,
    refGenerators: new Map(),
    hardDepth: maxDepth + 12,
    uncertain: [],
    usesFakerDates: false,
    compile: (child, name, pointer) => compileNode(child, ctx, name, pointer),
    check: createChecker(references),
    probe: (seed) => reset(seed, PROBE_NOW),
  };
  if (strategy.budget !== undefined) ctx.realistic = realisticTwin(ctx);
  return { ctx, reset };
}

/** The same context with the realistic strategy, built on first use: only arrays whose items must differ need it. */
function realisticTwin(ctx: CompileContext): () => CompileContext {
  let twin: CompileContext | undefined;
  return () => {
    if (!twin) {
      const made: CompileContext = { ...ctx, strategy: realisticStrategy(), refGenerators: new Map(), compile: (child, name, pointer) => compileNode(child, made, name, pointer) };
      delete made.realistic;
      twin = made;
    }
    return twin;
  };
}

/** The root generator; a schema no value satisfies never fails here: calls fall back to an example, a default, or null. */
function compileRoot(schema: TSchema, ctx: CompileContext, name: string): { root: NodeGenerator; problem: string; compiled: boolean } {
  try {
    const root = compileNode(schema, ctx, name, '#');
    return { root, problem: root.impossible ?? '', compiled: true };
  } catch (error) {
    if (!isUnsatisfiable(error)) throw error;
    const problem = (error as Error).message;
    const root: NodeGenerator = () => {
      throw new RetryGeneration(problem);
    };
    return { root, problem, compiled: false };
  }
}

/** A value known to be valid, found now (as JSON text): what a call returns if every attempt fails. */
function findKnownGood(run: (seed: number, now: number) => unknown, rootCheck: ((value: unknown) => boolean) | undefined, describe: (value: unknown) => string): { knownGood?: string; problem: string } {
  let problem = '';
  for (let seed = 1; seed <= 24; seed++) {
    try {
      const value = run(seed, PROBE_NOW);
      if (!rootCheck || rootCheck(value)) return { knownGood: JSON.stringify(value), problem };
      problem ||= describe(value);
    } catch (error) {
      if (!(error instanceof RetryGeneration)) throw error;
      problem ||= error.message;
    }
  }
  return { problem };
}

/** Compiles `schema` once into a generator; `references` resolves Type.Ref / $ref by $id. */
export function createGenerator(schema: TSchema, references: TSchema[], options: GeneratorOptions = {}): ValueGenerator {
  registerFormats();
  checkOptions(generatorOptionsSchema, options);
  if (options.profile !== undefined && options.strategy !== undefined) throw optionError('profile', 'give either a profile or a strategy, not both');
  const strategy = options.strategy ?? (options.profile !== undefined ? edgeStrategy(options.profile) : realisticStrategy());
  const { ctx, reset } = compileSetup(references, options, strategy);
  const { root, problem: compileProblem, compiled } = compileRoot(schema, ctx, options.name ?? '');
  const rootCheck = ctx.check(schema);
  const verify = options.verify ?? 'auto';
  const run = (seed: number | number[], now: number): unknown => {
    const state = reset(seed, now);
    if (ctx.usesFakerDates) ctx.faker.setDefaultRefDate(now);
    return root(state);
  };
  const found = compiled ? findKnownGood(run, rootCheck, (value) => describeFailure(schema, references, value)) : { problem: '' };
  const problem = compileProblem || found.problem;
  const fallback = found.knownGood ?? specConstant(schema, rootCheck);
  const callCheck = verify === true || (verify === 'auto' && ctx.uncertain.length > 0) || fallback === undefined ? rootCheck : undefined;

  const generate: ValueGenerator = (call) => {
    const seed = call?.seed;
    const now = call?.now;
    if (typeof seed !== 'number' || !Number.isFinite(seed)) throw optionError('seed', 'expected a finite number');
    if (typeof now !== 'number' || !Number.isFinite(now)) throw optionError('now', 'expected epoch milliseconds');
    let closest: unknown;
    let produced = false;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        const value = run(attempt === 0 ? seed : [seed, attempt], now);
        if (!callCheck || callCheck(value)) return value;
        if (!produced) [closest, produced] = [value, true];
      } catch (error) {
        if (!(error instanceof RetryGeneration)) throw error;
      }
    }
    if (fallback !== undefined) return JSON.parse(fallback) as unknown;
    return produced ? closest : null;
  };
  if (fallback === undefined) generate.problem = problem || 'no schema-valid value was found';
  return generate;
}

/** The first spec example, `examples` entry or default at the schema's root that the schema accepts (as JSON text). */
function specConstant(schema: TSchema, check: ((value: unknown) => boolean) | undefined): string | undefined {
  const record = schema as Record<string, unknown>;
  const candidates = [record.example, ...(Array.isArray(record.examples) ? record.examples : []), record.default];
  for (const candidate of candidates) {
    if (candidate !== undefined && (!check || check(candidate))) return JSON.stringify(candidate);
  }
  return undefined;
}
