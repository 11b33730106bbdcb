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

/** What a decoder knows of its body schema, worked out once. */
interface DecoderPlan {
  references: readonly TSchema[];
  refs: ReturnType<typeof refMap>;
  fields: Field[];
  declared: Set<string>;
  additional: TSchema | undefined;
}

/** The value converted against the schema; a schema TypeBox cannot convert against keeps the text, and the validator reports it. */
function convert(plan: DecoderPlan, target: TSchema, value: unknown): unknown {
  try {
    return Value.Convert(target, plan.references as TSchema[], value);
  } catch {
    return value;
  }
}

/** One value as itself, several as a list. */
function oneOrAll<T>(values: readonly T[]): T | readonly T[] {
  return values.length === 1 ? values[0] : values;
}

/** Marks a field that was not sent. */
const absent = Symbol('absent');
/** Marks an object field whose properties are spread over the form, to gather after the declared fields. */
const spread = Symbol('spread');

type Bracketed = [key: string, path: string[], values: string[]];

/** A urlencoded body's pairs by key, with which keys a field has taken already. */
class FormPairs {
  readonly groups: Map<string, string[]>;
  readonly used = new Set<string>();
  /** Keys shaped `name[…]`, per top-level name: deepObject members, PHP-style arrays. */
  private readonly bracketed = new Map<string, Bracketed[]>();

  constructor(pairs: readonly (readonly [string, string])[], issues: ValidationIssue[]) {
    this.groups = group(pairs);
    for (const [key, values] of this.groups) {
      const path = keyPath(key);
      if (path.includes(forbidden)) {
        this.used.add(key);
        issues.push({ pointer: `/${escapePointer(key)}`, message: 'is a forbidden property name' });
      } else if (path.length > 1) {
        const list = this.bracketed.get(path[0]) ?? [];
        list.push([key, path, values]);
        this.bracketed.set(path[0], list);
      }
    }
  }

  /** The values sent under exactly this key. */
  take(key: string): string[] | undefined {
    const values = this.groups.get(key);
    if (values) this.used.add(key);
    return values;
  }

  /** The `name[…]` keys under this name. */
  takeBracketed(name: string): Bracketed[] {
    const list = this.bracketed.get(name) ?? [];
    for (const [key] of list) this.used.add(key);
    return list;
  }
}

/** How a field is serialised in a urlencoded body: its style, and whether it explodes. */
function styleOf(field: Field): { style: string; explode: boolean } {
  const style = field.encoding.style ?? 'form';
  return { style, explode: field.encoding.explode ?? style === 'form' };
}

/** An array field: repeated keys, `name[]` keys, or one delimited value. */
function formArray(plan: DecoderPlan, field: Field, pairs: FormPairs): unknown {
  let values = pairs.take(field.name);
  if (!values) {
    const list = pairs.takeBracketed(field.name);
    if (list.length > 0) values = list.flatMap(([, , v]) => v);
  }
  if (!values) return absent;
  const { style, explode } = styleOf(field);
  // form+explode repeats the key; every other style packs the items into one delimited value.
  const items = style === 'form' && explode ? values : values.flatMap((v) => (v === '' ? [] : v.split(delimiters[style] ?? ',')));
  return convert(plan, field.schema, items);
}

