import { DISCRIMINATOR, type DiscriminatorInfo } from '../openapi/discriminator.js';
import { impliedType } from '../openapi/implied-type.js';
import { compileArray } from './compile-array.js';
import {
  RetryGeneration,
  cloneJson,
  constraintSiblings,
  isSchemaObject,
  isUnsatisfiable,
  misconfigured,
  noteApproximations,
  unsupported,
  type CompileContext,
  type SchemaObject,
} from './compile-context.js';
import { compileNumber } from './compile-number.js';
import { compileObject } from './compile-object.js';
import { compileString } from './compile-string.js';
import type { GenerateState, NodeGenerator } from './generate-state.js';
import { mergeAllOf, originalOption } from './merge-all-of.js';
import { stringHintForName, trueProbabilityForName } from './name-hints.js';
import { resolveXFaker } from './x-faker.js';

// The dispatcher: one compile step per schema kind, each returning a closure. The schema is walked
// once here; a call only runs closures.

const inferType = (schema: SchemaObject): string | undefined => impliedType(schema, 'generate');

function isNullSchema(schema: unknown): boolean {
  if (!isSchemaObject(schema)) return false;
  return schema.type === 'null' || (Object.hasOwn(schema, 'const') && schema.const === null) ||
    (Array.isArray(schema.enum) && schema.enum.length === 1 && schema.enum[0] === null);
}

function containsRef(schema: unknown, depth = 0): boolean {
  if (depth > 64 || typeof schema !== 'object' || schema === null) return false;
  if (Array.isArray(schema)) return schema.some((s) => containsRef(s, depth + 1));
  if (typeof (schema as SchemaObject).$ref === 'string') return true;
  return Object.values(schema).some((v) => containsRef(v, depth + 1));
}

/** A minimal matcher for plain JSON Schema `not` targets (type/const/enum) when no TypeBox check exists. */
function plainMatcher(schema: unknown): ((value: unknown) => boolean) | undefined {
  if (!isSchemaObject(schema)) return undefined;
  const keys = Object.keys(schema).filter((k) => !['title', 'description'].includes(k));
  if (keys.some((k) => !['type', 'const', 'enum'].includes(k))) return undefined;
  const types = schema.type === undefined ? undefined : Array.isArray(schema.type) ? schema.type : [schema.type];
  const enumKeys = Array.isArray(schema.enum) ? new Set(schema.enum.map((v) => JSON.stringify(v))) : undefined;
  const constKey = Object.hasOwn(schema, 'const') ? JSON.stringify(schema.const) : undefined;
  return (value) => {
    if (types && !types.some((t) => jsonTypeOf(value, t))) return false;
    if (enumKeys && !enumKeys.has(JSON.stringify(value))) return false;
    if (constKey !== undefined && constKey !== JSON.stringify(value)) return false;
    return true;
  };
}

function jsonTypeOf(value: unknown, type: unknown): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    default:
      return typeof value === type;
  }
}

/** Compiles the alternatives of anyOf (`exclusive` false) or oneOf (`exclusive` true). */
/** Discriminator values per compiled alternative (empty when the alternative has none). */
function discriminatorTags(schema: SchemaObject, key: 'anyOf' | 'oneOf', indexes: number[]): { property: string; tags: string[][] } | undefined {
  const info = (schema as Record<symbol, unknown>)[DISCRIMINATOR] as DiscriminatorInfo | undefined;
  if (!info || typeof info !== 'object' || info.keyword !== key) return undefined;
  const tags = indexes.map((index) => Object.keys(info.mapping).filter((tag) => info.mapping[tag] === index));
  return tags.some((list) => list.length > 0) ? { property: info.propertyName, tags } : undefined;
}

