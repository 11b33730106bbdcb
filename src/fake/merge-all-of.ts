import { isSchemaObject, type SchemaObject } from './compile-context.js';
import { EXTRA_PATTERNS } from './compile-string.js';

// allOf is generated as one merged schema: object branches pool their properties and required
// names, numeric and length bounds take the strictest value, enums intersect. Combinators inside
// branches are kept as a single anyOf/oneOf over merged alternatives. Whatever a merge cannot
// express exactly is still caught by the root's compiled check.

/** For alternatives rebuilt as `allOf: [rest, option]`: the option as written, which oneOf checks exclusivity against. */
export const originalOption = new WeakMap<object, unknown>();

const LOWER_BOUNDS = new Set(['minimum', 'minLength', 'minItems', 'minProperties']);
const UPPER_BOUNDS = new Set(['maximum', 'maxLength', 'maxItems', 'maxProperties']);

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function mergeType(a: unknown, b: unknown): unknown {
  const as = Array.isArray(a) ? a : [a];
  const bs = Array.isArray(b) ? b : [b];
  const both = as.filter((t) => bs.includes(t) || (t === 'integer' && bs.includes('number')));
  for (const t of bs) if (t === 'integer' && as.includes('number') && !both.includes('integer')) both.push('integer');
  if (both.length === 0) return a;
  return both.length === 1 ? both[0] : both;
}

function mergeTwo(a: SchemaObject, b: SchemaObject): SchemaObject {
  const out: SchemaObject = { ...a };
  for (const key of Object.keys(b)) {
    const bv = b[key];
    const av = out[key];
    if (av === undefined) {
      out[key] = bv;
      continue;
    }
    if (key === 'properties' && isSchemaObject(av) && isSchemaObject(bv)) {
      const props: SchemaObject = { ...av };
      for (const k of Object.keys(bv)) props[k] = Object.hasOwn(props, k) ? { allOf: [props[k], bv[k]] } : bv[k];
      out.properties = props;
    } else if (key === 'required' && Array.isArray(av) && Array.isArray(bv)) {
      out.required = [...new Set([...av, ...bv])];
    } else if (LOWER_BOUNDS.has(key) && typeof av === 'number' && typeof bv === 'number') {
      out[key] = Math.max(av, bv);
    } else if (UPPER_BOUNDS.has(key) && typeof av === 'number' && typeof bv === 'number') {
      out[key] = Math.min(av, bv);
    } else if (key === 'exclusiveMinimum' && typeof av === 'number' && typeof bv === 'number') {
      out[key] = Math.max(av, bv);
    } else if (key === 'exclusiveMaximum' && typeof av === 'number' && typeof bv === 'number') {
      out[key] = Math.min(av, bv);
    } else if (key === 'multipleOf' && typeof av === 'number' && typeof bv === 'number') {
      out[key] = Number.isInteger(av) && Number.isInteger(bv) ? (av * bv) / gcd(av, bv) : Math.max(av, bv);
    } else if (key === 'pattern' && av !== bv) {
      out[EXTRA_PATTERNS] = [...((out[EXTRA_PATTERNS] as unknown[]) ?? []), bv];
    } else if (key === EXTRA_PATTERNS && Array.isArray(av) && Array.isArray(bv)) {
      out[key] = [...av, ...bv];
    } else if (key === 'enum' && Array.isArray(av) && Array.isArray(bv)) {
      const keys = new Set(bv.map((v) => JSON.stringify(v)));
      out.enum = av.filter((v) => keys.has(JSON.stringify(v)));
    } else if (key === 'type') {
      out.type = mergeType(av, bv);
    } else if (key === 'items' && isSchemaObject(av) && isSchemaObject(bv)) {
      out.items = { allOf: [av, bv] };
    } else if (key === 'additionalProperties') {
      out[key] = av === false || bv === false ? false : isSchemaObject(av) && isSchemaObject(bv) ? { allOf: [av, bv] } : isSchemaObject(av) ? av : bv;
    } else if (key === 'not' && isSchemaObject(av) && isSchemaObject(bv)) {
      out.not = { anyOf: [av, bv] };
    }
    // Anything else (const, format, annotations) keeps the first branch's value.
  }
  return out;
}

/**
 * Merges `schema.allOf` (and the schema's own keywords) into one schema. `resolve` follows `$ref`s.
 * A branch carrying anyOf/oneOf becomes an anyOf/oneOf over `allOf: [rest, alternative]` schemas.
 */
export function mergeAllOf(schema: SchemaObject, resolve: (schema: unknown) => unknown, depth = 0): SchemaObject {
  const branches = Array.isArray(schema.allOf) ? schema.allOf : [];
  const { allOf: _allOf, unevaluatedProperties, ...own } = schema;
  let merged: SchemaObject = { ...own };
  const closedKeySets: Set<string>[] = [];
  const alternatives: { key: 'anyOf' | 'oneOf'; options: unknown[] }[] = [];
  for (const raw of branches) {
    let branch = resolve(raw);
    if (branch === true || (isSchemaObject(branch) && Object.keys(branch).length === 0)) continue;
    if (!isSchemaObject(branch)) continue;
    if (Array.isArray(branch.allOf) && depth < 16) branch = mergeAllOf(branch, resolve, depth + 1);
    const b = { ...(branch as SchemaObject) };
    for (const key of ['anyOf', 'oneOf'] as const) {
      if (Array.isArray(b[key])) {
        alternatives.push({ key, options: b[key] as unknown[] });
        delete b[key];
      }
    }
    if (b.additionalProperties === false) closedKeySets.push(new Set(Object.keys(isSchemaObject(b.properties) ? b.properties : {})));
    delete b.$id;
    merged = mergeTwo(merged, b);
  }
  if (closedKeySets.length > 0 && isSchemaObject(merged.properties)) {
    const props: SchemaObject = {};
    for (const key of Object.keys(merged.properties)) if (closedKeySets.every((set) => set.has(key))) props[key] = merged.properties[key];
    merged.properties = props;
    merged.additionalProperties = false;
  }
  if (unevaluatedProperties === false) merged.additionalProperties = false;
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(merged[key])) {
      alternatives.unshift({ key, options: merged[key] as unknown[] });
      delete merged[key];
    }
  }
  if (alternatives.length === 0) return merged;
  const [first, ...rest] = alternatives;
  const restSchemas = rest.map((alt) => ({ [alt.key]: alt.options }));
  return {
    [first.key]: first.options.map((option) => {
      const combined = { allOf: [merged, option, ...restSchemas] };
      originalOption.set(combined, option);
      return combined;
    }),
  };
}
