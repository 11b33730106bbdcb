import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { PropertyEncoding } from '../openapi/api-model.js';
import type { ValidationIssue } from '../openapi/compile-validator.js';
import { mediaKind } from './media-kind.js';
import { additionalPropertiesOf, isBinarySchema, itemsOf, propertiesOf, refMap, shapeOf, type SchemaShape } from './schema-shape.js';

// A form (urlencoded or multipart) reaches the mock as named text values and files; the body schema
// and the media type's `encoding` object say what each one means. The result is the value the same
// validators check as for a JSON body, so a form and a JSON body are judged alike.

/** One property's entry of an OpenAPI Encoding object. */
export type FieldEncoding = PropertyEncoding;

/** One part of a multipart body: a text field, or a file's bytes. */
export interface FormPart {
  name: string;
  text?: string;
  bytes?: Uint8Array;
  filename?: string;
  contentType?: string;
}

/** A decoded form: the body value, and what could not be taken into it (forbidden names). */
export interface DecodedForm {
  value: Record<string, unknown>;
  issues: ValidationIssue[];
}

/** Decodes the two form encodings into the body schema's shape. */
export interface FormDecoder {
  /** `application/x-www-form-urlencoded`: name/value pairs in wire order, already percent-decoded. */
  form(pairs: readonly (readonly [string, string])[]): DecodedForm;
  /** `multipart/form-data`: the parts in wire order. */
  multipart(parts: readonly FormPart[]): DecodedForm;
}

interface Field {
  name: string;
  schema: TSchema;
  shape: SchemaShape;
  encoding: FieldEncoding;
  json: boolean;
}

const delimiters: Record<string, string> = { form: ',', spaceDelimited: ' ', pipeDelimited: '|' };
const forbidden = '__proto__';

function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** `a[b][c]` → `['a', 'b', 'c']`, `a[]` → `['a', '']`; a name that is not bracket syntax stays whole. */
function keyPath(key: string): string[] {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])+)$/.exec(key);
  if (!match) return [key];
  return [match[1], ...[...match[2].matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1])];
}

/** Bytes as a binary string: one character per byte, so `maxLength` counts bytes. */
export function binaryString(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}

const utf8 = new TextDecoder();

/** JSON text parsed, or the text itself when it is not JSON (the validator then says why); `__proto__` keys are reported. */
function parseJson(text: string, pointer: string, issues: ValidationIssue[]): unknown {
  try {
    let poisoned = false;
    const value: unknown = JSON.parse(text, (key, v: unknown) => {
      if (key === forbidden) poisoned = true;
      return v;
    });
    if (!poisoned) return value;
    issues.push({ pointer, message: 'holds the forbidden property name "__proto__"' });
    return undefined;
  } catch {
    return text;
  }
}

/** Sets a bracket path's values: one value as itself, several (or a trailing `[]`) as an array. */
function setPath(target: Record<string, unknown>, keys: readonly string[], values: unknown): void {
  const list = Array.isArray(values) ? values : [values];
  const path = keys.length > 1 && keys[keys.length - 1] === '' ? keys.slice(0, -1) : keys;
  const value = path.length < keys.length || list.length !== 1 ? list : list[0];
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const token = path[i];
    const next = node[token];
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) node = next as Record<string, unknown>;
    else node = node[token] = {};
  }
  node[path[path.length - 1]] = value;
}

/** The entry as far as it is well-formed: the spec is read as written, so a stray value is ignored. */
function cleanEncoding(raw: unknown): FieldEncoding {
  if (typeof raw !== 'object' || raw === null) return {};
  const { contentType, style, explode } = raw as Record<string, unknown>;
  return {
    ...(typeof contentType === 'string' ? { contentType } : {}),
    ...(typeof style === 'string' ? { style } : {}),
    ...(typeof explode === 'boolean' ? { explode } : {}),
  };
}

/** Groups pairs by key, in first-seen order. */
function group<T>(entries: Iterable<readonly [string, T]>): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const [key, value] of entries) {
    const list = groups.get(key);
    if (list) list.push(value);
    else groups.set(key, [value]);
  }
  return groups;
}

