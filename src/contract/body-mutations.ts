import type { TSchema } from '@sinclair/typebox';
import type { MutationKind } from './contract-types.js';
import { followRef } from '../openapi/follow-ref.js';
import { escapePointerToken, pointerTokens } from './json-pointer.js';

// Negative bodies: a valid body broken in exactly one place. Every candidate is validated and kept
// only when the schema really rejects it, so a permissive schema never yields a false "accepted invalid input".

type Node = Record<string | symbol, unknown>;

/** One body broken in one place. */
export interface BodyMutation {
  kind: MutationKind;
  pointer: string;
  body: unknown;
}

const MAX_MUTATIONS = 24;
const MAX_DEPTH = 8;

function isNode(v: unknown): v is Node {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function primaryType(node: Node, refs: Map<string, TSchema>): string | undefined {
  if (typeof node.type === 'string') return node.type;
  if (Array.isArray(node.type)) return (node.type as string[]).find((t) => t !== 'null');
  const union = (node.anyOf ?? node.oneOf) as unknown[] | undefined;
  if (Array.isArray(union)) {
    for (const branch of union) {
      if (!isNode(branch)) continue;
      const t = primaryType(followRef(branch, refs), refs);
      if (t && t !== 'null') return t;
    }
  }
  if (isNode(node.properties)) return 'object';
  return undefined;
}

function wrongValueFor(type: string): unknown {
  switch (type) {
    case 'string':
      return 12345;
    case 'integer':
    case 'number':
      return 'iwkit-not-a-number';
    case 'boolean':
      return 'iwkit-not-a-boolean';
    case 'array':
      return 'iwkit-not-an-array';
    case 'object':
      return 'iwkit-not-an-object';
    default:
      return undefined;
  }
}

/** The branches that describe a value's children: the node itself, allOf members, and union branches. */
function facets(node: Node, refs: Map<string, TSchema>, depth = 0): Node[] {
  if (depth > 8) return [];
  const out = [node];
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    const list = node[key];
    if (Array.isArray(list)) for (const m of list) if (isNode(m)) out.push(...facets(followRef(m, refs), refs, depth + 1));
  }
  return out;
}

function setAt(root: unknown, pointer: string, value: unknown, remove: boolean): unknown {
  const tokens = pointerTokens(pointer);
  if (tokens.length === 0) return value;
  const copy = structuredClone(root) as Record<string, unknown>;
  let parent: Record<string, unknown> = copy;
  for (const token of tokens.slice(0, -1)) parent = parent[token] as Record<string, unknown>;
  const last = tokens[tokens.length - 1];
  if (remove) delete parent[last];
  else parent[last] = value;
  return copy;
}

/** Bodies that break `schema` in one place each, derived from the valid `base`. */
export function bodyMutations(schema: TSchema, base: unknown, references: TSchema[], isValid: (value: unknown) => boolean): BodyMutation[] {
  const refs = new Map(references.map((r) => [String(r.$id), r]));
  const out: BodyMutation[] = [];
  const seen = new Set<string>();
  const tryAdd = (kind: MutationKind, pointer: string, body: unknown): void => {
    const key = `${kind}:${pointer}`;
    if (out.length >= MAX_MUTATIONS || seen.has(key)) return;
    seen.add(key);
    if (!isValid(body)) out.push({ kind, pointer, body });
  };

  const walk = (raw: unknown, value: unknown, pointer: string, depth: number): void => {
    if (!isNode(raw) || depth > MAX_DEPTH || out.length >= MAX_MUTATIONS) return;
    const node = followRef(raw, refs);
    const type = primaryType(node, refs);
    const wrong = type ? wrongValueFor(type) : undefined;
    if (wrong !== undefined) tryAdd('wrong-type', pointer, setAt(base, pointer, wrong, false));
    if (value !== null) tryAdd('null-not-allowed', pointer, setAt(base, pointer, null, false));
    const all = facets(node, refs);
    const format = all.map((f) => f.format).find((f) => typeof f === 'string');
    if (typeof format === 'string' && typeof value === 'string') tryAdd('bad-format', pointer, setAt(base, pointer, `iwkit-not-a-${format}`, false));
    if (all.some((f) => Array.isArray(f.enum))) tryAdd('not-in-enum', pointer, setAt(base, pointer, 'iwkit-not-in-enum', false));

    if (isNode(value)) {
      const record = value as Record<string, unknown>;
      for (const facet of all) {
        if (Array.isArray(facet.required)) {
          for (const key of facet.required as string[]) {
            if (key in record) tryAdd('missing-required', `${pointer}/${escapePointerToken(key)}`, setAt(base, `${pointer}/${escapePointerToken(key)}`, undefined, true));
          }
        }
      }
      for (const facet of all) {
        if (!isNode(facet.properties)) continue;
        for (const [key, sub] of Object.entries(facet.properties as Node)) {
          if (key in record) walk(sub, record[key], `${pointer}/${escapePointerToken(key)}`, depth + 1);
        }
      }
    } else if (Array.isArray(value) && value.length > 0) {
      const items = all.map((f) => f.items).find(isNode);
      if (items) walk(items, value[0], `${pointer}/0`, depth + 1);
    }
  };

  walk(schema, base, '', 0);
  return out;
}
