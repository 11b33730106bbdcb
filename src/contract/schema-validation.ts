import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { compileValidator } from '../openapi/compile-validator.js';
import { registerFormats } from '../openapi/formats.js';
import type { Problem } from './contract-types.js';
import { excerpt } from './excerpt.js';
import { escapePointerToken, pointerTokens, valueAtPointer } from './json-pointer.js';
import { followRef } from '../openapi/follow-ref.js';
import { isSecretKey, REDACTED } from './redact.js';

// Response bodies are validated with the same compiled TypeBox validators as the mock.
// --strict works on copies of the schemas: every documented property required, undocumented ones reported.

type SchemaNode = Record<string | symbol, unknown>;
type Validator = ReturnType<typeof compileValidator>;

/** Validates values against operation schemas, caching compiled validators per schema. */
export interface SchemaValidation {
  /** Problems of `value` against `schema`, with pointers, expected and actual; empty when valid. */
  validate(schema: TSchema, value: unknown): Problem[];
  /** True when `value` is valid against `schema` (never strict: used to vet generated requests). */
  isValid(schema: TSchema, value: unknown): boolean;
  /** The schema node behind `$ref`s (the node itself when it is no reference). */
  resolve(schema: unknown): Record<string, unknown>;
  /** A value read from header text as its schema's type says: numbers, booleans, comma-separated arrays. */
  fromText(schema: TSchema, text: string): unknown;
}

function isNode(value: unknown): value is SchemaNode {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A copy of a schema in which every object requires every property it documents. */
export function requireAllProperties(schema: TSchema): TSchema {
  const seen = new Map<unknown, unknown>();
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!isNode(node)) return node;
    if (seen.has(node)) return seen.get(node);
    const copy: SchemaNode = { ...node };
    seen.set(node, copy);
    for (const key of ['items', 'additionalProperties', 'not', 'contains', 'if', 'then', 'else']) {
      if (isNode(copy[key])) copy[key] = walk(copy[key]);
    }
    for (const key of ['anyOf', 'allOf', 'oneOf', 'prefixItems']) {
      if (Array.isArray(copy[key])) copy[key] = (copy[key] as unknown[]).map(walk);
    }
    for (const key of ['properties', 'patternProperties']) {
      if (isNode(copy[key])) {
        const props: SchemaNode = {};
        for (const [name, sub] of Object.entries(copy[key] as SchemaNode)) props[name] = walk(sub);
        copy[key] = props;
      }
    }
    if (isNode(copy.properties)) copy.required = Object.keys(copy.properties as SchemaNode);
    return copy;
  };
  return walk(schema) as TSchema;
}

/** A short description of what a schema allows, e.g. `string (date-time)` or `integer | null`. */
export function describeSchema(schema: unknown, references: Map<string, TSchema>, depth = 0): string {
  if (!isNode(schema) || depth > 4) return 'any value';
  const node = followRef(schema, references);
  if ('const' in node) return `the constant ${excerpt(node.const, 40)}`;
  if (Array.isArray(node.enum)) return `one of ${(node.enum as unknown[]).map((v) => excerpt(v, 20)).join(', ')}`;
  const union = (node.anyOf ?? node.oneOf) as unknown[] | undefined;
  if (Array.isArray(union)) return union.map((s) => describeSchema(s, references, depth + 1)).join(' | ');
  if (Array.isArray(node.allOf)) return (node.allOf as unknown[]).map((s) => describeSchema(s, references, depth + 1)).join(' & ');
  const types = Array.isArray(node.type) ? (node.type as string[]).join(' | ') : typeof node.type === 'string' ? node.type : undefined;
  if (!types) return isNode(node.properties) ? 'object' : 'any value';
  return typeof node.format === 'string' ? `${types} (${node.format})` : types;
}

/** The schema that governs the value at a JSON pointer, best effort (first matching branch of unions). */
function schemaAtPointer(schema: TSchema, pointer: string, references: Map<string, TSchema>): unknown {
  let node: unknown = schema;
  for (const token of pointerTokens(pointer)) {
    if (!isNode(node)) return undefined;
    const resolved = followRef(node, references);
    const candidates = [resolved, ...(['allOf', 'anyOf', 'oneOf'] as const).flatMap((k) => (Array.isArray(resolved[k]) ? (resolved[k] as unknown[]) : []))];
    let next: unknown;
    for (const c of candidates) {
      if (!isNode(c)) continue;
      const r = followRef(c, references);
      if (isNode(r.properties) && token in (r.properties as SchemaNode)) next = (r.properties as SchemaNode)[token];
      else if (/^\d+$/.test(token) && isNode(r.items)) next = r.items;
      if (next) break;
    }
    node = next;
  }
  return node;
}

function knownProperties(node: SchemaNode, value: Record<string, unknown>, references: Map<string, TSchema>, refList: TSchema[], depth = 0): { props: Map<string, unknown>; open: boolean } {
  const props = new Map<string, unknown>();
  let open = false;
  const resolved = followRef(node, references);
  if (depth > 16) return { props, open: true };
  if (resolved.additionalProperties !== undefined || resolved.patternProperties !== undefined || resolved.unevaluatedProperties !== undefined) open = true;
  if (isNode(resolved.properties)) for (const [k, v] of Object.entries(resolved.properties as SchemaNode)) props.set(k, v);
  for (const member of Array.isArray(resolved.allOf) ? (resolved.allOf as unknown[]) : []) {
    if (!isNode(member)) continue;
    const inner = knownProperties(member, value, references, refList, depth + 1);
    inner.props.forEach((v, k) => props.set(k, v));
    open ||= inner.open;
  }
  const union = (resolved.anyOf ?? resolved.oneOf) as unknown[] | undefined;
  if (Array.isArray(union)) {
    const branch = union.find((b) => isNode(b) && safeCheck(b as unknown as TSchema, refList, value));
    if (isNode(branch)) {
      const inner = knownProperties(branch, value, references, refList, depth + 1);
      inner.props.forEach((v, k) => props.set(k, v));
      open ||= inner.open;
    } else open = true;
  }
  // A free-form object (no documented properties at all) has nothing to be strict about.
  if (props.size === 0) open = true;
  return { props, open };
}

