// Reading oneOf/anyOf alternatives of raw OpenAPI schemas: whether no value can match two of them (then
// oneOf means anyOf and stays a TypeBox Union), and which alternative each discriminator value selects.

type Raw = Record<string, unknown>;

/** Follows `$ref`s of a raw schema (undefined when a reference does not resolve). */
export type Deref = (schema: unknown) => unknown;

const TYPES = ['string', 'number', 'integer', 'boolean', 'null', 'array', 'object'] as const;
const MAX_DEPTH = 8;

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function inferred(schema: Raw): string[] | undefined {
  const has = (...keys: string[]) => keys.some((key) => key in schema);
  if (has('properties', 'additionalProperties', 'required', 'minProperties', 'maxProperties', 'patternProperties', 'propertyNames', 'dependentRequired', 'dependentSchemas', 'unevaluatedProperties')) return ['object'];
  if (has('items', 'prefixItems', 'minItems', 'maxItems', 'uniqueItems', 'contains', 'unevaluatedItems')) return ['array'];
  if (has('minLength', 'maxLength', 'pattern')) return ['string'];
  if (has('minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf')) return ['number'];
  return undefined;
}

/** The JSON types a schema admits, or undefined for "any" (as far as a cheap look can tell). */
function typesOf(schema: unknown, deref: Deref, depth: number): Set<string> | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const s = deref(schema);
  if (s === false) return new Set();
  if (!isObject(s)) return undefined;
  let result: Set<string> | undefined;
  const narrow = (set: Set<string> | undefined) => {
    if (set === undefined) return;
    if (result === undefined) {
      result = set;
      return;
    }
    const next = new Set<string>();
    for (const t of result) {
      if (set.has(t)) next.add(t);
      else if (t === 'number' && set.has('integer')) next.add('integer');
      else if (t === 'integer' && set.has('number')) next.add('integer');
    }
    result = next;
  };
  const nullable = s.nullable === true ? ['null'] : [];
  if ('const' in s) narrow(new Set([jsonType(s.const), ...nullable]));
  else if (Array.isArray(s.enum)) narrow(new Set([...s.enum.map(jsonType), ...nullable]));
  const type = Array.isArray(s.type) ? s.type.map(String) : typeof s.type === 'string' ? [s.type] : inferred(s);
  if (type) narrow(new Set([...type.filter((t) => (TYPES as readonly string[]).includes(t)), ...nullable]));
  if (Array.isArray(s.allOf)) for (const member of s.allOf) narrow(typesOf(member, deref, depth + 1));
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (!Array.isArray(s[key])) continue;
    const union = new Set<string>();
    for (const member of s[key] as unknown[]) {
      const set = typesOf(member, deref, depth + 1);
      if (set === undefined) return result;
      for (const t of set) union.add(t);
    }
    narrow(union);
  }
  return result;
}

function overlaps(a: Set<string> | undefined, b: Set<string> | undefined): boolean {
  if (a === undefined || b === undefined) return true;
  for (const t of a) {
    if (b.has(t)) return true;
    if ((t === 'integer' && b.has('number')) || (t === 'number' && b.has('integer'))) return true;
  }
  return false;
}

/** Literal values (as JSON text) a schema allows for property `name`, and whether it requires it. */
function propertyLiterals(schema: unknown, name: string, deref: Deref, depth: number): { values?: Set<string>; required: boolean } {
  const s = deref(schema);
  if (depth > MAX_DEPTH || !isObject(s)) return { required: false };
  let values: Set<string> | undefined;
  let required = Array.isArray(s.required) && s.required.includes(name);
  const property = isObject(s.properties) ? deref(s.properties[name]) : undefined;
  if (isObject(property)) {
    if ('const' in property) values = new Set([JSON.stringify(property.const)]);
    else if (Array.isArray(property.enum)) values = new Set(property.enum.map((v) => JSON.stringify(v)));
  }
  if (Array.isArray(s.allOf)) {
    for (const member of s.allOf) {
      const found = propertyLiterals(member, name, deref, depth + 1);
      required ||= found.required;
      if (found.values) values = values ? new Set([...values].filter((v) => found.values!.has(v))) : found.values;
    }
  }
  return { values, required };
}

function disjointByProperty(members: unknown[], name: string, deref: Deref): boolean {
  const seen = new Set<string>();
  for (const member of members) {
    const types = typesOf(member, deref, 0);
    if (types === undefined || [...types].some((t) => t !== 'object')) return false;
    const { values, required } = propertyLiterals(member, name, deref, 0);
    if (!values || !required) return false;
    for (const value of values) {
      if (seen.has(value)) return false;
      seen.add(value);
    }
  }
  return true;
}

/** True when no value can match two of `members`: distinct JSON types, or a required property with distinct constants. */
export function alternativesDisjoint(members: unknown[], discriminatorProperty: string | undefined, deref: Deref): boolean {
  const types = members.map((member) => typesOf(member, deref, 0));
  let pairwise = true;
  for (let i = 0; i < types.length && pairwise; i++) {
    for (let j = i + 1; j < types.length && pairwise; j++) pairwise = !overlaps(types[i], types[j]);
  }
  if (pairwise) return true;
  const candidates = new Set<string>();
  if (discriminatorProperty) candidates.add(discriminatorProperty);
  const first = deref(members[0]);
  if (isObject(first) && isObject(first.properties)) {
    for (const [name, property] of Object.entries(first.properties)) {
      const p = deref(property);
      if (isObject(p) && ('const' in p || Array.isArray(p.enum))) candidates.add(name);
    }
  }
  return [...candidates].some((name) => disjointByProperty(members, name, deref));
}

/** The component name a raw `$ref` names (`#/components/schemas/Name` → `Name`). */
function componentName(ref: unknown): string | undefined {
  if (typeof ref !== 'string') return undefined;
  const match = /^#\/components\/schemas\/([^/]+)$/.exec(ref);
  return match ? match[1].replace(/~1/g, '/').replace(/~0/g, '~') : undefined;
}

/**
 * Discriminator value → alternative index: explicit `mapping` entries (a `#/components/schemas/Name` ref or a
 * bare name), then each `$ref` alternative's component name, then constants the alternatives give the property.
 */
export function discriminatorMapping(discriminator: Raw, members: unknown[], deref: Deref): Record<string, number> {
  const propertyName = String(discriminator.propertyName);
  const mapping: Record<string, number> = {};
  const byComponent = new Map<string, number>();
  members.forEach((member, index) => {
    const name = isObject(member) ? componentName(member.$ref) : undefined;
    if (name !== undefined && !byComponent.has(name)) byComponent.set(name, index);
  });
  if (isObject(discriminator.mapping)) {
    for (const [value, target] of Object.entries(discriminator.mapping)) {
      if (typeof target !== 'string') continue;
      const name = componentName(target) ?? (target.includes('/') ? undefined : target);
      const index = name === undefined ? members.findIndex((m) => isObject(m) && m.$ref === target) : byComponent.get(name);
      if (index !== undefined && index >= 0) mapping[value] = index;
    }
  }
  // The component name is the implicit value of an alternative no explicit entry names.
  const named = new Set(Object.values(mapping));
  for (const [name, index] of byComponent) if (!(name in mapping) && !named.has(index)) mapping[name] = index;
  members.forEach((member, index) => {
    const { values } = propertyLiterals(member, propertyName, deref, 0);
    for (const text of values ?? []) {
      const value = JSON.parse(text) as unknown;
      if (typeof value === 'string' && !(value in mapping)) mapping[value] = index;
    }
  });
  return mapping;
}
