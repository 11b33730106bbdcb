import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import type { OpenAPIV3_1 } from 'openapi-types';
import { toolkitError } from '../errors.js';
// The full JSON Schema engine: every loadApi caller runs on Node, where its size does not matter.
import './ajv-engine.js';
import type { Api } from './api-model.js';
import { registerFormats } from './formats.js';
import { escapePointerToken, joinPointer, resolvePointer } from './json-pointer.js';
import { bundlerUrlResolver, createSpecFetcher, isSpecUrl, resolveUrlRef, specLabel, type SpecFetcher, type SpecFetchLimits } from './fetch-spec-text.js';
import { documentWarnings } from './document-warnings.js';
import { parseSpecText } from './parse-spec-text.js';
import { apiFromDocument } from './build-api.js';

type RawDocument = Record<string, unknown>;

const SUPPORTED_VERSION = /^3\.[01]\.\d+(-.+)?$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function readSpecText(file: string, label: string, fetcher: SpecFetcher): Promise<string> {
  try {
    return isSpecUrl(file) ? await fetcher.fetchText(file) : await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw toolkitError('IWKIT_ERR_SPEC_READ', label, code === 'ENOENT' ? 'no such file' : (error as Error).message);
  }
}

function checkVersion(raw: unknown, label: string): asserts raw is RawDocument {
  if (!isObject(raw)) throw toolkitError('IWKIT_ERR_SPEC_INVALID', label, 'the document is not an object');
  if ('swagger' in raw) throw toolkitError('IWKIT_ERR_SPEC_VERSION', label, `swagger ${String(raw.swagger)}`);
  if (!('openapi' in raw)) throw toolkitError('IWKIT_ERR_SPEC_INVALID', label, 'not an OpenAPI document: the "openapi" field is missing');
  if (!SUPPORTED_VERSION.test(String(raw.openapi))) throw toolkitError('IWKIT_ERR_SPEC_VERSION', label, `openapi ${String(raw.openapi)}`);
}

interface RefSite {
  holder: Record<string, unknown>;
  pointer: string;
  inSchema: boolean;
}

const DATA_KEYWORDS = new Set(['example', 'examples', 'default', 'const', 'enum']);

/** Every `$ref` holder in `value`, with its pointer and whether it sits where a schema is expected; example and default values are data and are skipped. */
function collectRefs(value: unknown, pointer: string, inSchema: boolean, out: RefSite[], parentKey = ''): RefSite[] {
  if (Array.isArray(value)) {
    value.forEach((item, index) => collectRefs(item, joinPointer(pointer, index), inSchema, out));
  } else if (isObject(value)) {
    if (typeof value.$ref === 'string') out.push({ holder: value, pointer, inSchema });
    for (const [key, child] of Object.entries(value)) {
      const childPointer = joinPointer(pointer, key);
      if (parentKey !== 'properties' && key === 'examples' && !inSchema && isObject(child)) {
        // A map of Example Objects: only their own $refs matter, never their values.
        for (const [name, example] of Object.entries(child)) {
          if (isObject(example) && typeof example.$ref === 'string') out.push({ holder: example, pointer: joinPointer(childPointer, name), inSchema: false });
        }
        continue;
      }
      if (parentKey !== 'properties' && (key === 'example' || (inSchema && DATA_KEYWORDS.has(key)))) continue;
      collectRefs(child, childPointer, inSchema || key === 'schema' || pointer === '#/components/schemas', out, key);
    }
  }
  return out;
}

interface ExternalTarget {
  file: string;
  fragment: string;
}

// A document read from a URL resolves its refs against that URL; a file against its folder.
const refBase = (location: string): string => (isSpecUrl(location) ? location : dirname(location));

function splitRef(ref: string, baseDir: string): ExternalTarget | undefined {
  if (!ref.startsWith('#') && isSpecUrl(baseDir)) return resolveUrlRef(ref, baseDir);
  if (ref.startsWith('#') || isSpecUrl(ref)) return undefined;
  const hash = ref.indexOf('#');
  const filePart = hash < 0 ? ref : ref.slice(0, hash);
  const fragment = hash < 0 ? '' : ref.slice(hash + 1);
  return { file: isAbsolute(filePart) ? filePart : resolve(baseDir, filePart), fragment };
}

