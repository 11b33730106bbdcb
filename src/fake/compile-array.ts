import { RetryGeneration, isSchemaObject, unsupported, type CompileContext, type SchemaObject } from './compile-context.js';
import type { NodeGenerator } from './generate-state.js';

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

/** An array node: a few items (minItems..maxItems), tuples item by item, uniqueItems by de-duplication. */
export function compileArray(schema: SchemaObject, ctx: CompileContext, name: string, pointer: string): NodeGenerator {
  const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const max = typeof schema.maxItems === 'number' ? schema.maxItems : Infinity;
  if (min > max) throw unsupported(pointer, `minItems ${min} exceeds maxItems ${max}`);
  const itemName = singular(name);
  const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : Array.isArray(schema.items) ? schema.items : undefined;
  if (prefix) {
    const key = Array.isArray(schema.prefixItems) ? 'prefixItems' : 'items';
    const gens = prefix.map((item, i) => ctx.compile(item, itemName, `${pointer}/${key}/${i}`));
    const rest = Array.isArray(schema.prefixItems) && isSchemaObject(schema.items) ? ctx.compile(schema.items, itemName, `${pointer}/items`) : undefined;
    return (s) => {
      const out: unknown[] = [];
      const count = Math.min(gens.length, Math.max(min, gens.length));
      for (let i = 0; i < count; i++) out.push(gens[i](s));
      while (rest && out.length < min) out.push(rest(s));
      return out;
    };
  }
  const item = ctx.compile(schema.items ?? {}, itemName, `${pointer}/items`);
  const unique = schema.uniqueItems === true;
  const strategy = ctx.strategy;
  // An edge strategy often repeats one extreme value; distinct items then come from realistic values.
  const twin = unique ? ctx.realistic?.() : undefined;
  const distinct = twin ? twin.compile(schema.items ?? {}, itemName, `${pointer}/items`) : undefined;
  return (s) => {
    const count = s.depth >= s.softDepth ? min : strategy.arrayLength(min, max, s);
    const out: unknown[] = [];
    // Edge strategies spend a per-call budget; once it is gone, arrays stop at minItems (realistic: Infinity).
    if (!unique) {
      for (let i = 0; i < count; i++) {
        if (i >= min && s.budget <= 0) break;
        s.budget -= ITEM_COST;
        out.push(item(s));
      }
      return out;
    }
    const seen = new Set<unknown>();
    let repeats = 0;
    for (let attempt = 0; out.length < count && attempt < count * 8 + 16 && repeats < 64; attempt++) {
      if (out.length >= min && s.budget <= 0) break;
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
    if (out.length < min) throw new RetryGeneration(`${pointer}: not enough distinct items`);
    return out;
  };
}
