import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Operation } from '../../src/openapi/api-model.js';

// A validator that shares no code with iwkit: ajv (2020-12 for OpenAPI 3.1, draft-07 for 3.0) with ajv-formats, over
// the raw document. Tests use it to prove that what iwkit generates is valid by someone else's reading of the spec.

type Node = Record<string, unknown>;
type Direction = 'request' | 'response';

const addFormats = addFormatsModule as unknown as (ajv: object) => void;
/** OpenAPI's own formats, which JSON Schema validators do not know: any value of the type passes. */
const OPENAPI_FORMATS = ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password'];

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** OpenAPI 3.0's dialect in JSON Schema terms: `nullable`, boolean exclusive bounds. */
function from30(node: Node): Node {
  const copy: Node = { ...node };
  for (const [exclusive, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (typeof copy[exclusive] === 'boolean') {
      if (copy[exclusive] === true && typeof copy[bound] === 'number') copy[exclusive] = copy[bound];
      else delete copy[exclusive];
      if (typeof copy[exclusive] === 'number') delete copy[bound];
    }
  }
  if (copy.nullable !== true) return copy;
  delete copy.nullable;
  if (Array.isArray(copy.enum) && !copy.enum.includes(null)) copy.enum = [...copy.enum, null];
  if (typeof copy.type === 'string') return { ...copy, type: [copy.type, 'null'] };
  return { anyOf: [copy, { type: 'null' }] };
}

/** `required` names no property the other side of the exchange never sees (readOnly in requests, writeOnly in responses). */
function dropHidden(node: Node, direction: Direction, document: Node): void {
  if (!Array.isArray(node.required) || !isNode(node.properties)) return;
  const hidden = direction === 'response' ? 'writeOnly' : 'readOnly';
  const properties = node.properties;
  node.required = node.required.filter((name) => {
    const property = properties[String(name)];
    const target = isNode(property) && typeof property.$ref === 'string' && property.$ref.startsWith('#/') ? at(document, property.$ref) : property;
    return !(isNode(property) && property[hidden] === true) && !(isNode(target) && target[hidden] === true);
  });
}

function prepare(value: unknown, document: Node, direction: Direction, legacy: boolean): unknown {
  if (Array.isArray(value)) return value.map((item) => prepare(item, document, direction, legacy));
  if (!isNode(value)) return value;
  const out: Node = {};
  for (const [key, child] of Object.entries(value)) {
    out[key] = key === 'example' || key === 'examples' || key === 'const' || key === 'enum' || key === 'default' ? child : prepare(child, document, direction, legacy);
  }
  dropHidden(out, direction, document);
  // 3.1 documents still write 3.0's `nullable` (svix, resend) and mean it, as iwkit reads it too.
  return legacy || 'nullable' in out ? from30(out) : out;
}

/** Validates values against schemas of one OpenAPI document, addressed by JSON pointer (e.g. a media type's schema). */
export interface IndependentValidator {
  /** Error messages for `value` against the schema at `pointer` (`#/paths/...`); empty when valid; undefined when ajv cannot read that schema (it breaks JSON Schema, e.g. `type: String`, or a `$ref` dangles). */
  errors(pointer: string, direction: Direction, value: unknown): string[] | undefined;
}

/** Builds an ajv-based validator over `document` (3.0 or 3.1). */
export function independentValidator(document: Node): IndependentValidator {
  const legacy = !String(document.openapi).startsWith('3.1');
  const compiled = new Map<string, ValidateFunction>();
  const options = { strict: false, allErrors: false, validateSchema: false, logger: false } as const;
  const ajvs = new Map<Direction, Ajv | Ajv2020>();
  const ajvFor = (direction: Direction): Ajv | Ajv2020 => {
    let ajv = ajvs.get(direction);
    if (!ajv) {
      ajv = legacy ? new Ajv(options) : new Ajv2020(options);
      addFormats(ajv);
      for (const format of OPENAPI_FORMATS) if (!ajv.formats[format]) ajv.addFormat(format, true);
      ajv.addSchema(prepare(document, document, direction, legacy) as Node, `iwkit-test:${direction}`);
      ajvs.set(direction, ajv);
    }
    return ajv;
  };
  return {
    errors(pointer, direction, value) {
      const key = `${direction} ${pointer}`;
      let validate = compiled.get(key);
      if (!validate) {
        const fragment = pointer.slice(1).split('/').map((token) => encodeURIComponent(token)).join('/');
        try {
          validate = ajvFor(direction).compile({ $ref: `iwkit-test:${direction}#${fragment}` });
        } catch {
          return undefined;
        }
        compiled.set(key, validate);
      }
      if (validate(value)) return [];
      return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`);
    },
  };
}

function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function at(document: Node, pointer: string): unknown {
  let node: unknown = document;
  for (const token of pointer.slice(2).split('/')) node = (node as Node | undefined)?.[token.replace(/~1/g, '/').replace(/~0/g, '~')];
  return node;
}

/** Follows `$ref`s to the object's own pointer, as a validator addressing the document must. */
function follow(document: Node, pointer: string): string {
  let current = pointer;
  for (let hops = 0; hops < 10; hops += 1) {
    const node = at(document, current) as Node | undefined;
    if (!node || typeof node.$ref !== 'string') return current;
    current = node.$ref;
  }
  return current;
}

/** The pointer of the schema the spec declares for this status and media type, or undefined when it declares none. */
export function responseSchemaPointer(document: Node, op: Pick<Operation, 'path' | 'method'>, status: number, mediaType: string): string | undefined {
  const responses = follow(document, `#/paths/${escapeToken(op.path)}/${op.method}/responses`);
  const keys = Object.keys((at(document, responses) as Node) ?? {});
  const key = keys.find((k) => k === String(status)) ?? keys.find((k) => k.toUpperCase() === `${String(status)[0]}XX`) ?? keys.find((k) => k === 'default');
  if (!key) return undefined;
  const content = `${follow(document, `${responses}/${escapeToken(key)}`)}/content`;
  const types = Object.keys((at(document, content) as Node) ?? {});
  const [type, subtype] = mediaType.split('/');
  const declared = types.find((t) => t.split(';')[0].trim().toLowerCase() === mediaType)
    ?? types.find((t) => t === `${type}/*`) ?? types.find((t) => t === '*/*') ?? types.find((t) => t.endsWith(`+${subtype}`));
  if (!declared || at(document, `${content}/${escapeToken(declared)}/schema`) === undefined) return undefined;
  return `${content}/${escapeToken(declared)}/schema`;
}

