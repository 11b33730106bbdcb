// An independent judge for tests: a fresh ajv 2020 + ajv-formats instance over the schemas as written (3.1), or
// over a small, separate reading of the 3.0 dialect into 2020-12 (nullable, boolean exclusive bounds, tuple items,
// readOnly/writeOnly per direction). It shares no code with src/openapi.
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

type Raw = Record<string, unknown>;

/** Patterns valid only without the `u` flag (`[a-z\_]`) are read without it, as OpenAPI tools commonly do. */
function regExp(pattern: string, flags: string): RegExp {
  try {
    return new RegExp(pattern, flags);
  } catch {
    return new RegExp(pattern, flags.replace('u', ''));
  }
}
regExp.code = 'testRegExp';

/** A fresh ajv 2020 instance with ajv-formats (full), unknown keywords and formats ignored. */
export function independentAjv(): InstanceType<typeof Ajv2020.default> {
  const ajv = new Ajv2020.default({ strict: false, allErrors: true, logger: false, code: { regExp } });
  addFormats.default(ajv);
  return ajv;
}

const DATA = new Set(['example', 'examples', 'default', 'const', 'enum']);

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Options of the 3.0 → 2020-12 reading. */
export interface DialectOptions {
  /** Leave readOnly properties out of `required` (request) or writeOnly ones (response). */
  direction?: 'request' | 'response';
  /** Resolves a `$ref` to its target, to see readOnly/writeOnly through one reference. */
  deref?: (ref: string) => unknown;
  /** Rewrites `#/components/...` references (so that nested `$id`s do not change what they mean). */
  rewriteRef?: (ref: string) => string;
}

function flagged(schema: unknown, flag: 'readOnly' | 'writeOnly', options: DialectOptions): boolean {
  if (!isObject(schema)) return false;
  if (schema[flag] === true) return true;
  if (typeof schema.$ref === 'string' && options.deref) {
    const target = options.deref(schema.$ref);
    return isObject(target) && target[flag] === true;
  }
  return false;
}

/** Reads one OpenAPI schema (3.0 idioms allowed) as JSON Schema 2020-12. */
export function to2020(schema: unknown, options: DialectOptions = {}, depth = 0): unknown {
  if (depth > 200) return schema;
  if (Array.isArray(schema)) return schema.map((item) => to2020(item, options, depth + 1));
  if (!isObject(schema)) return schema;
  const out: Raw = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DATA.has(key)) out[key] = value;
    else if (key === '$ref' && typeof value === 'string') out.$ref = options.rewriteRef ? options.rewriteRef(value) : value;
    else if (key === 'properties' && isObject(value) && !(typeof value.$ref === 'string')) {
      const props: Raw = {};
      for (const [name, child] of Object.entries(value)) props[name] = to2020(child, options, depth + 1);
      out.properties = props;
    } else out[key] = to2020(value, options, depth + 1);
  }
  for (const [exclusive, inclusive] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']]) {
    if (out[exclusive] === true && typeof out[inclusive] === 'number') {
      out[exclusive] = out[inclusive];
      delete out[inclusive];
    } else if (typeof out[exclusive] === 'boolean') delete out[exclusive];
  }
  if (Array.isArray(out.items)) {
    out.prefixItems = out.items;
    delete out.items;
    if (out.additionalItems !== undefined) out.items = out.additionalItems;
  }
  if (options.direction && Array.isArray(out.required) && isObject(schema.properties)) {
    const props = schema.properties;
    const skip = options.direction === 'request' ? 'readOnly' : 'writeOnly';
    out.required = out.required.filter((name) => !flagged(props[String(name)], skip, options));
  }
  if (schema.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string' || Array.isArray(out.type)) {
      const types = Array.isArray(out.type) ? out.type : [out.type];
      if (!types.includes('null')) out.type = [...types, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    } else if (Object.keys(out).some((key) => ['allOf', 'anyOf', 'oneOf', '$ref', 'enum', 'const'].includes(key))) {
      return { anyOf: [out, { type: 'null' }] };
    }
  }
  return out;
}
