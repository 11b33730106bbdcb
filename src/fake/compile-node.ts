import { impliedType } from '../openapi/implied-type.js';
import { compileAlternatives } from './compile-alternatives.js';
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
import type { NodeGenerator } from './generate-state.js';
import { mergeAllOf } from './merge-all-of.js';
import { plainMatcher } from './plain-matcher.js';
import { stringHintForName, trueProbabilityForName } from './name-hints.js';
import { resolveXFaker } from './x-faker.js';

// The dispatcher: one compile step per schema kind, each returning a closure. The schema is walked
// once here; a call only runs closures.

const inferType = (schema: SchemaObject): string | undefined => impliedType(schema, 'generate');


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
  if (xFaker && !isString) gen = preferXFaker(gen, xFaker, ctx.check(base) ?? plainMatcher({ type: base.type }) ?? (() => true));
  if (schema.not !== undefined) gen = avoidNot(gen, schema.not, ctx, pointer);
  if (impossible && !gen.impossible) gen.impossible = impossible;
  return gen;
}

/** An x-faker value where it is valid for the schema, the schema's own value where not (or where x-faker throws). */
function preferXFaker(inner: NodeGenerator, xFaker: () => unknown, check: (value: unknown) => boolean): NodeGenerator {
  return (s) => {
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

/** Retries values that match `not`; without a check for `not` the node is marked uncertain for the root to check. */
function avoidNot(inner: NodeGenerator, not: unknown, ctx: CompileContext, pointer: string): NodeGenerator {
  const matches = ctx.check(not) ?? plainMatcher(not);
  if (!matches) {
    ctx.uncertain.push(`${pointer}/not`);
    return inner;
  }
  return (s) => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const value = inner(s);
      if (!matches(value)) return value;
    }
    throw new RetryGeneration(`${pointer}: every value matched \`not\``);
  };
}