/** Compiles the alternatives of anyOf (`exclusive` false) or oneOf (`exclusive` true). */
function compileAlternatives(
  schema: SchemaObject,
  key: 'anyOf' | 'oneOf',
  options: unknown[],
  ctx: CompileContext,
  name: string,
  pointer: string,
): NodeGenerator {
  if (options.length === 0) throw unsupported(`${pointer}/${key}`, `${key} has no alternatives`);
  const siblings = constraintSiblings(schema, key);
  const gens: NodeGenerator[] = [];
  const kept: unknown[] = [];
  const indexes: number[] = [];
  let firstError: unknown;
  options.forEach((option, i) => {
    const branch = siblings ? { allOf: [siblings, option] } : option;
    try {
      gens.push(ctx.compile(branch, name, `${pointer}/${key}/${i}`));
      kept.push(originalOption.get(option as object) ?? option);
      indexes.push(i);
    } catch (error) {
      // An impossible alternative leaves the others; only when none is possible is it an error.
      if (!isUnsatisfiable(error)) throw error;
      firstError ??= error;
    }
  });
  if (gens.length === 0) throw firstError;
  // Alternatives whose values never came out valid make way for the others.
  const possible = gens.map((gen, i) => (gen.impossible ? -1 : i)).filter((i) => i >= 0);
  if (possible.length > 0 && possible.length < gens.length) {
    for (const list of [gens, kept, indexes] as unknown[][]) {
      const keep = possible.map((i) => list[i]);
      list.length = 0;
      list.push(...keep);
    }
  }
  const allImpossible = possible.length === 0 ? gens[0].impossible : undefined;
  const nullIndex = kept.findIndex(isNullSchema);
  const others = gens.map((_, i) => i).filter((i) => i !== nullIndex);
  const terminal = Math.max(nullIndex, kept.findIndex((o) => !containsRef(o)));
  const strategy = ctx.strategy;
  // A union of constants is an enum (schema-to-typebox renders `enum` so): edge strategies pick its extremes.
  const constants = others.every((i) => isSchemaObject(kept[i]) && Object.hasOwn(kept[i] as SchemaObject, 'const'));
  const pickConstant = others.length > 1 && constants ? strategy.enumChoice?.(others.map((i) => (kept[i] as SchemaObject).const)) : undefined;
  const choose = (s: GenerateState): number => {
    if (nullIndex >= 0 && (s.depth >= s.softDepth || strategy.pickNull(s))) return nullIndex;
    if (s.depth >= s.softDepth && terminal >= 0) return terminal;
    if (others.length === 0) return nullIndex;
    if (pickConstant) return others[pickConstant(s)];
    return others.length === 1 ? others[0] : others[s.rng.int(0, others.length - 1)];
  };
  // Compiled on first use: most unions (nullable values) never need them.
  const compiledChecks = new Map<number, ((value: unknown) => boolean) | undefined>();
  const checkOf = (i: number): ((value: unknown) => boolean) | undefined => {
    if (!compiledChecks.has(i)) compiledChecks.set(i, ctx.check(kept[i]) ?? plainMatcher(kept[i]));
    return compiledChecks.get(i);
  };
  // The discriminator property is set to a value that maps to the alternative generated.
  const tagging = discriminatorTags(schema, key, indexes);
  const tag = (value: unknown, i: number): unknown => {
    if (!tagging || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const tags = tagging.tags[i];
    const current = (value as Record<string, unknown>)[tagging.property];
    if (tags.length === 0 || tags.includes(current as string)) return value;
    for (const candidate of tags) {
      const tagged = { ...(value as Record<string, unknown>), [tagging.property]: candidate };
      const check = checkOf(i);
      if (!check || check(tagged)) return tagged;
    }
    return value;
  };
  if (key === 'anyOf') {
    const any: NodeGenerator = (s) => {
      const i = choose(s);
      return tag(gens[i](s), i);
    };
    if (allImpossible) any.impossible = allImpossible;
    return any;
  }

  // Alternatives may overlap in ways a pairwise check cannot undo: the root checks every value.
  if (gens.length > 1) ctx.uncertain.push(`${pointer}/oneOf`);
  const n = gens.length;
  const one: NodeGenerator = (s) => {
    const start = choose(s);
    let last: unknown;
    let produced = false;
    for (let attempt = 0; attempt < n * 3; attempt++) {
      const i = (start + attempt) % n;
      let value: unknown;
      try {
        value = tag(gens[i](s), i);
      } catch (error) {
        if (error instanceof RetryGeneration) continue;
        throw error;
      }
      let clash = false;
      for (let j = 0; j < n && !clash; j++) clash = j !== i && checkOf(j)?.(value) === true;
      if (!clash) return value;
      last ??= value;
      produced = true;
    }
    // Every alternative overlapped another: the root's check (and its fallback) decides.
    if (produced) return last;
    throw new RetryGeneration(`${pointer}: every oneOf alternative matched another`);
  };
  one.impossible = allImpossible ?? (n > 1 ? neverExclusive(one, ctx, checkOf, n) : undefined);
  return one;
}

/** Probes a oneOf at compile time: when no probed value matches exactly one alternative, says so. */
function neverExclusive(gen: NodeGenerator, ctx: CompileContext, checkOf: (i: number) => ((value: unknown) => boolean) | undefined, n: number): string | undefined {
  for (let j = 0; j < n; j++) if (!checkOf(j)) return undefined;
  for (let seed = 1; seed <= 8; seed++) {
    let value: unknown;
    try {
      value = gen(ctx.probe(seed));
    } catch {
      continue;
    }
    let matches = 0;
    for (let j = 0; j < n; j++) if (checkOf(j)!(value)) matches++;
    if (matches === 1) return undefined;
  }
  return 'no probed value matches exactly one oneOf alternative';
}

/**
 * if/then/else: values are built for the `then` side (base ∧ if ∧ then) or the `else` side (base ∧ else), and a
 * side's value is kept when `if` agrees with the side it was built for.
 */
function compileConditional(schema: SchemaObject, ctx: CompileContext, name: string, pointer: string): NodeGenerator {
  const { if: condition, then: thenSchema, else: elseSchema, ...base } = schema;
  const tryCompile = (branch: unknown, at: string): NodeGenerator | undefined => {
    try {
      return ctx.compile(branch, name, at);
    } catch (error) {
      if (isUnsatisfiable(error)) return undefined;
      throw error;
    }
  };
  ctx.uncertain.push(`${pointer}/if`);
  const whenTrue = tryCompile({ allOf: [base, condition, thenSchema ?? {}] }, `${pointer}/then`);
  const whenFalse = tryCompile({ allOf: [base, elseSchema ?? {}] }, `${pointer}/else`);
  if (!whenTrue && !whenFalse) throw unsupported(pointer, 'neither the then nor the else side of if admits a value');
  const holds = ctx.check(condition) ?? plainMatcher(condition);
  const sides: [NodeGenerator | undefined, boolean][] = [[whenTrue, true], [whenFalse, false]];
  return (s) => {
    const order = s.rng.chance(0.5) ? sides : [sides[1], sides[0]];
    let last: unknown;
    let produced = false;
    for (const [gen, expected] of order) {
      if (!gen) continue;
      let value: unknown;
      try {
        value = gen(s);
      } catch (error) {
        if (error instanceof RetryGeneration) continue;
        throw error;
      }
      if (!holds || holds(value) === expected) return value;
      last ??= value;
      produced = true;
    }
    if (produced) return last;
    throw new RetryGeneration(`${pointer}: no side of if/then/else produced a value`);
  };
}

function anyValue(ctx: CompileContext, name: string): NodeGenerator {
  const hint = stringHintForName(name, ctx.values) ?? ctx.values.words;
  const makers: NodeGenerator[] = [hint, (s) => s.rng.int(0, 1000), (s) => s.rng.chance(0.5), () => null];
  return (s) => (s.rng.chance(0.7) ? hint(s) : makers[s.rng.int(1, makers.length - 1)](s));
}

function compileCore(schema: SchemaObject, ctx: CompileContext, name: string, pointer: string, xFaker: (() => unknown) | undefined): NodeGenerator {
  if (Object.hasOwn(schema, 'const')) {
    const value = schema.const;
    return () => cloneJson(value);
  }
  if (Array.isArray(schema.enum)) {
    const list = schema.enum;
    if (list.length === 0) throw unsupported(`${pointer}/enum`, 'enum has no values');
    const choose = ctx.strategy.enumChoice?.(list);
    if (choose) return (s) => cloneJson(list[choose(s)]);
    return (s) => cloneJson(list[s.rng.int(0, list.length - 1)]);
  }
  if (Array.isArray(schema.allOf)) {
    ctx.uncertain.push(`${pointer}/allOf`);
    return ctx.compile(mergeAllOf(schema, (b) => resolveRef(b, ctx)), name, pointer);
  }
  if (schema.nullable === true && schema.type !== 'null') {
    const { nullable: _nullable, ...rest } = schema;
    return compileAlternatives({}, 'anyOf', [rest, { type: 'null' }], ctx, name, pointer);
  }
  if (Array.isArray(schema.oneOf)) return compileAlternatives(schema, 'oneOf', schema.oneOf, ctx, name, pointer);
  if (Array.isArray(schema.anyOf)) return compileAlternatives(schema, 'anyOf', schema.anyOf, ctx, name, pointer);

  const type = schema.type ?? inferType(schema);
  if (Array.isArray(type)) {
    if (type.length === 1) return compileCore({ ...schema, type: type[0] }, ctx, name, pointer, xFaker);
    const options = type.map((t) => (t === 'null' ? { type: 'null' } : { ...schema, type: t }));
    return compileAlternatives({}, 'anyOf', options, ctx, name, pointer);
  }
  switch (type) {
    case 'string':
      return compileString(schema, { ctx, name, pointer, ...(xFaker ? { xFaker } : {}) });
    case 'integer':
    case 'number':
      return compileNumber(schema, { ctx, name, pointer });
    case 'boolean': {
      const p = trueProbabilityForName(name);
      return (s) => s.rng.chance(p);
    }
    case 'null':
      return () => null;
    case 'object':
      return compileObject(schema, { ctx, name, pointer });
    case 'array':
      return compileArray(schema, { ctx, name, pointer });
    case undefined:
      return anyValue(ctx, name);
    default:
      throw unsupported(`${pointer}/type`, `cannot generate values of type ${JSON.stringify(type)}`);
  }
}

/** Follows a `$ref` to its schema (for merging allOf branches); other schemas pass through. */
function resolveRef(schema: unknown, ctx: CompileContext, hops = 0): unknown {
  if (!isSchemaObject(schema) || typeof schema.$ref !== 'string' || hops > 16) return schema;
  const target = ctx.references.get(referenceId(schema.$ref, ctx) ?? '');
  if (target === undefined) return schema;
  const resolved = resolveRef(target, ctx, hops + 1);
  // Keywords next to the `$ref` (2020-12) still apply.
  const { $ref: _ref, ...rest } = schema;
  return constraintSiblings(schema, '$ref') === undefined ? resolved : { allOf: [resolved, rest] };
}

function referenceId(ref: string, ctx: CompileContext): string | undefined {
  if (ctx.references.has(ref)) return ref;
  const last = ref.slice(ref.lastIndexOf('/') + 1);
  return ctx.references.has(last) ? last : undefined;
}

/** Ids whose schema can reach itself through `$ref`s; only those count towards the depth limit. */
function isRecursive(id: string, ctx: CompileContext): boolean {
  const seen = new Set<string>();
  const stack: unknown[] = [ctx.references.get(id)];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    const ref = (node as SchemaObject).$ref;
    if (typeof ref === 'string') {
      const target = referenceId(ref, ctx);
      if (target === id) return true;
      if (target !== undefined && !seen.has(target)) {
        seen.add(target);
        stack.push(ctx.references.get(target));
      }
    }
    stack.push(...Object.values(node));
  }
  return false;
}