function safeCheck(schema: TSchema, references: TSchema[], value: unknown): boolean {
  try {
    return Value.Check(schema, references, value);
  } catch {
    return false;
  }
}

/** Pointers of properties present in `value` that its schema does not document. */
export function findUndocumentedProperties(schema: TSchema, value: unknown, references: TSchema[]): string[] {
  const byId = new Map(references.map((r) => [String(r.$id), r]));
  const found: string[] = [];
  const walk = (node: unknown, v: unknown, pointer: string, depth: number): void => {
    if (!isNode(node) || depth > 32 || found.length > 50) return;
    const resolved = followRef(node, byId);
    if (Array.isArray(v)) {
      if (isNode(resolved.items)) v.slice(0, 100).forEach((item, i) => walk(resolved.items, item, `${pointer}/${i}`, depth + 1));
      else {
        const union = (resolved.anyOf ?? resolved.oneOf) as unknown[] | undefined;
        const branch = union?.find((b) => isNode(b) && safeCheck(b as unknown as TSchema, references, v));
        if (branch) walk(branch, v, pointer, depth + 1);
      }
      return;
    }
    if (v === null || typeof v !== 'object') return;
    const record = v as Record<string, unknown>;
    const { props, open } = knownProperties(resolved, record, byId, references);
    for (const key of Object.keys(record)) {
      const sub = props.get(key);
      const childPointer = `${pointer}/${escapePointerToken(key)}`;
      if (sub !== undefined) walk(sub, record[key], childPointer, depth + 1);
      else if (!open) found.push(childPointer);
    }
  };
  walk(schema, value, '', 0);
  return found;
}

function actualAt(value: unknown, pointer: string): string {
  const at = valueAtPointer(value, pointer);
  if (!at.found) return 'missing';
  const last = pointerTokens(pointer).pop();
  if (last !== undefined && isSecretKey(last) && typeof at.value === 'string') return REDACTED;
  // excerpt() redacts secret properties and writes only what it shows: no copy of a large subtree.
  return excerpt(at.value, 80);
}

/** Compiles each schema's validator once, lenient or --strict. */
function validatorCache(references: TSchema[], strictReferences: TSchema[]): (schema: TSchema, strict: boolean) => Validator {
  const lenient = new WeakMap<TSchema, Validator>();
  const strictCache = new WeakMap<TSchema, Validator>();
  return (schema, strict) => {
    const cache = strict ? strictCache : lenient;
    let validator = cache.get(schema);
    if (!validator) {
      validator = strict ? compileValidator(requireAllProperties(schema), strictReferences) : compileValidator(schema, references);
      cache.set(schema, validator);
    }
    return validator;
  };
}

/** The validator's errors as problems, each once and at most 20; one general problem when it names none. */
function schemaProblems(validator: Validator, schema: TSchema, value: unknown, byId: Map<string, TSchema>): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const error of validator.errors(value)) {
    const key = `${error.pointer}\u0000${error.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const expected = describeSchema(schemaAtPointer(schema, error.pointer, byId), byId);
    problems.push({ pointer: error.pointer, message: error.message, expected, actual: actualAt(value, error.pointer) });
    if (problems.length >= 20) break;
  }
  if (problems.length === 0) problems.push({ pointer: '', message: 'does not match the schema', expected: describeSchema(schema, byId), actual: excerpt(value, 80) });
  return problems;
}

/** A parameter's text as the schema's value: a comma list for an array, converted where TypeBox can. */
function valueFromText(node: SchemaNode, schema: TSchema, text: string, references: TSchema[]): unknown {
  const types = Array.isArray(node.type) ? (node.type as string[]) : typeof node.type === 'string' ? [node.type] : [];
  const raw: unknown = types.includes('array') ? (text.trim() === '' ? [] : text.split(',').map((s) => s.trim())) : text;
  try {
    return Value.Convert(schema, references, raw);
  } catch {
    return raw;
  }
}

/** Builds a validation helper for one API's references; `strict` applies --strict to every schema. */
export function createSchemaValidation(references: TSchema[], strict: boolean): SchemaValidation {
  registerFormats();
  const byId = new Map(references.map((r) => [String(r.$id), r]));
  const validatorFor = validatorCache(references, strict ? references.map(requireAllProperties) : references);
  const resolve = (schema: unknown): SchemaNode => (isNode(schema) ? followRef(schema, byId) : {});
  return {
    isValid: (schema, value) => validatorFor(schema, false).check(value),
    resolve,
    fromText: (schema, text) => valueFromText(resolve(schema), schema, text, references),
    validate(schema, value) {
      const validator = validatorFor(schema, strict);
      const problems = validator.check(value) ? [] : schemaProblems(validator, schema, value, byId);
      if (strict) {
        for (const pointer of findUndocumentedProperties(schema, value, references)) {
          problems.push({ pointer, message: 'property is not documented (--strict)', expected: 'no such property', actual: actualAt(value, pointer) });
        }
      }
      return problems;
    },
  };
}
