import { isSchemaObject, type CompileContext, type SchemaObject } from './compile-context.js';
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

/**
 * An object node: properties in schema order, optional ones as the strategy says (none at the depth
 * limit), no extra keys when additionalProperties is false, and the timestamps of one object drawn
 * together so that created ≤ updated, start ≤ refreshed_start/end and *_from ≤ *_to.
 */
export function compileObject(schema: SchemaObject, ctx: CompileContext, pointer: string): NodeGenerator {
  const properties = isSchemaObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []);
  const additional = schema.additionalProperties;
  const patternProperties = isSchemaObject(schema.patternProperties) ? schema.patternProperties : {};
  const minProperties = typeof schema.minProperties === 'number' ? schema.minProperties : 0;
  const maxProperties = typeof schema.maxProperties === 'number' ? schema.maxProperties : Infinity;

  const plans: PropertyPlan[] = [];
  const times: TimePlan[] = [];
  const roles: (ReturnType<typeof timeRole> & { index: number })[] = [];
  for (const key of Object.keys(properties)) {
    const gen = ctx.compile(properties[key], key, `${pointer}/properties/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    let time = -1;
    if (gen.at) {
      time = times.length;
      times.push({ after: [] });
      const role = timeRole(key);
      if (role) roles.push({ ...role, index: time });
    }
    plans.push({ key, gen, required: required.has(key), time });
  }
  for (const late of roles) {
    if (late.role !== 'late') continue;
    for (const early of roles) if (early.role === 'early' && early.stem === late.stem) times[late.index].after.push(early.index);
  }
  // Early instants are drawn first so the late ones can start from them.
  const order = times.map((_, i) => i).sort((a, b) => times[a].after.length - times[b].after.length);

  // Required names the properties do not describe still have to appear.
  const extraSchema = isSchemaObject(additional) ? additional : undefined;
  for (const key of required) {
    if (Object.hasOwn(properties, key)) continue;
    const patternKey = Object.keys(patternProperties).find((p) => safeTest(p, key));
    const sub = patternKey !== undefined ? patternProperties[patternKey] : (extraSchema ?? {});
    plans.push({ key, gen: ctx.compile(sub, key, `${pointer}/required/${key}`), required: true, time: -1 });
  }

  // Map-like objects (Type.Record, additionalProperties schemas) get a few generated keys.
  const mapEntries: { key: (s: GenerateState, i: number) => string; value: NodeGenerator }[] = [];
  for (const pattern of Object.keys(patternProperties)) {
    const make = compilePattern(pattern);
    const regex = safeRegex(pattern);
    const value = ctx.compile(patternProperties[pattern], '', `${pointer}/patternProperties/${pattern}`);
    mapEntries.push({
      key: (s, i) => {
        const word = ctx.values.word(s);
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
  const isMap = Object.keys(properties).length === 0 && (mapEntries.length > 0 || extraSchema !== undefined);
  if (extraSchema && Object.keys(patternProperties).length === 0) {
    const value = ctx.compile(extraSchema, '', `${pointer}/additionalProperties`);
    mapEntries.push({ key: (s, i) => `${ctx.values.word(s)}_${i}`, value });
  }
  if (mapEntries.length === 0 && additional !== false && minProperties > 0) {
    const value = ctx.compile({}, '', `${pointer}/additionalProperties`);
    mapEntries.push({ key: (s, i) => `${ctx.values.word(s)}_${i}`, value });
  }
  const hasProto = plans.some((p) => p.key === '__proto__');
  const extrasAllowed = mapEntries.length > 0;
  const regexes = Object.keys(patternProperties).map(safeRegex);
  const keyAllowed = (k: string): boolean => additional !== false || regexes.some((r) => r?.test(k) === true);
  const strategy = ctx.strategy;
  const timeWindow = strategy.timeWindow?.bind(strategy);
  const needAll = minProperties > 0;

  return (s) => {
    const savedPerson = s.person;
    const savedCompany = s.company;
    const savedKey = s.companyKey;
    s.person = undefined;
    s.company = undefined;
    const shallow = s.depth >= s.softDepth;
    let instants: number[] | undefined;
    if (times.length > 0) {
      instants = new Array<number>(times.length);
      let start: number;
      let end: number;
      if (timeWindow) {
        const window = timeWindow(s.now);
        start = window[0];
        end = window[1];
      } else {
        start = timestampWindowStart(s.now);
        end = s.now;
      }
      for (const i of order) {
        let from = start;
        for (const j of times[i].after) if (instants[j] > from) from = instants[j];
        instants[i] = strategy.instant(from, end, s);
      }
    }
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
    if (mapEntries.length > 0 && extrasAllowed) {
      const want = isMap && !shallow ? Math.max(minProperties, Math.min(maxProperties, count + strategy.arrayLength(1, 3, s))) : minProperties;
      for (let i = 0; count < want && i < want * 4 + 8; i++) {
        const entry = mapEntries[i % mapEntries.length];
        const key = entry.key(s, i);
        if (Object.hasOwn(out, key) || !keyAllowed(key)) continue;
        assign(out, key, entry.value(s));
        count++;
      }
    }
    s.person = savedPerson;
    s.company = savedCompany;
    s.companyKey = savedKey;
    return out;
  };
}

function safeRegex(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern);
  } catch {
    return undefined;
  }
}

function safeTest(pattern: string, key: string): boolean {
  return safeRegex(pattern)?.test(key) === true;
}
