import { joinPointer, resolvePointer } from './json-pointer.js';

// JSON Schema 2020-12 identifiers inside one OpenAPI document: schema resources (`$id`), `$anchor`,
// `$dynamicAnchor` (and 2019-09's `$recursiveAnchor`), so that the converter can resolve `$ref`s to
// anchors and ids and resolve `$dynamicRef` statically along the path it converts. Everything is
// indexed lazily: a document without such keywords pays one walk for `usesDynamicRefs` at most.

/** The base URI of the document itself (relative `$id`s resolve against it). */
export const DOCUMENT_BASE = 'https://iwkit.invalid/document';

/** The anchor name a 2019-09 `$recursiveAnchor: true` stands for. */
export const RECURSIVE_ANCHOR = '#recursive';

/** One schema resource on the dynamic scope: its root pointer and base URI. */
export interface Resource {
  pointer: string;
  base: string;
}

interface Anchors {
  dynamic: Map<string, string>;
  plain: Map<string, string>;
}

type Raw = Record<string, unknown>;

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Values under these keys are data, never schemas.
const DATA_KEYS = new Set(['example', 'examples', 'default', 'const', 'enum']);

function resolveUrl(ref: string, base: string): string | undefined {
  try {
    return new URL(ref, base).href;
  } catch {
    return undefined;
  }
}

function withoutFragment(url: string): [string, string] {
  const hash = url.indexOf('#');
  return hash < 0 ? [url, ''] : [url.slice(0, hash), url.slice(hash + 1)];
}

/** The `$id`s, anchors and dynamic references of one document. */
export class SchemaResources {
  private ids: Map<string, string> | undefined;
  private readonly anchorsByResource = new Map<string, Anchors>();
  private readonly namesFrom = new Map<string, Set<string>>();
  private dynamic: boolean | undefined;

  constructor(private readonly document: Record<string, unknown>) {}

  /** The document as a resource (bottom of every dynamic scope). */
  readonly root: Resource = { pointer: '#', base: DOCUMENT_BASE };

  /** True when the document uses `$dynamicRef` or `$recursiveRef` anywhere. */
  usesDynamicRefs(): boolean {
    if (this.dynamic === undefined) this.dynamic = containsKey(this.document, ['$dynamicRef', '$recursiveRef'], 0);
    return this.dynamic;
  }

  /** The resource a schema with `$id` starts, resolved against the enclosing resource. */
  resourceFor(schema: Raw, pointer: string, enclosing: Resource): Resource | undefined {
    if (typeof schema.$id !== 'string') return undefined;
    const url = resolveUrl(schema.$id, enclosing.base);
    return url ? { pointer, base: withoutFragment(url)[0] } : undefined;
  }

  /** The pointer of the schema whose (resolved) `$id` is `url` (without fragment). */
  idPointer(url: string): string | undefined {
    if (!this.ids) {
      this.ids = new Map();
      this.indexIds(this.document, '#', DOCUMENT_BASE, 0);
    }
    return this.ids.get(url);
  }

  private indexIds(value: unknown, pointer: string, base: string, depth: number): void {
    if (depth > 256 || typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      value.forEach((item, index) => this.indexIds(item, joinPointer(pointer, index), base, depth + 1));
      return;
    }
    let here = base;
    if (typeof (value as Raw).$id === 'string') {
      const url = resolveUrl((value as Raw).$id as string, base);
      if (url) {
        here = withoutFragment(url)[0];
        if (!this.ids!.has(here)) this.ids!.set(here, pointer);
      }
    }
    for (const [key, child] of Object.entries(value)) {
      if (!DATA_KEYS.has(key)) this.indexIds(child, joinPointer(pointer, key), here, depth + 1);
    }
  }

  /** The anchors declared in a resource (not in resources nested inside it). */
  anchors(resource: Resource): Anchors {
    let anchors = this.anchorsByResource.get(resource.pointer);
    if (!anchors) {
      anchors = { dynamic: new Map(), plain: new Map() };
      const start = resource.pointer === '#' ? this.document : resolvePointer(this.document, resource.pointer);
      collectAnchors(start, resource.pointer, anchors, true, 0);
      this.anchorsByResource.set(resource.pointer, anchors);
    }
    return anchors;
  }