/** An object field sent whole under its name: JSON text, or form's `key,value,…` list. */
function formObjectText(plan: DecoderPlan, field: Field, values: string[], issues: ValidationIssue[]): unknown {
  const text = values[0];
  const { style, explode } = styleOf(field);
  if (values.length === 1 && /^\s*\{/.test(text)) return parseJson(text, `/${escapePointer(field.name)}`, issues);
  if (values.length !== 1 || style !== 'form' || explode) return oneOrAll(values);
  const tokens = text.split(',');
  const object: Record<string, unknown> = {};
  for (let i = 0; i + 1 < tokens.length; i += 2) if (tokens[i] !== forbidden) object[tokens[i]] = tokens[i + 1];
  return convert(plan, field.schema, object);
}

/** An object field: deepObject members, or the whole object under its name; `spread` when form+explode scatters its properties. */
function formObject(plan: DecoderPlan, field: Field, pairs: FormPairs, issues: ValidationIssue[]): unknown {
  const members = pairs.takeBracketed(field.name);
  if (members.length > 0) {
    const object: Record<string, unknown> = {};
    for (const [, path, values] of members) setPath(object, path.slice(1), values);
    return convert(plan, field.schema, object);
  }
  const values = pairs.take(field.name);
  if (values) return formObjectText(plan, field, values, issues);
  const { style, explode } = styleOf(field);
  return style === 'form' && explode ? spread : absent;
}

/** One declared field's value from the pairs, or why it has none yet. */
function formField(plan: DecoderPlan, field: Field, pairs: FormPairs, issues: ValidationIssue[]): unknown {
  if (field.json) {
    const values = pairs.take(field.name);
    if (!values) return absent;
    return values.length === 1 ? parseJson(values[0], `/${escapePointer(field.name)}`, issues) : values;
  }
  if (field.shape === 'array') return formArray(plan, field, pairs);
  if (field.shape === 'object') return formObject(plan, field, pairs, issues);
  const values = pairs.take(field.name);
  return values ? convert(plan, field.schema, oneOrAll(values)) : absent;
}

/** A form+explode object field: its own properties, from the keys no declared field took. */
function spreadObject(plan: DecoderPlan, field: Field, pairs: FormPairs): unknown {
  const object: Record<string, unknown> = {};
  for (const member of propertiesOf(field.schema, plan.refs).keys()) {
    if (plan.declared.has(member) || pairs.used.has(member)) continue;
    const values = pairs.take(member);
    if (values) object[member] = oneOrAll(values);
  }
  return Object.keys(object).length > 0 ? convert(plan, field.schema, object) : undefined;
}

/** `application/x-www-form-urlencoded` pairs into the body schema's shape. */
function decodeForm(plan: DecoderPlan, input: readonly (readonly [string, string])[]): DecodedForm {
  const issues: ValidationIssue[] = [];
  const pairs = new FormPairs(input, issues);
  const value: Record<string, unknown> = {};
  const spreads: Field[] = [];
  for (const field of plan.fields) {
    const decoded = formField(plan, field, pairs, issues);
    if (decoded === spread) spreads.push(field);
    else if (decoded !== absent) value[field.name] = decoded;
  }
  for (const field of spreads) {
    const decoded = spreadObject(plan, field, pairs);
    if (decoded !== undefined) value[field.name] = decoded;
  }
  for (const [key, values] of pairs.groups) {
    if (pairs.used.has(key)) continue;
    const path = keyPath(key);
    setPath(value, path, path.length === 1 && plan.additional ? convert(plan, plan.additional, oneOrAll(values)) : values);
  }
  return { value, issues };
}

/** One multipart part's value: bytes as a binary string, JSON parsed, text converted. */
function partValue(plan: DecoderPlan, part: FormPart, field: Field | undefined, target: TSchema | undefined, pointer: string, issues: ValidationIssue[]): unknown {
  if (target && isBinarySchema(target, plan.refs)) return part.bytes ? binaryString(part.bytes) : part.text;
  if (!target && part.bytes && part.filename !== undefined) return binaryString(part.bytes);
  const text = part.text ?? utf8.decode(part.bytes ?? new Uint8Array());
  const shape = target ? shapeOf(target, plan.refs) : 'unknown';
  const json = field?.json || (part.contentType !== undefined && mediaKind(part.contentType) === 'json') || shape === 'object' || shape === 'array';
  if (json) return parseJson(text, pointer, issues);
  return target ? convert(plan, target, text) : text;
}

/** An array property's parts: one part holding a JSON array, or one part per item (how browsers send repeated fields and several files). */
function partsArray(plan: DecoderPlan, target: TSchema, list: readonly FormPart[], pointer: string, issues: ValidationIssue[]): unknown {
  const items = itemsOf(target, plan.refs);
  const first = list[0];
  const packed = list.length === 1 && !isBinarySchema(items, plan.refs) && first.bytes === undefined && /^\s*\[/.test(first.text ?? '');
  if (packed) return parseJson(first.text!, pointer, issues);
  return list.map((part, i) => partValue(plan, part, undefined, items, `${pointer}/${i}`, issues));
}

/** `multipart/form-data` parts into the body schema's shape. */
function decodeMultipart(plan: DecoderPlan, parts: readonly FormPart[]): DecodedForm {
  const issues: ValidationIssue[] = [];
  const groups = group(parts.map((p) => [p.name.endsWith('[]') ? p.name.slice(0, -2) : p.name, p] as const));
  const value: Record<string, unknown> = {};
  for (const [name, list] of groups) {
    const pointer = `/${escapePointer(name)}`;
    if (keyPath(name).includes(forbidden)) {
      issues.push({ pointer, message: 'is a forbidden property name' });
      continue;
    }
    const field = plan.declared.has(name) ? plan.fields.find((f) => f.name === name) : undefined;
    const target = field?.schema ?? plan.additional;
    if (target && shapeOf(target, plan.refs) === 'array') value[name] = partsArray(plan, target, list, pointer, issues);
    else value[name] = oneOrAll(list.map((part) => partValue(plan, part, field, target, pointer, issues)));
  }
  return { value, issues };
}

/** Compiles a decoder for one body schema and its media type's `encoding` object. */
export function createFormDecoder(schema: TSchema, references: readonly TSchema[], encoding: Record<string, FieldEncoding> = {}): FormDecoder {
  const refs = refMap(references);
  const fields: Field[] = [...propertiesOf(schema, refs)].map(([name, sub]) => {
    const enc = cleanEncoding(encoding[name]);
    return { name, schema: sub, shape: shapeOf(sub, refs), encoding: enc, json: enc.contentType !== undefined && mediaKind(enc.contentType) === 'json' };
  });
  const plan: DecoderPlan = { references, refs, fields, declared: new Set(fields.map((f) => f.name)), additional: additionalPropertiesOf(schema, refs) };
  return { form: (pairs) => decodeForm(plan, pairs), multipart: (parts) => decodeMultipart(plan, parts) };
}