/** Reads each external file once and gives each external schema one name in `components/schemas`. */
class SchemaHoister {
  private readonly files = new Map<string, unknown>();
  private readonly names = new Map<string, string>();
  private readonly taken: Set<string>;

  constructor(
    private readonly schemas: Record<string, unknown>,
    private readonly fetcher: SpecFetcher,
  ) {
    this.taken = new Set(Object.keys(schemas));
  }

  /** The parsed content of a file or URL, read on first use; `site` and `ref` name the reference in an error. */
  async load(file: string, site: string, ref: string): Promise<unknown> {
    if (this.files.has(file)) return this.files.get(file);
    let text: string;
    try {
      text = isSpecUrl(file) ? await this.fetcher.fetchText(file) : await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw toolkitError('IWKIT_ERR_SPEC_REF', site, `$ref ${ref}: cannot read ${file} (${code})`);
    }
    const content = await parseSpecText(text, file);
    this.files.set(file, content);
    // A URL document's own refs are read now, so a bad one is named here with its reason (the bundler drops reasons).
    if (isSpecUrl(file)) {
      for (const inner of collectRefs(content, `${file}#`, false, [])) {
        const innerRef = inner.holder.$ref as string;
        if (!innerRef.startsWith('#')) await this.load(resolveUrlRef(innerRef, file).file, inner.pointer, innerRef);
      }
    }
    return content;
  }

  /** A free component name for the target: its last pointer token, or its file's name, numbered when taken. */
  private nameFor(target: ExternalTarget): string {
    const tokens = target.fragment.split('/').filter(Boolean);
    const base = (tokens.length > 0 ? tokens[tokens.length - 1] : basename(target.file, extname(target.file))).replace(/[^A-Za-z0-9_.-]/g, '_') || 'Schema';
    let name = base;
    for (let n = 2; this.taken.has(name); n += 1) name = `${base}${n}`;
    this.taken.add(name);
    return name;
  }

  /** Hoists the target schema (and every schema reached from it) under its own name; returns the name. */
  async hoist(target: ExternalTarget, site: string, ref: string): Promise<string> {
    const key = `${target.file}#${target.fragment}`;
    const known = this.names.get(key);
    if (known) return known;
    const content = await this.load(target.file, site, ref);
    const found = target.fragment === '' || target.fragment === '/' ? content : resolvePointer(content, `#${target.fragment}`);
    if (found === undefined) throw toolkitError('IWKIT_ERR_SPEC_REF', site, `$ref ${ref}: ${target.file} has no ${target.fragment}`);
    const name = this.nameFor(target);
    this.names.set(key, name);
    this.schemas[name] = { $ref: key };
    // Schemas reached from this one are hoisted too, so every external schema gets a name.
    for (const inner of collectRefs(found, key, true, [])) {
      const innerRef = inner.holder.$ref as string;
      const innerTarget = innerRef.startsWith('#') ? { file: target.file, fragment: innerRef.slice(1) } : splitRef(innerRef, refBase(target.file));
      if (innerTarget) await this.hoist(innerTarget, inner.pointer, innerRef);
    }
    return name;
  }
}

/**
 * Schemas referenced from other files are hoisted into `components/schemas` under their own name (the last
 * pointer token, or the file name), so they keep that name as a TypeBox reference and in generated code;
 * the bundler alone would inline them wherever it met them first. Relative file refs are made absolute
 * because the bundler resolves an in-memory document against the process's working directory.
 */
async function hoistExternalSchemas(raw: RawDocument, baseDir: string, label: string, fetcher: SpecFetcher): Promise<void> {
  const components = isObject(raw.components) ? raw.components : (raw.components = {});
  const schemas = isObject(components.schemas) ? components.schemas : (components.schemas = {});
  const hoister = new SchemaHoister(schemas, fetcher);
  for (const site of collectRefs(raw, '#', false, [])) {
    const ref = site.holder.$ref as string;
    const target = splitRef(ref, baseDir);
    if (!target) continue;
    const where = `${label}#${site.pointer.slice(1)}`;
    const isComponentItself = site.pointer.startsWith('#/components/schemas/') && site.pointer.split('/').length === 4;
    if (site.inSchema && !isComponentItself) {
      site.holder.$ref = `#/components/schemas/${escapePointerToken(await hoister.hoist(target, where, ref))}`;
    } else {
      await hoister.load(target.file, where, ref);
      site.holder.$ref = `${target.file}#${target.fragment}`;
    }
  }
}

