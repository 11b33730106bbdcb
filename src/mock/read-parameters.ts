import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { followRef } from '../openapi/follow-ref.js';
import type { Parameter } from '../openapi/api-model.js';

// HTTP hands every parameter over as text; the spec's schema and serialisation style say what it means.

const delimiters: Record<string, string> = { simple: ',', form: ',', pipeDelimited: '|', spaceDelimited: ' ' };

function isArraySchema(schema: TSchema): boolean {
  return schema.type === 'array';
}

/** A compiled reader: turns the raw values of one request part into typed values, as the spec's styles say. */
export type ParameterReader = (raw: Record<string, unknown>) => Record<string, unknown>;

/** Compiles a reader for `parameters` (all of one location); header names are matched lower-case. */
export function createParameterReader(parameters: Parameter[], references: TSchema[]): ParameterReader {
  const refs = new Map(references.map((r) => [String(r.$id), r]));
  const plan = parameters.map((p) => {
    const schema = followRef(p.schema, refs);
    const key = p.in === 'header' ? p.name.toLowerCase() : p.name;
    return { key, name: p.name, schema: p.schema, array: isArraySchema(schema), delimiter: delimiters[p.style] ?? ',', explode: p.explode, style: p.style };
  });
  return (raw) => {
    const out: Record<string, unknown> = {};
    for (const item of plan) {
      let value = raw[item.key];
      if (value === undefined) continue;
      if (item.array) {
        const list = Array.isArray(value) ? value.map(String) : [String(value)];
        // form+explode repeats the key; every other style packs the items into one delimited value.
        value = item.style === 'form' && item.explode ? list : list.flatMap((v) => (v === '' ? [] : v.split(item.delimiter)));
      } else if (Array.isArray(value)) {
        value = value[0];
      }
      out[item.name] = Value.Convert(item.schema, references, value);
    }
    return out;
  };
}
