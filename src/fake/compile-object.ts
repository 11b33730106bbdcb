import { compileLenientPattern } from '../openapi/json-schema-node.js';
import { isSchemaObject, isUnsatisfiable, type CompileContext, type KindCompiler, type SchemaObject } from './compile-context.js';
import { compilePattern } from './pattern-generator.js';
import type { GenerateState, NodeGenerator } from './generate-state.js';
import { timeRole } from './name-hints.js';
import { timestampWindowStart } from './timestamps.js';

interface PropertyPlan {
  key: string;
  gen: NodeGenerator;
  required: boolean;
  /** Index into the per-call instants, for time-like properties. */
  time: number;
}

interface TimePlan {
  /** Indexes of `early` properties of the same stem that this one must not precede. */
  after: number[];
}

// Objects with generated keys would each get a fresh hidden class in V8 (and the mock would leak
// them by the thousand); deleting a non-last property puts the object in dictionary mode first.
function dictionaryObject(): Record<string, unknown> {
  const out: Record<string, unknown> = { a: 0, b: 0 };
  delete out.a;
  delete out.b;
  return out;
}

function assign(out: Record<string, unknown>, key: string, value: unknown): void {
  // A property literally named __proto__ must become an own property, not the prototype.
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/** What an object node knows about its own keys once compiled. */
interface ObjectShape {
  schema: SchemaObject;
  ctx: CompileContext;
  pointer: string;
  properties: SchemaObject;
  required: Set<string>;
  additional: unknown;
  patternProperties: SchemaObject;
  names: NameRule;
}

type MapEntry = { key: (s: GenerateState, i: number) => string; value: NodeGenerator };

function readShape(schema: SchemaObject, ctx: CompileContext, pointer: string): ObjectShape {
  return {
    schema,
    ctx,
    pointer,
    properties: isSchemaObject(schema.properties) ? schema.properties : {},
    required: new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []),
    // unevaluatedProperties, next to properties of the same object, acts as additionalProperties for generation.
    additional: schema.additionalProperties ?? schema.unevaluatedProperties,
    patternProperties: isSchemaObject(schema.patternProperties) ? schema.patternProperties : {},
    names: propertyNameRule(schema.propertyNames, ctx),
  };
}

