import { joinPointer, resolvePointer } from './json-pointer.js';

// JSON Schema 2020-12 identifiers inside one OpenAPI document: schema resources (`$id`), `$anchor`,
// `$dynamicAnchor` (and 2019-09's `$recursiveAnchor`), so that the converter can resolve `$ref`s to
// anchors and ids and resolve `$dynamicRef` statically along the path it converts. Everything is
// indexed lazily: a document without such keywords pays one walk for `usesDynamicRefs` at most.

/** The base URI of the document itself (relative `$id`s resolve against it). */
export const DOCUMENT_BASE = 'https://iwkit.invalid/document';

/** The anchor name a 2019-09 `$recursiveAnchor: true` stands for. */
export const RECURSIVE_ANCHOR = '#recursive';

/** One schema resource on the dynamic scope: its root pointer, base URI and schema. */
export interface Resource {
  pointer: string;
  base: string;
  schema: unknown;
}

/** A resolved reference: where the schema is (for messages and component names) and the schema itself. */
export interface Target {
  pointer: string;
  schema: unknown;
}

interface Anchors {
  dynamic: Map<string, Target>;
  plain: Map<string, Target>;
}

type Raw = Record<string, unknown>;

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
  private readonly anchorsByResource = new WeakMap<object, Anchors>();
  private readonly namesFrom = new WeakMap<object, Set<string>>();
  private dynamic: boolean | undefined;

  constructor(private readonly document: Record<string, unknown>) {}

  /** The document as a resource (bottom of every dynamic scope). */
  get root(): Resource {
    return { pointer: '#', base: DOCUMENT_BASE, schema: this.document };
  }

  /** True when the document uses `$dynamicRef` or `$recursiveRef` anywhere. */
  usesDynamicRefs(): boolean {
    if (this.dynamic === undefined) this.dynamic = containsKey(this.document, ['$dynamicRef', '$recursiveRef'], 0);
    return this.dynamic;
  }

  /** The resource a schema with `$id` starts, resolved against the enclosing resource. */
  resourceFor(schema: Raw, pointer: string, enclosing: Resource): Resource | undefined {
    if (typeof schema.$id !== 'string') return undefined;
    const url = resolveUrl(schema.$id, enclosing.base);
    return url ? { pointer, base: withoutFragment(url)[0], schema } : undefined;
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
    const key = typeof resource.schema === 'object' && resource.schema !== null ? resource.schema : this.document;
    let anchors = this.anchorsByResource.get(key);
    if (!anchors) {
      anchors = { dynamic: new Map(), plain: new Map() };
      collectAnchors(resource.schema, resource.pointer, anchors, true, 0);
      this.anchorsByResource.set(key, anchors);
    }
    return anchors;
  }

  private at(pointer: string): Target | undefined {
    const schema = resolvePointer(this.document, pointer);
    return schema === undefined ? undefined : { pointer, schema };
  }

  /** Resolves a `$ref` (JSON pointer, anchor, `$id` URL with optional fragment) seen within `scope`. */
  resolve(ref: string, scope: Resource[]): Target | undefined {
    const inner = scope[scope.length - 1] ?? this.root;
    if (ref === '#') return inner.pointer === '#' ? undefined : { pointer: inner.pointer, schema: inner.schema };
    if (ref.startsWith('#/')) {
      // OpenAPI authors mean `#/components/...` of the document even inside an `$id`; `#/$defs/x` of the resource.
      const inDocument = this.at(ref);
      if (inDocument) return inDocument;
      if (inner.pointer !== '#') {
        const schema = resolvePointer(inner.schema, ref);
        if (schema !== undefined) return { pointer: `${inner.pointer}${ref.slice(1)}`, schema };
      }
      return undefined;
    }
    if (ref.startsWith('#')) return this.anchorTarget(safeDecode(ref.slice(1)), scope);
    const url = resolveUrl(ref, inner.base);
    if (!url) return undefined;
    const [resourceUrl, fragment] = withoutFragment(url);
    const pointer = this.idPointer(resourceUrl);
    const resource = pointer === undefined ? undefined : this.at(pointer);
    if (!resource) return undefined;
    if (fragment === '') return resource;
    if (fragment.startsWith('/')) {
      const schema = resolvePointer(resource.schema, `#${fragment}`);
      return schema === undefined ? undefined : { pointer: `${resource.pointer}${fragment}`, schema };
    }
    const anchors = this.anchors({ pointer: resource.pointer, base: resourceUrl, schema: resource.schema });
    const name = safeDecode(fragment);
    return anchors.plain.get(name) ?? anchors.dynamic.get(name);
  }

  private anchorTarget(name: string, scope: Resource[]): Target | undefined {
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
  resolveDynamic(name: string, scope: Resource[]): Target | undefined {
    const inner = scope[scope.length - 1] ?? this.root;
    const innerAnchors = this.anchors(inner);
    if (!innerAnchors.dynamic.has(name)) {
      if (name === RECURSIVE_ANCHOR) return inner.pointer === '#' ? undefined : { pointer: inner.pointer, schema: inner.schema };
      return this.anchorTarget(name, scope);
    }
    for (const resource of scope) {
      const found = this.anchors(resource).dynamic.get(name);
      if (found) return found;
    }
    return innerAnchors.dynamic.get(name);
  }

  /** Dynamic anchor names a `$dynamicRef` reachable from `target` (through `$ref`s) may use. */
  dynamicNames(target: Target, scope: Resource[]): Set<string> {
    const key = typeof target.schema === 'object' && target.schema !== null ? target.schema : undefined;
    const known = key ? this.namesFrom.get(key) : undefined;
    if (known) return known;
    const names = new Set<string>();
    const seen = new Set<unknown>();
    const stack: unknown[] = [target.schema];
    while (stack.length > 0) {
      const schema = stack.pop();
      if (seen.has(schema)) continue;
      seen.add(schema);
      walkRefs(schema, 0, (keyword, value) => {
        if (keyword === '$dynamicRef' && value.startsWith('#')) names.add(safeDecode(value.slice(1)));
        else if (keyword === '$recursiveRef') names.add(RECURSIVE_ANCHOR);
        else if (keyword === '$ref') {
          const next = this.resolve(value, scope);
          if (next) stack.push(next.schema);
        }
      });
    }
    if (key) this.namesFrom.set(key, names);
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
  const target = { pointer, schema };
  if (typeof schema.$anchor === 'string' && !anchors.plain.has(schema.$anchor)) anchors.plain.set(schema.$anchor, target);
  if (typeof schema.$dynamicAnchor === 'string' && !anchors.dynamic.has(schema.$dynamicAnchor)) anchors.dynamic.set(schema.$dynamicAnchor, target);
  if (root && schema.$recursiveAnchor === true) anchors.dynamic.set(RECURSIVE_ANCHOR, target);
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
