import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { followRef } from '../openapi/follow-ref.js';
import { isJsonMediaType } from '../openapi/media-type.js';
import type { Parameter } from '../openapi/api-model.js';
import { refMap } from './schema-shape.js';

// HTTP hands every parameter over as text; the spec's schema and serialisation style say what it means.

const delimiters: Record<string, string> = { simple: ',', form: ',', pipeDelimited: '|', spaceDelimited: ' ' };

type ValueKind = 'array' | 'object' | 'primitive';

function kindOf(schema: TSchema): ValueKind {
  return schema.type === 'array' ? 'array' : schema.type === 'object' ? 'object' : 'primitive';
}

function pairsToObject(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < list.length; i += 2) out[list[i]] = list[i + 1];
  return out;
}

function entriesToObject(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of list) {
    const eq = entry.indexOf('=');
    if (eq > 0) out[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return out;
}

/** A `simple` value (the text a `label` or `matrix` prefix leaves too): `a,b`, `k,v,k2,v2` or exploded `k=v,k2=v2`. */
function readSimple(text: string, kind: ValueKind, explode: boolean, separator = ','): unknown {
  if (kind === 'primitive') return text;
  const list = text === '' ? [] : text.split(explode ? separator : ',');
  if (kind === 'array') return list;
  return explode ? entriesToObject(list) : pairsToObject(list);
}

/** `.a` / `.a.b` (exploded) / `.a,b` / `.k=v.k2=v2` (exploded object). */
function readLabel(text: string, kind: ValueKind, explode: boolean): unknown {
  if (!text.startsWith('.')) return readSimple(text, kind, false);
  return readSimple(text.slice(1), kind, explode, '.');
}

/** `;name=a` / `;name=a,b` / `;name=a;name=b` (exploded) / `;k=v;k2=v2` (exploded object). */
function readMatrix(text: string, name: string, kind: ValueKind, explode: boolean): unknown {
  // Some APIs put free-form `;k=v` text where a plain string is declared: that text is the value.
  if (!text.startsWith(';')) return readSimple(text, kind, false);
  const prefix = `;${name}=`;
  if (kind === 'object' && explode) return entriesToObject(text.slice(1).split(';'));
  if (kind === 'array' && explode) {
    return text.slice(1).split(';').filter((e) => e === name || e.startsWith(`${name}=`)).map((e) => e.slice(name.length + 1));
  }
  if (text === `;${name}`) return readSimple('', kind, false);
  if (!text.startsWith(prefix)) return kind === 'primitive' ? text : readSimple(text.slice(1), kind, false);
  return readSimple(text.slice(prefix.length), kind, false);
}

/** Path and header values, whose style packs a whole array or object into one text. */
function readStyled(text: string, item: { name: string; style: string; explode: boolean; kind: ValueKind }): unknown {
  if (item.style === 'matrix') return readMatrix(text, item.name, item.kind, item.explode);
  if (item.style === 'label') return readLabel(text, item.kind, item.explode);
  return readSimple(text, item.kind, item.explode);
}

/** `name[a]=1&name[b][c]=2` (deepObject) → `{ a: '1', b: { c: '2' } }`; undefined when no key has the prefix. */
function readDeepObject(raw: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(raw)) {
    if (!key.startsWith(`${name}[`) || !key.endsWith(']')) continue;
    const path = key.slice(name.length + 1, -1).split('][');
    out ??= {};
    let node = out;
    for (const step of path.slice(0, -1)) {
      // Only own plain objects are walked: `__proto__` as a step must not reach a prototype.
      const next = Object.hasOwn(node, step) ? node[step] : undefined;
      node = (typeof next === 'object' && next !== null ? next : (node[step] = Object.create(null) as Record<string, unknown>)) as Record<string, unknown>;
    }
    node[path[path.length - 1]] = Array.isArray(value) ? value[0] : value;
  }
  return out;
}

/** A form+explode object spreads its properties over the query: `?role=admin&first=Alex`. */
function readSpreadObject(raw: Record<string, unknown>, properties: string[]): Record<string, unknown> | undefined {
  const present = properties.filter((name) => raw[name] !== undefined);
  return present.length === 0 ? undefined : Object.fromEntries(present.map((name) => [name, raw[name]]));
}

function parseJsonText(value: unknown): unknown {
  const text = String(Array.isArray(value) ? value[0] : value);
  try {
    return JSON.parse(text);
  } catch {
    // Left as text, the validator names what is wrong with it.
    return text;
  }
}

/** A compiled reader: turns the raw values of one request part into typed values, as the spec's styles say. */
export type ParameterReader = (raw: Record<string, unknown>) => Record<string, unknown>;

/** Compiles a reader for `parameters` (all of one location); header names are matched lower-case. */
export function createParameterReader(parameters: Parameter[], references: TSchema[]): ParameterReader {
  const refs = refMap(references);
  const plan = parameters.map((p) => {
    const target = followRef(p.schema, refs);
    const kind = kindOf(target);
    const key = p.in === 'header' ? p.name.toLowerCase() : p.name;
    // Path values and header objects arrive as one text that the style unpacks; query and header arrays repeat or split.
    const styled = p.in === 'path' ? kind !== 'primitive' || p.style !== 'simple' : p.in === 'header' && kind === 'object';
    const json = isJsonMediaType(p.contentType);
    const spread = p.in === 'query' && kind === 'object' && p.style === 'form' && p.explode ? Object.keys((target.properties ?? {}) as object) : undefined;
    // A string read as text needs no conversion: Value.Convert would only copy it, on every request.
    const text = kind === 'primitive' && target.type === 'string';
    return { key, name: p.name, schema: p.schema, kind, styled, json, spread, text, delimiter: delimiters[p.style] ?? ',', explode: p.explode, style: p.style };
  });
  return (raw) => {
    const out: Record<string, unknown> = {};
    for (const item of plan) {
      let value = raw[item.key];
      if (value === undefined && item.style === 'deepObject') value = readDeepObject(raw, item.key);
      if (value === undefined && item.spread) value = readSpreadObject(raw, item.spread);
      if (value === undefined) continue;
      if (item.json) {
        out[item.name] = parseJsonText(value);
        continue;
      }
      if (typeof value === 'object' && !Array.isArray(value)) {
        // Already shaped by deepObject or a spread form.
      } else if (item.styled) {
        value = readStyled(String(Array.isArray(value) ? value[0] : value), item);
      } else if (item.kind === 'array') {
        const list = Array.isArray(value) ? value.map(String) : [String(value)];
        // form+explode repeats the key; every other style packs the items into one delimited value.
        value = item.style === 'form' && item.explode ? list : list.flatMap((v) => (v === '' ? [] : v.split(item.delimiter)));
      } else if (Array.isArray(value)) {
        value = value[0];
      }
      out[item.name] = item.text && typeof value === 'string' ? value : Value.Convert(item.schema, references, value);
    }
    return out;
  };
}
