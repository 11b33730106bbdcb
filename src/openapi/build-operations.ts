import type { OpenAPIV3, OpenAPIV3_1 } from 'openapi-types';
import { toolkitError } from '../errors.js';
import type {
  HttpMethod,
  MediaTypeBody,
  NamedExample,
  Operation,
  Parameter,
  ParameterLocation,
  RequestBody,
  ResponseHeader,
  ResponseLink,
  ResponseSpec,
  SecurityRequirement,
  SecurityScheme,
  UnservedOperation,
} from './api-model.js';
import { isToolkitError } from '../errors.js';
import { joinPointer, resolvePointer } from './json-pointer.js';
import type { Direction, SchemaConverter } from './schema-to-typebox.js';

// Normalises the bundled document's paths into the flat Operation[] everything downstream reads.

type RawObject = Record<string, unknown>;
type Document = OpenAPIV3.Document | OpenAPIV3_1.Document;

const METHODS: HttpMethod[] = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const LOCATIONS = new Set<ParameterLocation>(['path', 'query', 'header', 'cookie']);
/** OpenAPI: header parameters with these names are ignored (the media type and security schemes say them). */
const RESERVED_HEADERS = new Set(['accept', 'content-type', 'authorization']);
/** Swagger 2 wrote a parameter's schema keywords on the parameter itself; documents still do. */
const INLINE_SCHEMA_KEYS = ['type', 'format', 'items', 'enum', 'default', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern'];

interface BuildContext {
  document: RawObject;
  converter: SchemaConverter;
  source: string;
  warnings: string[];
  strict: boolean;
}

function warn(context: BuildContext, pointer: string, message: string): void {
  const line = `${pointer}: ${message}`;
  if (!context.warnings.includes(line)) context.warnings.push(line);
}

function isObject(value: unknown): value is RawObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(context: BuildContext, pointer: string, message: string): Error {
  return toolkitError('IWKIT_ERR_SPEC_INVALID', `${context.source}#${pointer.slice(1)}`, message);
}

/** Follows `$ref` chains of non-schema objects (parameters, responses, examples...), returning the object and where it lives. */
function deref(value: unknown, pointer: string, context: BuildContext): { value: RawObject; pointer: string } {
  let current = value;
  let at = pointer;
  const seen = new Set<string>();
  while (isObject(current) && typeof current.$ref === 'string') {
    const ref = current.$ref;
    if (seen.has(ref)) throw toolkitError('IWKIT_ERR_SPEC_REF', `${context.source}#${at.slice(1)}`, `$ref ${ref} refers to itself`);
    seen.add(ref);
    const target = resolvePointer(context.document, ref);
    if (target === undefined) throw toolkitError('IWKIT_ERR_SPEC_REF', `${context.source}#${at.slice(1)}`, `$ref ${ref} does not resolve`);
    current = target;
    at = ref;
  }
  if (!isObject(current)) throw invalid(context, at, 'expected an object');
  return { value: current, pointer: at };
}

/** `user-id list` → `UserIdList`: identifier words from any text. */
export function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('');
}

/** `GET /users/{id}/posts` → `getUsersByIdPosts`: stable across runs and independent of document order. */
export function deriveOperationId(method: HttpMethod, path: string): string {
  const segments = path.split('/').filter(Boolean);
  const words = segments.map((segment) => {
    const param = /^\{(.+)\}$/.exec(segment);
    return param ? `By${pascal(param[1])}` : pascal(segment);
  });
  return `${method}${words.join('') || 'Root'}`;
}

function examplesOf(holder: RawObject, pointer: string, context: BuildContext): NamedExample[] {
  const examples: NamedExample[] = [];
  if ('example' in holder) examples.push({ name: 'default', value: holder.example });
  if (isObject(holder.examples)) {
    for (const [name, raw] of Object.entries(holder.examples)) {
      const { value: example, pointer: at } = deref(raw, joinPointer(pointer, 'examples', name), context);
      if (!('value' in example)) {
        context.warnings.push(`${at}: example "${name}" has no inline value (externalValue is not fetched) and is skipped`);
        continue;
      }
      const named: NamedExample = { name, value: example.value };
      if (typeof example.summary === 'string') named.summary = example.summary;
      examples.push(named);
    }
  }
  return examples;
}

function convert(schema: unknown, pointer: string, direction: Direction, context: BuildContext) {
  return context.converter.convert(schema ?? {}, pointer, direction);
}