/** Finds where the document uses `ref`, to name that place in an error. */
function refSite(raw: RawDocument, ref: string): string | undefined {
  return collectRefs(raw, '#', false, []).find((site) => site.holder.$ref === ref)?.pointer;
}

function bundleError(error: unknown, raw: RawDocument, label: string): Error {
  const { code, message } = error as { code?: string; message?: string };
  const text = message ?? String(error);
  if (code === 'EMISSINGPOINTER' || code === 'ERESOLVER' || code === 'EUNMATCHEDRESOLVER') {
    const ref = /"([^"]+)"/.exec(text)?.[1];
    const site = ref ? refSite(raw, ref) : undefined;
    return toolkitError('IWKIT_ERR_SPEC_REF', site ? `${label}#${site.slice(1)}` : label, text);
  }
  if (code === 'EPARSER') return toolkitError('IWKIT_ERR_SPEC_PARSE', label, text.split('\n')[0]);
  return toolkitError('IWKIT_ERR_SPEC_INVALID', label, text);
}

/** True when a `$ref` in a place that refers (not inside example or default data) points outside the document. */
function hasExternalRef(raw: RawDocument): boolean {
  return collectRefs(raw, '#', false, []).some((site) => !(site.holder.$ref as string).startsWith('#'));
}

// Bundling and validating load ajv and compile the OpenAPI meta-schema: most of a start's time.
// A document already found valid (same bytes, no refs to other files) reuses that verdict.
const cacheDir = join(tmpdir(), 'iwkit-spec-cache');
const cacheVersion = 'v2';

interface Validated {
  document: RawDocument;
  warnings: string[];
}

async function readValidated(key: string): Promise<Validated | undefined> {
  try {
    return JSON.parse(await readFile(join(cacheDir, `${key}.json`), 'utf8')) as Validated;
  } catch {
    return undefined;
  }
}

async function writeValidated(key: string, value: Validated): Promise<void> {
  try {
    await mkdir(cacheDir, { recursive: true });
    const temp = join(cacheDir, `${key}.${process.pid}.tmp`);
    await writeFile(temp, JSON.stringify(value));
    await rename(temp, join(cacheDir, `${key}.json`));
  } catch {
    // A cache that cannot be written only costs the next start some time.
  }
}

function cacheKey(kind: string, strict: boolean, content: string): string | undefined {
  if (process.env.IWKIT_SPEC_CACHE === '0') return undefined;
  return createHash('sha256').update(cacheVersion).update(kind).update(strict ? 'strict' : 'lenient').update(content).digest('hex');
}

/**
 * Example and default values are data: a `$ref`-looking key inside one (Square's examples hold 60, pointing at URLs)
 * must reach clients as written, never be fetched or inlined. They are swapped for placeholders while the bundler runs.
 */
function stashDataRefs(raw: RawDocument): (document: RawDocument) => void {
  const stash = new Map<string, unknown>();
  const hasRef = (value: unknown): boolean =>
    Array.isArray(value) ? value.some(hasRef) : isObject(value) && ('$ref' in value || Object.values(value).some(hasRef));
  const walk = (node: unknown, replace: (holder: Record<string, unknown>, key: string) => void): void => {
    if (Array.isArray(node)) node.forEach((item) => walk(item, replace));
    else if (isObject(node)) for (const key of Object.keys(node)) replace(node, key);
  };
  const hide = (holder: Record<string, unknown>, key: string): void => {
    const value = holder[key];
    if ((key === 'example' || key === 'value' || key === 'default') && hasRef(value)) {
      const token = `\u0000iwkit-data-${stash.size}`;
      stash.set(token, value);
      holder[key] = token;
    } else walk(value, hide);
  };
  walk(raw, hide);
  const show = (holder: Record<string, unknown>, key: string): void => {
    const value = holder[key];
    if (typeof value === 'string' && stash.has(value)) holder[key] = stash.get(value);
    else walk(value, show);
  };
  return (document) => {
    if (stash.size > 0) walk(document, show);
  };
}

