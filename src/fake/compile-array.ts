import { RetryGeneration, isSchemaObject, isUnsatisfiable, unsupported, type CompileContext, type KindCompiler, type SchemaObject } from './compile-context.js';
import type { GenerateState, NodeGenerator } from './generate-state.js';

// What one array item costs of an edge strategy's per-call budget, besides its own strings.
const ITEM_COST = 64;

/** `tags` → `tag`, `addresses` → `address`, `categories` → `category`: item names feed the name hints. */
export function singular(name: string): string {
  if (/ies$/i.test(name)) return `${name.slice(0, -3)}y`;
  if (/(ss|x|ch|sh)es$/i.test(name)) return name.slice(0, -2);
  if (/[^s]s$/i.test(name)) return name.slice(0, -1);
  return name;
}

function uniqueKey(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : value;
}

/** What the parts of an array compiler share: where the array is, its item name and bounds, its contains fixer. */
interface ArraySite {
  ctx: CompileContext;
  itemName: string;
  pointer: string;
  min: number;
  max: number;
  contains: ContainsFixer | undefined;
}

/** A tuple (prefixItems, or items as a list): its items in order, then rest items up to minItems. */
function compileTuple(schema: SchemaObject, prefix: unknown[], site: ArraySite): NodeGenerator {
  const { ctx, itemName, pointer, min, max, contains } = site;
  const key = Array.isArray(schema.prefixItems) ? 'prefixItems' : 'items';
  const restSchema = Array.isArray(schema.prefixItems) ? (schema.items ?? schema.unevaluatedItems) : (schema.additionalItems ?? schema.unevaluatedItems);
  // Items after the tuple: none when `items: false`, else the rest schema (any value when absent).
  const rest = restSchema === false ? undefined : ctx.compile(restSchema ?? {}, itemName, `${pointer}/items`);
  const tupleMax = rest ? max : Math.min(max, prefix.length);
  if (min > tupleMax) throw unsupported(pointer, `at least ${min} items are required, but the tuple allows ${tupleMax}`);
  const gens = prefix.slice(0, Math.max(min, Math.min(prefix.length, max))).map((item, i) => ctx.compile(item, itemName, `${pointer}/${key}/${i}`));
  return (s) => {
    const out: unknown[] = [];
    for (const gen of gens) out.push(gen(s));
    while (rest && out.length < min) out.push(rest(s));
    return contains ? contains(out, s, max) : out;
  };
}

/** `count` items, stopping at minItems once an edge strategy's per-call budget is spent (realistic: Infinity). */
function drawItems(item: NodeGenerator, s: GenerateState, count: number, min: number): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < count; i++) {
    if (i >= min && s.budget <= 0) break;
    s.budget -= ITEM_COST;
    out.push(item(s));
  }
  return out;
}

/** `count` distinct items; after a repeat the realistic twin draws, since an edge strategy often repeats one extreme value. */
function drawUnique(item: NodeGenerator, distinct: NodeGenerator | undefined, s: GenerateState, count: number, site: ArraySite): unknown[] {
  const out: unknown[] = [];
  const seen = new Set<unknown>();
  let repeats = 0;
  for (let attempt = 0; out.length < count && attempt < count * 8 + 16 && repeats < 64; attempt++) {
    if (out.length >= site.min && s.budget <= 0) break;
    const value = repeats > 0 && distinct ? distinct(s) : item(s);
    const key = uniqueKey(value);
    if (seen.has(key)) {
      // A small value space (an enum, a boolean) runs out of distinct items long before a large count.
      repeats++;
      continue;
    }
    repeats = 0;
    s.budget -= ITEM_COST;
    seen.add(key);
    out.push(value);
  }
  if (out.length < site.min) throw new RetryGeneration(`${site.pointer}: not enough distinct items`);
  return out;
}

/** A list of one item schema: a length the strategy picks within the bounds, de-duplicated for uniqueItems. */
function compileList(schema: SchemaObject, site: ArraySite): NodeGenerator {
  const { ctx, itemName, pointer, min, max, contains } = site;
  let item: NodeGenerator;
  try {
    item = ctx.compile(schema.items ?? schema.unevaluatedItems ?? {}, itemName, `${pointer}/items`);
  } catch (error) {
    // No item can be built: only an empty array is valid, if the array may be empty.
    if (min > 0 || !isUnsatisfiable(error) || contains) throw error;
    return () => [];
  }
  if (item.impossible && min === 0 && !contains) return () => [];
  const unique = schema.uniqueItems === true;
  const strategy = ctx.strategy;
  const twin = unique ? ctx.realistic?.() : undefined;
  const distinct = twin ? twin.compile(schema.items ?? {}, itemName, `${pointer}/items`) : undefined;
  return (s) => {
    const count = s.depth >= s.softDepth ? min : strategy.arrayLength(min, max, s);
    const out = unique ? drawUnique(item, distinct, s, count, site) : drawItems(item, s, count, min);
    return contains ? contains(out, s, max) : out;
  };
}

/** An array node: a few items (minItems..maxItems), tuples item by item, uniqueItems by de-duplication. */
export const compileArray: KindCompiler = (schema, { ctx, name, pointer }) => {
  const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const max = typeof schema.maxItems === 'number' ? schema.maxItems : Infinity;
  if (min > max) throw unsupported(pointer, `minItems ${min} exceeds maxItems ${max}`);
  const itemName = singular(name);
  const site: ArraySite = { ctx, itemName, pointer, min, max, contains: compileContains(schema, ctx, itemName, pointer) };
  const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : Array.isArray(schema.items) ? schema.items : undefined;
  return prefix ? compileTuple(schema, prefix, site) : compileList(schema, site);
};

type ContainsFixer = (items: unknown[], s: GenerateState, max: number) => unknown[];

/**
 * contains/minContains/maxContains: after the items are drawn, items made for `contains` replace (or join)
 * the others until at least minContains match; past maxContains, matching items are dropped or redrawn.
 */
function compileContains(schema: SchemaObject, ctx: CompileContext, name: string, pointer: string): ContainsFixer | undefined {
  if (schema.contains === undefined) return undefined;
  const want = typeof schema.minContains === 'number' ? schema.minContains : 1;
  const most = typeof schema.maxContains === 'number' ? schema.maxContains : Infinity;
  const itemSchema = isSchemaObject(schema.items) ? schema.items : undefined;
  const matching = ctx.compile(itemSchema ? { allOf: [itemSchema, schema.contains] } : schema.contains, name, `${pointer}/contains`);
  const matches = ctx.check(schema.contains);
  if (!matches) ctx.uncertain.push(`${pointer}/contains`);
  const count = (items: unknown[]) => (matches ? items.filter((item) => matches(item)).length : 0);
  return (items, s, max) => {
    const out = [...items];
    let have = count(out);
    for (let i = 0; have < want && i < want * 4 + 4; i++) {
      const value = matching(s);
      if (matches && !matches(value)) continue;
      const spare = matches ? out.findIndex((item) => !matches(item)) : -1;
      if (out.length < max) out.push(value);
      else if (spare >= 0) out[spare] = value;
      else break;
      have++;
    }
    for (let i = out.length - 1; have > most && i >= 0; i--) {
      if (matches && matches(out[i])) {
        out.splice(i, 1);
        have--;
      }
    }
    return out;
  };
}