  /** Resolves a `$ref` (JSON pointer, anchor, `$id` URL with optional fragment) seen within `scope` to a document pointer. */
  resolve(ref: string, scope: Resource[]): string | undefined {
    const inner = scope[scope.length - 1] ?? this.root;
    if (ref === '#') return inner.pointer === '#' ? undefined : inner.pointer;
    if (ref.startsWith('#/')) {
      // OpenAPI authors mean `#/components/...` of the document even inside an `$id`; `#/$defs/x` of the resource.
      if (resolvePointer(this.document, ref) !== undefined) return ref;
      if (inner.pointer !== '#') {
        const relative = `${inner.pointer}${ref.slice(1)}`;
        if (resolvePointer(this.document, relative) !== undefined) return relative;
      }
      return undefined;
    }
    if (ref.startsWith('#')) return this.anchorPointer(safeDecode(ref.slice(1)), scope);
    const url = resolveUrl(ref, inner.base);
    if (!url) return undefined;
    const [resourceUrl, fragment] = withoutFragment(url);
    const pointer = this.idPointer(resourceUrl);
    if (pointer === undefined) return undefined;
    if (fragment === '') return pointer;
    if (fragment.startsWith('/')) {
      const target = `${pointer}${fragment}`;
      return resolvePointer(this.document, target) === undefined ? undefined : target;
    }
    const anchors = this.anchors({ pointer, base: resourceUrl });
    const name = safeDecode(fragment);
    return anchors.plain.get(name) ?? anchors.dynamic.get(name);
  }

  private anchorPointer(name: string, scope: Resource[]): string | undefined {
    for (let i = scope.length - 1; i >= 0; i--) {
      const anchors = this.anchors(scope[i]);
      const found = anchors.plain.get(name) ?? anchors.dynamic.get(name);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * Resolves `$dynamicRef: "#name"` (or `$recursiveRef: "#"` as RECURSIVE_ANCHOR) within the dynamic scope:
   * when the innermost resource declares it as a dynamic anchor, the outermost resource on the scope that
   * declares it wins; otherwise it is an ordinary reference.
   */
  resolveDynamic(name: string, scope: Resource[]): string | undefined {
    const inner = scope[scope.length - 1] ?? this.root;
    const innerAnchors = this.anchors(inner);
    if (!innerAnchors.dynamic.has(name)) {
      if (name === RECURSIVE_ANCHOR) return inner.pointer === '#' ? undefined : inner.pointer;
      return this.anchorPointer(name, scope);
    }
    for (const resource of scope) {
      const found = this.anchors(resource).dynamic.get(name);
      if (found) return found;
    }
    return innerAnchors.dynamic.get(name);
  }

  /** Dynamic anchor names a `$dynamicRef` reachable from the schema at `pointer` (through `$ref`s) may use. */
  dynamicNames(pointer: string, scope: Resource[]): Set<string> {
    const known = this.namesFrom.get(pointer);
    if (known) return known;
    const names = new Set<string>();
    const seen = new Set<string>();
    const stack = [pointer];
    while (stack.length > 0) {
      const at = stack.pop()!;
      if (seen.has(at)) continue;
      seen.add(at);
      walkRefs(resolvePointer(this.document, at), 0, (key, value) => {
        if (key === '$dynamicRef' && value.startsWith('#')) names.add(safeDecode(value.slice(1)));
        else if (key === '$recursiveRef') names.add(RECURSIVE_ANCHOR);
        else if (key === '$ref') {
          const target = this.resolve(value, scope);
          if (target) stack.push(target);
        }
      });
    }
    this.namesFrom.set(pointer, names);
    return names;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function containsKey(value: unknown, keys: string[], depth: number): boolean {
  if (depth > 256 || typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some((item) => containsKey(item, keys, depth + 1));
  for (const [key, child] of Object.entries(value)) {
    if (keys.includes(key) && typeof child === 'string') return true;
    if (!DATA_KEYS.has(key) && containsKey(child, keys, depth + 1)) return true;
  }
  return false;
}

function collectAnchors(value: unknown, pointer: string, anchors: Anchors, root: boolean, depth: number): void {
  if (depth > 256 || typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => collectAnchors(item, joinPointer(pointer, index), anchors, false, depth + 1));
    return;
  }
  const schema = value as Raw;
  // A nested `$id` starts another resource, whose anchors are its own.
  if (!root && typeof schema.$id === 'string') return;
  if (typeof schema.$anchor === 'string' && !anchors.plain.has(schema.$anchor)) anchors.plain.set(schema.$anchor, pointer);
  if (typeof schema.$dynamicAnchor === 'string' && !anchors.dynamic.has(schema.$dynamicAnchor)) anchors.dynamic.set(schema.$dynamicAnchor, pointer);
  if (root && schema.$recursiveAnchor === true) anchors.dynamic.set(RECURSIVE_ANCHOR, pointer);
  for (const [key, child] of Object.entries(schema)) {
    if (!DATA_KEYS.has(key)) collectAnchors(child, joinPointer(pointer, key), anchors, false, depth + 1);
  }
}

function walkRefs(value: unknown, depth: number, visit: (key: string, value: string) => void): void {
  if (depth > 256 || typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) walkRefs(item, depth + 1, visit);
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    if (typeof child === 'string' && (key === '$ref' || key === '$dynamicRef' || key === '$recursiveRef')) visit(key, child);
    else if (!DATA_KEYS.has(key)) walkRefs(child, depth + 1, visit);
  }
}