/** A parameter or header described by `content` instead of `schema` takes its single media type's schema. */
function schemaHolder(object: RawObject, pointer: string): { schema: unknown; pointer: string; holder: RawObject; mediaType?: string } {
  if ('schema' in object) return { schema: object.schema, pointer: joinPointer(pointer, 'schema'), holder: object };
  if (isObject(object.content)) {
    const [mediaType, media] = Object.entries(object.content)[0] ?? [];
    if (mediaType && isObject(media)) {
      return { schema: media.schema, pointer: joinPointer(pointer, 'content', mediaType, 'schema'), holder: media, mediaType };
    }
  }
  return { schema: {}, pointer, holder: object };
}

/** A parameter without `schema` or `content` that carries Swagger 2 style keywords: they are its schema. */
function legacySchema(object: RawObject, pointer: string, context: BuildContext): RawObject | undefined {
  if ('schema' in object || 'content' in object || !INLINE_SCHEMA_KEYS.some((key) => key in object)) return undefined;
  if (context.strict) throw invalid(context, pointer, 'a parameter needs "schema" or "content"; Swagger 2 style keywords on the parameter are not OpenAPI 3');
  warn(context, pointer, 'Swagger 2 style schema keywords on the parameter itself are read as its schema');
  return Object.fromEntries(INLINE_SCHEMA_KEYS.filter((key) => key in object).map((key) => [key, object[key]]));
}

function buildParameter(raw: unknown, pointer: string, context: BuildContext): Parameter | undefined {
  const { value: object, pointer: at } = deref(raw, pointer, context);
  const location = object.in as ParameterLocation;
  if (!LOCATIONS.has(location)) {
    if (context.strict) throw invalid(context, joinPointer(at, 'in'), `unknown parameter location ${String(object.in)}`);
    warn(context, joinPointer(at, 'in'), `unknown parameter location ${String(object.in)}: the parameter is ignored`);
    return undefined;
  }
  if (location === 'header' && RESERVED_HEADERS.has(String(object.name).toLowerCase())) return undefined;
  const style = typeof object.style === 'string' ? object.style : location === 'query' || location === 'cookie' ? 'form' : 'simple';
  const explode = typeof object.explode === 'boolean' ? object.explode : style === 'form';
  const legacy = legacySchema(object, at, context);
  const { schema, pointer: schemaPointer, holder, mediaType } = legacy ? { schema: legacy, pointer: at, holder: object, mediaType: undefined } : schemaHolder(object, at);
  const parameter: Parameter = {
    name: String(object.name),
    in: location,
    required: location === 'path' ? true : object.required === true,
    style,
    explode,
    schema: convert(schema, schemaPointer, 'request', context),
    examples: [...examplesOf(object, at, context), ...(holder === object ? [] : examplesOf(holder, schemaPointer.replace(/\/schema$/, ''), context))],
  };
  if (typeof object.description === 'string') parameter.description = object.description;
  if (mediaType) parameter.contentType = mediaType;
  return parameter;
}

/** Path-level parameters, overridden by operation-level ones with the same location and name. */
function buildParameters(pathItem: RawObject, operation: RawObject, pathPointer: string, opPointer: string, context: BuildContext): Parameter[] {
  const merged = new Map<string, Parameter>();
  const add = (list: unknown, pointer: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((raw, index) => {
      const parameter = buildParameter(raw, joinPointer(pointer, 'parameters', index), context);
      if (!parameter) return;
      // Header names are case-insensitive in HTTP.
      const key = `${parameter.in}:${parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name}`;
      merged.set(key, parameter);
    });
  };
  add(pathItem.parameters, pathPointer);
  add(operation.parameters, opPointer);
  return [...merged.values()];
}

function buildContent(content: unknown, pointer: string, direction: Direction, context: BuildContext): MediaTypeBody[] {
  if (!isObject(content)) return [];
  return Object.entries(content).map(([contentType, raw]) => {
    const media = isObject(raw) ? raw : {};
    const mediaPointer = joinPointer(pointer, contentType);
    return {
      contentType,
      schema: convert(media.schema, joinPointer(mediaPointer, 'schema'), direction, context),
      examples: examplesOf(media, mediaPointer, context),
      ...(isObject(media.encoding) ? { encoding: media.encoding as MediaTypeBody['encoding'] } : {}),
    };
  });
}

function buildRequestBody(raw: unknown, pointer: string, context: BuildContext): RequestBody {
  const { value: body, pointer: at } = deref(raw, pointer, context);
  const requestBody: RequestBody = {
    required: body.required === true,
    content: buildContent(body.content, joinPointer(at, 'content'), 'request', context),
  };
  if (typeof body.description === 'string') requestBody.description = body.description;
  return requestBody;
}