/** The declared properties' generators, the time-like ones indexed into per-call instants, and the order those are drawn in. */
function planProperties(shape: ObjectShape): { plans: PropertyPlan[]; times: TimePlan[]; order: number[]; impossible?: string } {
  const { properties, required, names, ctx, pointer } = shape;
  const plans: PropertyPlan[] = [];
  let impossible: string | undefined;
  const times: TimePlan[] = [];
  const roles: (ReturnType<typeof timeRole> & { index: number })[] = [];
  for (const key of Object.keys(properties)) {
    const isRequired = required.has(key);
    // A declared name propertyNames forbids can only be left out.
    if (!isRequired && names.allows && !names.allows(key)) continue;
    let gen: NodeGenerator;
    try {
      gen = ctx.compile(properties[key], key, `${pointer}/properties/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    } catch (error) {
      // An optional property no value satisfies is simply never generated.
      if (!isRequired && isUnsatisfiable(error)) continue;
      throw error;
    }
    if (gen.impossible) {
      if (!isRequired) continue;
      impossible ??= gen.impossible;
    }
    let time = -1;
    if (gen.at) {
      time = times.length;
      times.push({ after: [] });
      const role = timeRole(key);
      if (role) roles.push({ ...role, index: time });
    }
    plans.push({ key, gen, required: isRequired, time });
  }
  for (const late of roles) {
    if (late.role !== 'late') continue;
    for (const early of roles) if (early.role === 'early' && early.stem === late.stem) times[late.index].after.push(early.index);
  }
  // Early instants are drawn first so the late ones can start from them.
  const order = times.map((_, i) => i).sort((a, b) => times[a].after.length - times[b].after.length);
  return { plans, times, order, ...(impossible ? { impossible } : {}) };
}

/** Required names the properties do not describe, then dependentRequired: when a trigger is present, its dependents are added. */
function planUndeclared(shape: ObjectShape, plans: PropertyPlan[]): { trigger: string; key: string; gen: NodeGenerator }[] {
  const { properties, required, additional, patternProperties, ctx, pointer, schema } = shape;
  const extraSchema = isSchemaObject(additional) ? additional : undefined;
  const undeclared = (key: string): NodeGenerator => {
    const patternKey = Object.keys(patternProperties).find((p) => safeTest(p, key));
    const sub = patternKey !== undefined ? patternProperties[patternKey] : (extraSchema ?? {});
    return ctx.compile(sub, key, `${pointer}/required/${key}`);
  };
  for (const key of required) {
    if (Object.hasOwn(properties, key)) continue;
    plans.push({ key, gen: undeclared(key), required: true, time: -1 });
  }
  const dependentRequired = isSchemaObject(schema.dependentRequired) ? schema.dependentRequired : {};
  const dependents: { trigger: string; key: string; gen: NodeGenerator }[] = [];
  for (const [trigger, deps] of Object.entries(dependentRequired)) {
    if (!Array.isArray(deps)) continue;
    for (const key of deps) {
      if (typeof key !== 'string') continue;
      const plan = plans.find((p) => p.key === key);
      const gen = plan && plan.time < 0 ? plan.gen : Object.hasOwn(properties, key) ? ctx.compile(properties[key], key, `${pointer}/properties/${key}`) : undeclared(key);
      dependents.push({ trigger, key, gen });
    }
  }
  return dependents;
}

// Map-like objects (Type.Record, additionalProperties schemas) get a few generated keys.
function planMapEntries(shape: ObjectShape, minProperties: number): MapEntry[] {
  const { properties, additional, patternProperties, names, ctx, pointer } = shape;
  const mapEntries: MapEntry[] = [];
  for (const pattern of Object.keys(patternProperties)) {
    const make = compilePattern(pattern);
    const regex = safeRegex(pattern);
    const value = ctx.compile(patternProperties[pattern], '', `${pointer}/patternProperties/${pattern}`);
    mapEntries.push({
      key: (s, i) => {
        const word = names.make?.(s) ?? ctx.values.word(s);
        if (regex?.test(word) && !Object.hasOwn(properties, word)) return word;
        for (let t = 0; t < 4 && make; t++) {
          const k = make(s.rng, 8);
          if (k.length > 0 && (!regex || regex.test(k)) && !Object.hasOwn(properties, k)) return k;
        }
        return `${ctx.values.word(s)}_${i}`;
      },
      value,
    });
  }
  const extraSchema = isSchemaObject(additional) ? additional : undefined;
  const extraKey = (s: GenerateState, i: number): string => names.make?.(s) ?? `${ctx.values.word(s)}_${i}`;
  if (extraSchema && Object.keys(patternProperties).length === 0) {
    try {
      mapEntries.push({ key: extraKey, value: ctx.compile(extraSchema, '', `${pointer}/additionalProperties`) });
    } catch (error) {
      if (!isUnsatisfiable(error)) throw error;
    }
  }
  if (mapEntries.length === 0 && additional !== false && minProperties > 0) {
    mapEntries.push({ key: extraKey, value: ctx.compile({}, '', `${pointer}/additionalProperties`) });
  }
  return mapEntries;
}

/** One instant per time-like property, early ones first, each late one no earlier than its early ones. */
function drawInstants(times: TimePlan[], order: number[], ctx: CompileContext, s: GenerateState): number[] {
  const strategy = ctx.strategy;
  const instants = new Array<number>(times.length);
  const [start, end] = strategy.timeWindow ? strategy.timeWindow(s.now) : [timestampWindowStart(s.now), s.now];
  for (const i of order) {
    let from = start;
    for (const j of times[i].after) if (instants[j] > from) from = instants[j];
    instants[i] = strategy.instant(from, end, s);
  }
  return instants;
}

/**
 * An object node: properties in schema order, optional ones as the strategy says (none at the depth
 * limit), no extra keys when additionalProperties is false, and the timestamps of one object drawn
 * together so that created ≤ updated, start ≤ refreshed_start/end and *_from ≤ *_to.
 */
export const compileObject: KindCompiler = (schema, { ctx, pointer }) => {
  const shape = readShape(schema, ctx, pointer);
  const { properties, additional, patternProperties, names } = shape;
  const minProperties = typeof schema.minProperties === 'number' ? schema.minProperties : 0;
  const maxProperties = typeof schema.maxProperties === 'number' ? schema.maxProperties : Infinity;
  const { plans, times, order, impossible } = planProperties(shape);
  const dependents = planUndeclared(shape, plans);
  const dependentSchemas = compileDependentSchemas(schema, ctx, pointer);
  const mapEntries = planMapEntries(shape, minProperties);
  const isMap = Object.keys(properties).length === 0 && (mapEntries.length > 0 || isSchemaObject(additional));
  const hasProto = plans.some((p) => p.key === '__proto__');
  const regexes = Object.keys(patternProperties).map(safeRegex);
  const keyAllowed = (k: string): boolean => (additional !== false || regexes.some((r) => r?.test(k) === true)) && (!names.allows || names.allows(k));
  const strategy = ctx.strategy;
  const needAll = minProperties > 0;

  const gen: NodeGenerator = (s) => {
    const { person: savedPerson, company: savedCompany, companyKey: savedKey } = s;
    s.person = undefined;
    s.company = undefined;
    const shallow = s.depth >= s.softDepth;
    const instants = times.length > 0 ? drawInstants(times, order, ctx, s) : undefined;
    const out: Record<string, unknown> = isMap ? dictionaryObject() : {};
    let count = 0;
    for (const plan of plans) {
      if (!plan.required) {
        if (count >= maxProperties) continue;
        if (!needAll && (shallow || !strategy.includeOptional(s))) continue;
      }
      const value = plan.time >= 0 ? plan.gen.at!(s, instants![plan.time]) : plan.gen(s);
      if (hasProto) assign(out, plan.key, value);
      else out[plan.key] = value;
      count++;
    }
    if (mapEntries.length > 0) {
      const want = isMap && !shallow ? Math.max(minProperties, Math.min(maxProperties, count + strategy.arrayLength(1, 3, s))) : minProperties;
      for (let i = 0; count < want && i < want * 4 + 8; i++) {
        const entry = mapEntries[i % mapEntries.length];
        const key = entry.key(s, i);
        if (Object.hasOwn(out, key) || !keyAllowed(key)) continue;
        assign(out, key, entry.value(s));
        count++;
      }
    }
    for (const { trigger, key, gen: dependent } of dependents) {
      if (Object.hasOwn(out, trigger) && !Object.hasOwn(out, key)) assign(out, key, dependent(s));
    }
    dependentSchemas?.(out, s);
    s.person = savedPerson;
    s.company = savedCompany;
    s.companyKey = savedKey;
    return out;
  };
  if (impossible) gen.impossible = impossible;
  return gen;
};

interface NameRule {
  /** False for a name propertyNames forbids (undefined: any name). */
  allows?: (name: string) => boolean;
  /** A name propertyNames admits, when it says how to make one (enum, const, pattern). */
  make?: (s: GenerateState) => string | undefined;
}

function propertyNameRule(rule: unknown, ctx: CompileContext): NameRule {
  if (rule === undefined || rule === true) return {};
  if (rule === false) return { allows: () => false };
  if (!isSchemaObject(rule)) return {};
  const check = ctx.check(rule);
  const allows = check ? (name: string) => check(name) : undefined;
  const values = Array.isArray(rule.enum) ? rule.enum.filter((v): v is string => typeof v === 'string') : typeof rule.const === 'string' ? [rule.const] : undefined;
  if (values && values.length > 0) return { allows, make: (s) => s.rng.pick(values) };
  const pattern = typeof rule.pattern === 'string' ? compilePattern(rule.pattern) : undefined;
  const max = typeof rule.maxLength === 'number' ? rule.maxLength : 12;
  const min = typeof rule.minLength === 'number' ? rule.minLength : 1;
  if (pattern) {
    return {
      allows,
      make: (s) => {
        for (let t = 0; t < 6; t++) {
          const name = pattern(s.rng, Math.max(1, Math.min(8, max)));
          if (!allows || allows(name)) return name;
        }
        return undefined;
      },
    };
  }
  return {
    allows,
    make: (s) => {
      const word = ctx.values.word(s).slice(0, max);
      return word.length >= min && (!allows || allows(word)) ? word : undefined;
    },
  };
}

/**
 * dependentSchemas: once the object is built, a present trigger whose schema fails is dropped when optional, or
 * the schema's own properties are generated into the object when required (the root's check has the last word).
 */
function compileDependentSchemas(schema: SchemaObject, ctx: CompileContext, pointer: string): ((out: Record<string, unknown>, s: GenerateState) => void) | undefined {
  if (!isSchemaObject(schema.dependentSchemas)) return undefined;
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const rules = Object.entries(schema.dependentSchemas).map(([trigger, sub]) => {
    let gen: NodeGenerator | undefined;
    try {
      gen = isSchemaObject(sub) ? ctx.compile({ type: 'object', ...sub }, '', `${pointer}/dependentSchemas/${trigger}`) : undefined;
    } catch (error) {
      if (!isUnsatisfiable(error)) throw error;
    }
    return { trigger, check: ctx.check(sub), gen, optional: !required.has(trigger) };
  });
  return (out, s) => {
    for (const rule of rules) {
      if (!Object.hasOwn(out, rule.trigger) || !rule.check || rule.check(out)) continue;
      if (rule.optional) {
        delete out[rule.trigger];
        continue;
      }
      const extra = rule.gen?.(s);
      if (isSchemaObject(extra)) for (const [key, value] of Object.entries(extra)) if (key !== rule.trigger) assign(out, key, value);
    }
  };
}

function safeRegex(pattern: string): RegExp | undefined {
  return compileLenientPattern(pattern);
}

function safeTest(pattern: string, key: string): boolean {
  return safeRegex(pattern)?.test(key) === true;
}
