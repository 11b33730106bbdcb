import type { TSchema } from '@sinclair/typebox';

// The normalised contract: built once from a raw OpenAPI document by loadApi().
// Everything downstream (fake, mock, server, contract) reads only these types, never raw OpenAPI.

/** Where a parameter travels in an HTTP request. */
export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

/** HTTP methods an OpenAPI path item can hold, lower-case as in the document. */
export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';

/** A named example from the spec (`example` becomes the name "default"). */
export interface NamedExample {
  name: string;
  summary?: string;
  value: unknown;
}

/** One request parameter, its schema already converted to TypeBox. */
export interface Parameter {
  name: string;
  in: ParameterLocation;
  required: boolean;
  description?: string;
  /** OpenAPI serialisation style (defaults applied: form for query/cookie, simple for path/header). */
  style: string;
  explode: boolean;
  schema: TSchema;
  examples: NamedExample[];
  /** The media type when the parameter is described by `content` instead of `schema`: its value is text of that type (e.g. JSON). */
  contentType?: string;
}

/** How one property of a form or multipart body is encoded (an OpenAPI Encoding Object, as written). */
export interface PropertyEncoding {
  contentType?: string;
  style?: string;
  explode?: boolean;
}

/** A body (request or response) for one media type. */
export interface MediaTypeBody {
  /** The media type as written in the spec, e.g. `application/json` or `application/*`. */
  contentType: string;
  schema: TSchema;
  examples: NamedExample[];
  /** The media type's `encoding` object (forms and multipart), by property name. */
  encoding?: Record<string, PropertyEncoding>;
}

/** The request body of an operation. */
export interface RequestBody {
  required: boolean;
  description?: string;
  content: MediaTypeBody[];
}

/** A response header declared by the spec. */
export interface ResponseHeader {
  name: string;
  required: boolean;
  schema: TSchema;
}

/** An OpenAPI link of a response: which operation it leads to and the runtime expressions that fill its parameters. */
export interface ResponseLink {
  name: string;
  operationId?: string;
  operationRef?: string;
  /** Parameter (`id`, `path.id`, `query.q`…) → runtime expression (`$response.body#/id`); constant non-string values are left out. */
  parameters: Record<string, string>;
}

/** One declared response: `status` is `"200"`, a range like `"2XX"`, or `"default"`. */
export interface ResponseSpec {
  status: string;
  description: string;
  headers: ResponseHeader[];
  content: MediaTypeBody[];
  /** Its `links`, in document order; absent when it declares none. */
  links?: ResponseLink[];
}

/** A security scheme as used by an operation. */
export type SecurityScheme =
  | { key: string; type: 'apiKey'; in: 'header' | 'query' | 'cookie'; name: string }
  | { key: string; type: 'http'; scheme: string; bearerFormat?: string }
  | { key: string; type: 'oauth2' | 'openIdConnect' | 'mutualTLS' };

/** Alternatives: a request is authorised when it satisfies every scheme of at least one entry. An empty entry means anonymous access is allowed. */
export type SecurityRequirement = SecurityScheme[][];

/** One operation (method + path) of the API, fully normalised. */
export interface Operation {
  operationId: string;
  /** True when the spec did not name the operation and the id was derived from method and path. */
  operationIdDerived: boolean;
  method: HttpMethod;
  /** The OpenAPI path template, e.g. `/users/{id}`. */
  path: string;
  summary?: string;
  description?: string;
  tags: string[];
  deprecated: boolean;
  parameters: Parameter[];
  requestBody?: RequestBody;
  /** Sorted: numeric statuses ascending, then ranges (`2XX`), then `default`. */
  responses: ResponseSpec[];
  security: SecurityRequirement;
}

/** An operation the document declares but iwkit cannot serve (lenient mode): the mock answers it with a 501 problem. */
export interface UnservedOperation {
  operationId: string;
  method: HttpMethod;
  path: string;
  /** Why, naming the JSON pointer of the problem. */
  reason: string;
}

/** A loaded, validated and normalised API. */
export interface Api {
  /** Absolute path of the spec file, or undefined when loaded from an object. */
  source?: string;
  openapi: string;
  title: string;
  version: string;
  servers: { url: string; description?: string }[];
  operations: Operation[];
  /** Declared operations left out because they cannot be served (never filled in strict mode, which refuses instead). */
  unserved?: UnservedOperation[];
  /**
   * Named schemas that operations refer to with `Type.Ref(id)` (`{ $ref: id }`), each carrying its `$id`.
   * Pass them as `references` to TypeCompiler / Value / the fake-data generator.
   */
  references: TSchema[];
  /** The bundled OpenAPI document (internal `$ref`s kept), for serving at /openapi.json and /docs. */
  document: Record<string, unknown>;
  /** Non-fatal findings (unknown formats, ignored keywords), each naming a JSON pointer. */
  warnings: string[];
}