/** Compiles a decoder for one body schema and its media type's `encoding` object. */
export function createFormDecoder(schema: TSchema, references: readonly TSchema[], encoding: Record<string, FieldEncoding> = {}): FormDecoder {
  const refs = refMap(references);
  const convert = (target: TSchema, value: unknown): unknown => {
    try {
      return Value.Convert(target, references as TSchema[], value);
    } catch {
      // A schema TypeBox cannot convert against keeps the text; the validator reports it.
      return value;
    }
  };
  const fields: Field[] = [...propertiesOf(schema, refs)].map(([name, sub]) => {
    const enc = cleanEncoding(encoding[name]);
    return { name, schema: sub, shape: shapeOf(sub, refs), encoding: enc, json: enc.contentType !== undefined && mediaKind(enc.contentType) === 'json' };
  });
  const declared = new Set(fields.map((f) => f.name));
  const additional = additionalPropertiesOf(schema, refs);

  function form(pairs: readonly (readonly [string, string])[]): DecodedForm {
    const issues: ValidationIssue[] = [];
    const groups = group(pairs);
    const used = new Set<string>();
    const take = (key: string): string[] | undefined => {
      const values = groups.get(key);
      if (values) used.add(key);
      return values;
    };
    for (const key of groups.keys()) {
      if (keyPath(key).includes(forbidden)) {
        used.add(key);
        issues.push({ pointer: `/${escapePointer(key)}`, message: 'is a forbidden property name' });
      }
    }
    // Keys shaped `name[…]`, per top-level name: deepObject members, PHP-style arrays.
    const bracketed = new Map<string, [key: string, path: string[], values: string[]][]>();
    for (const [key, values] of groups) {
      if (used.has(key)) continue;
      const path = keyPath(key);
      if (path.length < 2) continue;
      const list = bracketed.get(path[0]) ?? [];
      list.push([key, path, values]);
      bracketed.set(path[0], list);
    }
    const takeBracketed = (name: string): [string, string[], string[]][] => {
      const list = bracketed.get(name) ?? [];
      for (const [key] of list) used.add(key);
      return list;
    };

    const value: Record<string, unknown> = {};
    const deferred: Field[] = [];
    for (const field of fields) {
      const { name, shape, encoding: enc } = field;
      const style = enc.style ?? 'form';
      const explode = enc.explode ?? style === 'form';
      if (field.json) {
        const values = take(name);
        if (values) value[name] = values.length === 1 ? parseJson(values[0], `/${escapePointer(name)}`, issues) : values;
        continue;
      }
      if (shape === 'array') {
        let values = take(name);
        if (!values) {
          const list = takeBracketed(name);
          if (list.length > 0) values = list.flatMap(([, , v]) => v);
        }
        if (!values) continue;
        // form+explode repeats the key; every other style packs the items into one delimited value.
        const items = style === 'form' && explode ? values : values.flatMap((v) => (v === '' ? [] : v.split(delimiters[style] ?? ',')));
        value[name] = convert(field.schema, items);
        continue;
      }
      if (shape === 'object') {
        const members = takeBracketed(name);
        if (members.length > 0) {
          const object: Record<string, unknown> = {};
          for (const [, path, values] of members) setPath(object, path.slice(1), values);
          value[name] = convert(field.schema, object);
          continue;
        }
        const values = take(name);
        if (values) {
          const text = values[0];
          if (values.length === 1 && /^\s*\{/.test(text)) value[name] = parseJson(text, `/${escapePointer(name)}`, issues);
          else if (values.length === 1 && style === 'form' && !explode) {
            const tokens = text.split(',');
            const object: Record<string, unknown> = {};
            for (let i = 0; i + 1 < tokens.length; i += 2) if (tokens[i] !== forbidden) object[tokens[i]] = tokens[i + 1];
            value[name] = convert(field.schema, object);
          } else value[name] = values.length === 1 ? text : values;
          continue;
        }
        // form+explode spreads the object's own properties over the form: gather them after the declared fields.
        if (style === 'form' && explode) deferred.push(field);
        continue;
      }
      const values = take(name);
      if (values) value[name] = convert(field.schema, values.length === 1 ? values[0] : values);
    }
    for (const field of deferred) {
      const object: Record<string, unknown> = {};
      for (const member of propertiesOf(field.schema, refs).keys()) {
        if (declared.has(member) || used.has(member)) continue;
        const values = take(member);
        if (values) object[member] = values.length === 1 ? values[0] : values;
      }
      if (Object.keys(object).length > 0) value[field.name] = convert(field.schema, object);
    }
    for (const [key, values] of groups) {
      if (used.has(key)) continue;
      const path = keyPath(key);
      setPath(value, path, path.length === 1 && additional ? convert(additional, values.length === 1 ? values[0] : values) : values);
    }
    return { value, issues };
  }

  function partValue(part: FormPart, field: Field | undefined, target: TSchema | undefined, shape: SchemaShape, pointer: string, issues: ValidationIssue[]): unknown {
    if (target && isBinarySchema(target, refs)) return part.bytes ? binaryString(part.bytes) : part.text;
    if (!target && part.bytes && part.filename !== undefined) return binaryString(part.bytes);
    const text = part.text ?? utf8.decode(part.bytes ?? new Uint8Array());
    const json = field?.json || (part.contentType !== undefined && mediaKind(part.contentType) === 'json') || shape === 'object' || shape === 'array';
    if (json) return parseJson(text, pointer, issues);
    return target ? convert(target, text) : text;
  }

  function multipart(parts: readonly FormPart[]): DecodedForm {
    const issues: ValidationIssue[] = [];
    const groups = group(parts.map((p) => [p.name.endsWith('[]') ? p.name.slice(0, -2) : p.name, p] as const));
    const value: Record<string, unknown> = {};
    for (const [name, list] of groups) {
      const pointer = `/${escapePointer(name)}`;
      if (keyPath(name).includes(forbidden)) {
        issues.push({ pointer, message: 'is a forbidden property name' });
        continue;
      }
      const field = declared.has(name) ? fields.find((f) => f.name === name) : undefined;
      const target = field?.schema ?? additional;
      const shape = target ? shapeOf(target, refs) : 'unknown';
      if (shape === 'array' && target) {
        const items = itemsOf(target, refs);
        const first = list[0];
        const packed = list.length === 1 && !isBinarySchema(items, refs) && first.bytes === undefined && /^\s*\[/.test(first.text ?? '');
        // One part holding a JSON array, or one part per item (how browsers send repeated fields and several files).
        value[name] = packed
          ? parseJson(first.text!, pointer, issues)
          : list.map((part, i) => partValue(part, undefined, items, items ? shapeOf(items, refs) : 'unknown', `${pointer}/${i}`, issues));
        continue;
      }
      const values = list.map((part) => partValue(part, field, target, shape, pointer, issues));
      value[name] = values.length === 1 ? values[0] : values;
    }
    return { value, issues };
  }

  return { form, multipart };
}