function buildHeaders(headers: unknown, pointer: string, context: BuildContext): ResponseHeader[] {
  if (!isObject(headers)) return [];
  return Object.entries(headers)
    // The spec says a Content-Type response header is ignored: the media type says it.
    .filter(([name]) => name.toLowerCase() !== 'content-type')
    .map(([name, raw]) => {
      const { value: header, pointer: at } = deref(raw, joinPointer(pointer, name), context);
      const { schema, pointer: schemaPointer } = schemaHolder(header, at);
      return { name, required: header.required === true, schema: convert(schema, schemaPointer, 'response', context) };
    });
}

/** Numeric statuses ascending, then ranges (`2XX`), then `default`. */
function statusRank(status: string): number {
  if (status === 'default') return 10_000;
  if (/^[1-5]XX$/i.test(status)) return 1_000 + Number(status[0]);
  return Number(status);
}

/** A link or links object behind local `$ref`s; a reference that does not resolve reads as nothing (links only guide flows). */
function followLenient(value: unknown, context: BuildContext, hops = 0): unknown {
  if (!isObject(value) || typeof value.$ref !== 'string' || !value.$ref.startsWith('#/') || hops > 16) return value;
  return followLenient(resolvePointer(context.document, value.$ref), context, hops + 1);
}

function buildLinks(raw: unknown, context: BuildContext): ResponseLink[] {
  const links = followLenient(raw, context);
  if (!isObject(links)) return [];
  return Object.entries(links).flatMap(([name, rawLink]) => {
    const link = followLenient(rawLink, context);
    if (!isObject(link)) return [];
    const parameters = Object.fromEntries(Object.entries(isObject(link.parameters) ? link.parameters : {}).filter(([, e]) => typeof e === 'string')) as Record<string, string>;
    return [{
      name,
      ...(typeof link.operationId === 'string' ? { operationId: link.operationId } : {}),
      ...(typeof link.operationRef === 'string' ? { operationRef: link.operationRef } : {}),
      parameters,
    }];
  });
}

function buildResponses(responses: unknown, pointer: string, context: BuildContext): ResponseSpec[] {
  if (!isObject(responses)) return [];
  return Object.entries(responses)
    .filter(([status]) => !status.startsWith('x-'))
    .map(([status, raw]) => {
      const { value: response, pointer: at } = deref(raw, joinPointer(pointer, status), context);
      const links = buildLinks(response.links, context);
      return {
        status: /^[1-5]xx$/.test(status) ? status.toUpperCase() : status,
        description: String(response.description ?? ''),
        headers: buildHeaders(response.headers, joinPointer(at, 'headers'), context),
        content: buildContent(response.content, joinPointer(at, 'content'), 'response', context),
        ...(links.length > 0 ? { links } : {}),
      };
    })
    .sort((a, b) => statusRank(a.status) - statusRank(b.status));
}

function buildScheme(key: string, pointer: string, context: BuildContext): SecurityScheme | undefined {
  const schemes = resolvePointer(context.document, '#/components/securitySchemes');
  const raw = isObject(schemes) ? schemes[key] : undefined;
  if (raw === undefined) {
    const message = `security scheme "${key}" is not defined in #/components/securitySchemes`;
    if (context.strict) throw invalid(context, pointer, message);
    warn(context, pointer, `${message}: the requirement is ignored`);
    return undefined;
  }
  const { value: scheme } = deref(raw, joinPointer('#/components/securitySchemes', key), context);
  switch (scheme.type) {
    case 'apiKey':
      return { key, type: 'apiKey', in: scheme.in as 'header' | 'query' | 'cookie', name: String(scheme.name) };
    case 'http': {
      const http: SecurityScheme = { key, type: 'http', scheme: String(scheme.scheme).toLowerCase() };
      if (typeof scheme.bearerFormat === 'string') http.bearerFormat = scheme.bearerFormat;
      return http;
    }
    case 'oauth2':
    case 'openIdConnect':
    case 'mutualTLS':
      return { key, type: scheme.type };
    default: {
      const at = joinPointer('#/components/securitySchemes', key, 'type');
      if (context.strict) throw invalid(context, at, `unknown security scheme type ${String(scheme.type)}`);
      warn(context, at, `unknown security scheme type ${String(scheme.type)}: requirements naming it are ignored`);
      return undefined;
    }
  }
}