function compileRef(ref: string, ctx: CompileContext, name: string, pointer: string): NodeGenerator {
  const id = referenceId(ref, ctx);
  if (id === undefined) throw misconfigured(`${pointer}/$ref`, `$ref ${JSON.stringify(ref)} names no schema in references`);
  const key = `${id}\u0000${name}`;
  let target = ctx.refGenerators.get(key);
  if (target === undefined) {
    let compiled: NodeGenerator | undefined;
    const placeholder: NodeGenerator = (s) => compiled!(s);
    ctx.refGenerators.set(key, placeholder);
    compiled = ctx.compile(ctx.references.get(id), name, `${id}#`);
    ctx.refGenerators.set(key, compiled);
    target = compiled;
  }
  const t = target;
  if (!isRecursive(id, ctx)) return t;
  const hard = ctx.hardDepth;
  const wrapped: NodeGenerator = (s) => {
    // The root resets depth before every attempt, so an exception needs no unwinding here.
    if (++s.depth > hard) throw new RetryGeneration(`${pointer}: recursion through ${id} never ends`);
    const value = t(s);
    s.depth--;
    return value;
  };
  if (t.impossible) wrapped.impossible = t.impossible;
  return wrapped;
}

/** Compiles any schema (TypeBox or plain JSON Schema) into a generator closure; `name` is the property name for hints. */
export function compileNode(schema: unknown, ctx: CompileContext, name: string, pointer: string): NodeGenerator {
  if (schema === true || schema === undefined) return anyValue(ctx, name);
  if (schema === false) throw unsupported(pointer, 'the schema `false` admits no value');
  if (!isSchemaObject(schema)) throw unsupported(pointer, 'a schema must be an object or a boolean');
  if (typeof schema.$ref === 'string') {
    // A 2020-12 `$ref` next to other keywords (ajv-backed nodes) means both.
    const siblings = constraintSiblings(schema, '$ref');
    if (siblings === undefined) return compileRef(schema.$ref, ctx, name, pointer);
    const { $ref, allOf: own, ...rest } = schema;
    return compileNode({ allOf: [{ $ref }, rest, ...(Array.isArray(own) ? own : [])] }, ctx, name, pointer);
  }
  if (typeof schema.$id === 'string' && !ctx.references.has(schema.$id)) ctx.references.set(schema.$id, schema);

  noteApproximations(schema, ctx, pointer);
  const xFaker = resolveXFaker(schema['x-faker'], ctx, pointer);
  let base = schema;
  if (schema.not === true || (isSchemaObject(schema.not) && constraintSiblings(schema.not, '') === undefined)) {
    throw unsupported(`${pointer}/not`, '`not` of a schema every value matches admits no value');
  }
  if (schema.not !== undefined) {
    base = { ...schema };
    delete base.not;
  }
  const isString = (base.type ?? inferType(base)) === 'string' && !Array.isArray(base.enum) && !Object.hasOwn(base, 'const');
  const conditional = base.if !== undefined && (base.then !== undefined || base.else !== undefined);
  let gen = conditional
    ? compileConditional(base, ctx, name, pointer)
    : constraintSiblings(base, '') === undefined && schema.not !== undefined
      ? anyValue(ctx, name)
      : compileCore(base, ctx, name, pointer, xFaker);
  const impossible = gen.impossible;

  if (xFaker && !isString) {
    const inner = gen;
    const check = ctx.check(base) ?? plainMatcher({ type: base.type }) ?? (() => true);
    gen = (s) => {
      let value: unknown;
      try {
        value = xFaker();
      } catch {
        return inner(s);
      }
      if (value instanceof Date) value = value.toISOString();
      return check(value) ? value : inner(s);
    };
  }
  if (schema.not !== undefined) {
    const inner = gen;
    const matches = ctx.check(schema.not) ?? plainMatcher(schema.not);
    if (!matches) ctx.uncertain.push(`${pointer}/not`);
    else {
      gen = (s) => {
        for (let attempt = 0; attempt < 12; attempt++) {
          const value = inner(s);
          if (!matches(value)) return value;
        }
        throw new RetryGeneration(`${pointer}: every value matched \`not\``);
      };
    }
  }
  if (impossible && !gen.impossible) gen.impossible = impossible;
  return gen;
}
