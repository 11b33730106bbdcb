import type { Operation } from '../../src/openapi/api-model.js';
import { independentAjv, to2020 } from './independent-ajv.js';

// A validator that shares no code with iwkit: ajv 2020 with ajv-formats over the raw document, read into 2020-12 by
// independent-ajv's own reading of the 3.0 dialect. Tests use it to prove that what iwkit generates is valid by
// someone else's reading of the spec.

type Node = Record<string, unknown>;
type Direction = 'request' | 'response';
type Ajv = ReturnType<typeof independentAjv>;
type Check = ReturnType<Ajv['compile']>;

const DOC_ID = 'https://iwkit.test/document';

/** Validates values against schemas of one OpenAPI document, addressed by JSON pointer (e.g. a media type's schema). */
export interface IndependentValidator {
  /** Error messages for `value` against the schema at `pointer` (`#/paths/...`); empty when valid; undefined when ajv cannot read that schema (it breaks JSON Schema, e.g. `type: String`, or a `$ref` dangles). */
  errors(pointer: string, direction: Direction, value: unknown): string[] | undefined;
}

/** Builds an ajv-based validator over `document` (3.0 or 3.1). */
export function independentValidator(document: Node): IndependentValidator {
  const compiled = new Map<string, Check>();
  const ajvs = new Map<Direction, Ajv>();
  const ajvFor = (direction: Direction): Ajv => {
    let ajv = ajvs.get(direction);
    if (!ajv) {
      ajv = independentAjv();
      const read = to2020(document, {
        direction,
        deref: (ref) => (ref.startsWith('#/') ? at(document, ref) : undefined),
        rewriteRef: (ref) => (ref.startsWith('#/') ? `${DOC_ID}/${direction}${ref}` : ref),
      }) as Node;
      ajv.addSchema({ ...read, $id: `${DOC_ID}/${direction}` }, undefined, undefined, false);
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
          validate = ajvFor(direction).compile({ $ref: `${DOC_ID}/${direction}#${fragment}` });
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