/** Operation-level security replaces the document's; no requirement at all (or `[]`) allows anonymous access. */
function buildSecurity(operation: RawObject, opPointer: string, context: BuildContext): SecurityRequirement {
  const own = Array.isArray(operation.security);
  const list = own ? operation.security : context.document.security;
  const pointer = own ? joinPointer(opPointer, 'security') : '#/security';
  if (!Array.isArray(list) || list.length === 0) return [[]];
  return list.map((requirement, index) =>
    isObject(requirement)
      ? Object.keys(requirement).flatMap((key) => buildScheme(key, joinPointer(pointer, index, key), context) ?? [])
      : [],
  );
}

/** What {@link buildOperations} gives: the operations to serve, and those left out with the reason. */
export interface BuiltOperations {
  operations: Operation[];
  unserved: UnservedOperation[];
}

function buildOperation(raw: RawObject, pathItem: RawObject, method: HttpMethod, path: string, ids: { id: string; derived: boolean }, context: BuildContext): Operation {
  const pathPointer = joinPointer('#/paths', path);
  const opPointer = joinPointer(pathPointer, method);
  const operation: Operation = {
    operationId: ids.id,
    operationIdDerived: ids.derived,
    method,
    path,
    tags: Array.isArray(raw.tags) ? raw.tags.map(String) : [],
    deprecated: raw.deprecated === true,
    parameters: buildParameters(pathItem, raw, pathPointer, opPointer, context),
    responses: buildResponses(raw.responses, joinPointer(opPointer, 'responses'), context),
    security: buildSecurity(raw, opPointer, context),
  };
  const summary = raw.summary ?? pathItem.summary;
  const description = raw.description ?? pathItem.description;
  if (typeof summary === 'string') operation.summary = summary;
  if (typeof description === 'string') operation.description = description;
  if (raw.requestBody !== undefined) operation.requestBody = buildRequestBody(raw.requestBody, joinPointer(opPointer, 'requestBody'), context);
  return operation;
}

/** Gives each operation its id: the spec's own, or one derived from method and path that no other operation uses. */
function operationIdMaker(paths: RawObject): (raw: RawObject, method: HttpMethod, path: string) => { id: string; derived: boolean } {
  const used = new Set<string>();
  for (const pathItem of Object.values(paths)) {
    if (!isObject(pathItem)) continue;
    for (const method of METHODS) {
      const op = pathItem[method];
      if (isObject(op) && typeof op.operationId === 'string') used.add(op.operationId);
    }
  }
  return (raw, method, path) => {
    if (typeof raw.operationId === 'string') return { id: raw.operationId, derived: false };
    const base = deriveOperationId(method, path);
    let id = base;
    for (let n = 2; used.has(id); n += 1) id = `${base}${n}`;
    used.add(id);
    return { id, derived: true };
  };
}

/**
 * Normalises every operation of a bundled document (schemas converted with `converter`). Lenient by default: an
 * operation whose description cannot be used is left out with a warning and listed in `unserved`; `strict` throws.
 */
export function buildOperations(
  document: Record<string, unknown>,
  converter: SchemaConverter,
  options: { source?: string; warnings?: string[]; strict?: boolean } = {},
): BuiltOperations {
  const context: BuildContext = { document, converter, source: options.source ?? '<document>', warnings: options.warnings ?? [], strict: options.strict === true };
  const paths = isObject((document as unknown as Document).paths) ? (document.paths as RawObject) : {};
  const nextId = operationIdMaker(paths);
  const built: BuiltOperations = { operations: [], unserved: [] };
  for (const [path, rawItem] of Object.entries(paths)) {
    const pathPointer = joinPointer('#/paths', path);
    const pathItem = servable(() => deref(rawItem, pathPointer, context).value, pathPointer, context);
    if (!pathItem) continue;
    for (const method of METHODS) {
      const raw = pathItem[method];
      if (!isObject(raw)) continue;
      const ids = nextId(raw, method, path);
      const operation = servable(() => buildOperation(raw, pathItem, method, path, ids, context), joinPointer(pathPointer, method), context, (reason) =>
        built.unserved.push({ operationId: ids.id, method, path, reason }),
      );
      if (operation) built.operations.push(operation);
    }
  }
  return built;
}

/** Runs `build`; in lenient mode a coded spec error becomes a warning (and `onSkip`) instead of refusing the document. */
function servable<T>(build: () => T, pointer: string, context: BuildContext, onSkip?: (reason: string) => void): T | undefined {
  try {
    return build();
  } catch (error) {
    if (context.strict || !isToolkitError(error)) throw error;
    const reason = error.message;
    warn(context, pointer, `not served: ${reason}`);
    onSkip?.(reason);
    return undefined;
  }
}