async function bundle(raw: RawDocument, label: string, fetcher?: SpecFetcher): Promise<RawDocument> {
  const pristine = structuredClone(raw);
  const restore = stashDataRefs(raw);
  const parser = await import('@readme/openapi-parser');
  try {
    // A document from a URL reads its refs through the same bounded fetcher, and never from the local disk. The parser
    // keeps only its `file` and `http` resolver slots (and turns `http: false` into its own resolver), hence this shape.
    const resolvers = fetcher ? { file: bundlerUrlResolver(fetcher), http: { canRead: false } } : { file: true, http: false };
    const document = (await parser.bundle(raw as unknown as OpenAPIV3_1.Document, { resolve: { external: true, ...resolvers } as never })) as unknown as RawDocument;
    restore(document);
    return document;
  } catch (error) {
    throw bundleError(error, pristine, label);
  }
}

/** Strict: the OpenAPI parser's full validation, and any finding refuses the document. */
async function validateStrictly(document: RawDocument, label: string): Promise<string[]> {
  const { compileErrors, validate } = await import('@readme/openapi-parser');
  let result: Awaited<ReturnType<typeof validate>>;
  try {
    result = await validate(structuredClone(document) as unknown as OpenAPIV3_1.Document, { resolve: { external: false } });
  } catch (error) {
    throw bundleError(error, document, label);
  }
  if (!result.valid) throw toolkitError('IWKIT_ERR_SPEC_INVALID', label, compileErrors(result));
  return result.warnings.map((w) => w.message);
}

async function bundleAndValidate(raw: RawDocument, label: string, strict: boolean, external: boolean, fetcher?: SpecFetcher): Promise<Validated> {
  const key = external ? undefined : cacheKey('document', strict, JSON.stringify(raw));
  const hit = key ? await readValidated(key) : undefined;
  if (hit) return hit;
  // A self-contained document is already bundled; strict mode bundles anyway, which also proves every local $ref.
  const document = external || strict ? await bundle(raw, label, fetcher) : raw;
  const warnings = strict ? await validateStrictly(document, label) : await documentWarnings(document);
  const validated = { document, warnings };
  if (key) await writeValidated(key, validated);
  return validated;
}

/** Options of {@link loadApi}. */
export interface LoadApiOptions {
  /** Resolves a relative spec path (default: the process's working directory). */
  cwd?: string;
  /** Refuse any document or schema problem with a coded error, instead of serving what can be served and warning. */
  strict?: boolean;
  /** Bounds on a spec read from an http(s) URL (default: {@link specFetchDefaults}). */
  fetch?: Partial<SpecFetchLimits>;
}

/**
 * Loads, bundles, validates and normalises an OpenAPI 3.0/3.1 document from a YAML/JSON path, an http(s) URL or an object.
 * Lenient by default: what breaks the OpenAPI schema, or cannot be honoured in one operation, becomes a warning
 * (`api.warnings`), and an operation that cannot be served at all is listed in `api.unserved`.
 */
export async function loadApi(source: string | object, options: LoadApiOptions = {}): Promise<Api> {
  registerFormats();
  const strict = options.strict === true;
  const cwd = options.cwd ?? process.cwd();
  const file = typeof source === 'string' ? (isSpecUrl(source) ? source : resolve(cwd, source)) : undefined;
  const label = file ? specLabel(file) : '<object>';
  const fetcher = createSpecFetcher(options.fetch);
  const text = file ? await readSpecText(file, label, fetcher) : undefined;
  const remote = file !== undefined && isSpecUrl(file) ? fetcher : undefined;
  // A file that refers to no other file is known by its text alone: an unchanged one skips parsing too.
  const textKey = text !== undefined ? cacheKey('text', strict, text) : undefined;
  let validated = textKey ? await readValidated(textKey) : undefined;
  if (!validated) {
    const raw = text !== undefined && file ? await parseSpecText(text, file) : structuredClone(source);
    checkVersion(raw, label);
    // Hoisting keeps refs to other files external (under components), so one walk answers for both steps.
    const external = hasExternalRef(raw);
    await hoistExternalSchemas(raw, file ? (remote?.baseUrl() ?? refBase(file)) : cwd, label, fetcher);
    validated = await bundleAndValidate(raw, label, strict, external, remote);
    if (textKey && !external) await writeValidated(textKey, validated);
  }
  const { document } = validated;
  const warnings = [...validated.warnings];

  return apiFromDocument(document as Record<string, unknown>, { label, warnings, strict, ...(file ? { source: file } : {}) });
}
