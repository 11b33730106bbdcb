import { DISCRIMINATOR, type DiscriminatorInfo } from '../openapi/discriminator.js';
import { RetryGeneration, constraintSiblings, isSchemaObject, isUnsatisfiable, unsupported, type CompileContext, type SchemaObject } from './compile-context.js';
import type { GenerateState, NodeGenerator } from './generate-state.js';
import { originalOption } from './merge-all-of.js';
import { plainMatcher } from './plain-matcher.js';

// anyOf and oneOf: each alternative compiled once, one chosen per value; oneOf then makes sure the
// value matches no other alternative, and a discriminator property is set to the chosen one's tag.

type Check = (value: unknown) => boolean;

/** The alternatives that compiled: their generators, their schemas as written, and their index in the keyword's list. */
interface Branches {
  gens: NodeGenerator[];
  kept: unknown[];
  indexes: number[];
  /** Why no alternative's values ever came out valid, when none did. */
  allImpossible: string | undefined;
}

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

/** Discriminator values per compiled alternative (empty when the alternative has none). */
function discriminatorTags(schema: SchemaObject, key: 'anyOf' | 'oneOf', indexes: number[]): { property: string; tags: string[][] } | undefined {
  const info = (schema as Record<symbol, unknown>)[DISCRIMINATOR] as DiscriminatorInfo | undefined;
  if (!info || typeof info !== 'object' || info.keyword !== key) return undefined;
  const tags = indexes.map((index) => Object.keys(info.mapping).filter((tag) => info.mapping[tag] === index));
  return tags.some((list) => list.length > 0) ? { property: info.propertyName, tags } : undefined;
}

/** Compiles each alternative (with the keyword's sibling constraints); an impossible one leaves the others. */
function compileBranches(schema: SchemaObject, key: 'anyOf' | 'oneOf', options: unknown[], ctx: CompileContext, name: string, pointer: string): Branches {
  const siblings = constraintSiblings(schema, key);
  let branches: Branches = { gens: [], kept: [], indexes: [], allImpossible: undefined };
  let firstError: unknown;
  options.forEach((option, i) => {
    try {
      branches.gens.push(ctx.compile(siblings ? { allOf: [siblings, option] } : option, name, `${pointer}/${key}/${i}`));
      branches.kept.push(originalOption.get(option as object) ?? option);
      branches.indexes.push(i);
    } catch (error) {
      // Only when no alternative is possible is it an error.
      if (!isUnsatisfiable(error)) throw error;
      firstError ??= error;
    }
  });
  if (branches.gens.length === 0) throw firstError;
  // Alternatives whose values never came out valid make way for the others.
  const possible = branches.gens.map((gen, i) => (gen.impossible ? -1 : i)).filter((i) => i >= 0);
  if (possible.length === 0) branches.allImpossible = branches.gens[0].impossible;
  else if (possible.length < branches.gens.length) {
    const pick = <T>(list: T[]): T[] => possible.map((i) => list[i]);
    branches = { gens: pick(branches.gens), kept: pick(branches.kept), indexes: pick(branches.indexes), allImpossible: undefined };
  }
  return branches;
}

/** Picks an alternative per value: null past the soft depth or when the strategy asks, a ref-free one past it, else at random. */
function branchChooser({ kept }: Branches, ctx: CompileContext): (s: GenerateState) => number {
  const nullIndex = kept.findIndex(isNullSchema);
  const others = kept.map((_, i) => i).filter((i) => i !== nullIndex);
  const terminal = Math.max(nullIndex, kept.findIndex((o) => !containsRef(o)));
  const strategy = ctx.strategy;
  // A union of constants is an enum (schema-to-typebox renders `enum` so): edge strategies pick its extremes.
  const constants = others.every((i) => isSchemaObject(kept[i]) && Object.hasOwn(kept[i] as SchemaObject, 'const'));
  const pickConstant = others.length > 1 && constants ? strategy.enumChoice?.(others.map((i) => (kept[i] as SchemaObject).const)) : undefined;
  return (s) => {
    if (nullIndex >= 0 && (s.depth >= s.softDepth || strategy.pickNull(s))) return nullIndex;
    if (s.depth >= s.softDepth && terminal >= 0) return terminal;
    if (others.length === 0) return nullIndex;
    if (pickConstant) return others[pickConstant(s)];
    return others.length === 1 ? others[0] : others[s.rng.int(0, others.length - 1)];
  };
}

/** Each alternative's check, compiled on first use: most unions (nullable values) never need them. */
function lazyChecks({ kept }: Branches, ctx: CompileContext): (i: number) => Check | undefined {
  const compiled = new Map<number, Check | undefined>();
  return (i) => {
    if (!compiled.has(i)) compiled.set(i, ctx.check(kept[i]) ?? plainMatcher(kept[i]));
    return compiled.get(i);
  };
}

/** Sets the discriminator property to a value that maps to the alternative generated. */
function branchTagger(schema: SchemaObject, key: 'anyOf' | 'oneOf', branches: Branches, checkOf: (i: number) => Check | undefined): (value: unknown, i: number) => unknown {
  const tagging = discriminatorTags(schema, key, branches.indexes);
  return (value, i) => {
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
}

/** oneOf's generator: tries alternatives from the chosen one on until a value matches no other. */
function exclusiveGenerator(gens: NodeGenerator[], choose: (s: GenerateState) => number, tag: (value: unknown, i: number) => unknown, checkOf: (i: number) => Check | undefined, pointer: string): NodeGenerator {
  const n = gens.length;
  return (s) => {
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
}

/** Probes a oneOf at compile time: when no probed value matches exactly one alternative, says so. */
function neverExclusive(gen: NodeGenerator, ctx: CompileContext, checkOf: (i: number) => Check | undefined, n: number): string | undefined {
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

/** Compiles the alternatives of anyOf or oneOf into one generator. */
export function compileAlternatives(schema: SchemaObject, key: 'anyOf' | 'oneOf', options: unknown[], ctx: CompileContext, name: string, pointer: string): NodeGenerator {
  if (options.length === 0) throw unsupported(`${pointer}/${key}`, `${key} has no alternatives`);
  const branches = compileBranches(schema, key, options, ctx, name, pointer);
  const { gens, allImpossible } = branches;
  const choose = branchChooser(branches, ctx);
  const checkOf = lazyChecks(branches, ctx);
  const tag = branchTagger(schema, key, branches, checkOf);
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
  const one = exclusiveGenerator(gens, choose, tag, checkOf, pointer);
  one.impossible = allImpossible ?? (gens.length > 1 ? neverExclusive(one, ctx, checkOf, gens.length) : undefined);
  return one;
}
