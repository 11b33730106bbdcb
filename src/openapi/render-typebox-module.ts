import { Kind, OptionalKind, type TSchema } from '@sinclair/typebox';
import type { Api, MediaTypeBody, Operation, Parameter, ParameterLocation } from './api-model.js';
import { pascal } from './build-operations.js';
import { JSON_SCHEMA_KIND } from './json-schema-node.js';

// Prints the TypeBox schemas that schema-to-typebox.ts produced as TypeScript source: the generated module is a
// rendering of the same runtime schemas, never a second reading of the OpenAPI document.

/** Options for the generated module's header. */
export interface RenderOptions {
  /** The spec as the header should name it (e.g. `openapi.yaml`); defaults to the Api's source file name. */
  specLabel?: string;
  /** The command that regenerates the module, named in the header. */
  command?: string;
  /** A digest of the spec text, printed in the header so that any edit of the spec makes the module stale. */
  specDigest?: string;
}

type Printable = TSchema & Record<string | symbol, unknown>;

/** Per-kind keys the builder call carries itself; every other key is printed as an option. */
const STRUCTURAL: Record<string, string[]> = {
  Object: ['type', 'properties', 'required'],
  Array: ['type', 'items'],
  Record: ['type', 'patternProperties'],
  Union: ['anyOf'],
  Intersect: ['allOf'],
  Not: ['not'],
  Never: ['not'],
  Literal: ['const', 'type'],
  Ref: ['$ref'],
  String: ['type'],
  Number: ['type'],
  Integer: ['type'],
  Boolean: ['type'],
  Null: ['type'],
  Unknown: [],
};

const RESERVED = new Set(['Type', 'Static', 'This']);

function identifier(name: string): string {
  let id = name.replace(/[^A-Za-z0-9_$]/g, '_');
  if (/^[0-9]/.test(id)) id = `_${id}`;
  return RESERVED.has(id) ? `${id}Schema` : id;
}

function propertyKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key);
}

function isSchema(value: unknown): value is Printable {
  return typeof value === 'object' && value !== null && Kind in value;
}

/** Component ids a schema refers to. */
function refsOf(value: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(value)) value.forEach((item) => refsOf(item, out));
  else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string | symbol, unknown>;
    if (record[Kind] === 'Ref') out.add(String(record.$ref));
    for (const child of Object.values(record)) refsOf(child, out);
  }
  return out;
}

// Printed once, only in modules that have ajv-backed nodes: their JSON Schema as Type.Unsafe, with a static type
// read from the keywords (const, enum, oneOf/anyOf, items, properties with required, type).
const JSON_SCHEMA_HELPER = [
  '/** A JSON Schema 2020-12 node TypeBox cannot express (iwkit validates it with ajv): its static type is read from its keywords. */',
  'type JsonObject<P, R> = { [K in keyof P as K extends R ? K : never]: P[K] extends TSchema ? Static<P[K]> : unknown } & { [K in keyof P as K extends R ? never : K]?: P[K] extends TSchema ? Static<P[K]> : unknown };',
  'type JsonStatic<K> =',
  '  K extends { const: infer C } ? C :',
  '  K extends { enum: readonly (infer E)[] } ? E :',
  '  K extends { oneOf: readonly (infer M extends TSchema)[] } ? Static<M> :',
  '  K extends { anyOf: readonly (infer M extends TSchema)[] } ? Static<M> :',
  '  K extends { prefixItems: readonly unknown[] } ? unknown[] :',
  '  K extends { items: infer I extends TSchema } ? Static<I>[] :',
  '  K extends { properties: infer P } ? JsonObject<P, K extends { required: readonly (infer R)[] } ? R : never> :',
  "  K extends { type: 'string' } ? string :",
  "  K extends { type: 'number' | 'integer' } ? number :",
  "  K extends { type: 'boolean' } ? boolean :",
  "  K extends { type: 'array' } ? unknown[] :",
  "  K extends { type: 'object' } ? Record<string, unknown> :",
  '  unknown;',
  'const JsonSchema = <const K extends object>(keywords: K) => Type.Unsafe<JsonStatic<K>>(keywords);',
  '',
].join('\n');

class Printer {
  /** Component id → const name, for components already emitted. */
  readonly emitted = new Map<string, string>();
  /** Set once an ajv-backed node is printed: the module then needs the JsonSchema helper. */
  usesJsonSchema = false;
  /** The component printed inside Type.Recursive, whose self-references print as `This`. */
  self: string | undefined;

  value(value: unknown, indent: string): string {
    if (isSchema(value)) return this.schema(value, indent);
    if (Array.isArray(value)) return `[${value.map((item) => this.value(item, indent)).join(', ')}]`;
    if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value).map(([key, item]) => `${propertyKey(key)}: ${this.value(item, indent)}`);
      return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
    }
    return value === undefined ? 'undefined' : JSON.stringify(value);
  }

  options(schema: Printable, kind: string, skip: string[] = []): string | undefined {
    const structural = new Set([...(STRUCTURAL[kind] ?? []), ...skip]);
    const entries = Object.entries(schema).filter(([key]) => !structural.has(key));
    if (entries.length === 0) return undefined;
    return `{ ${entries.map(([key, item]) => `${propertyKey(key)}: ${this.value(item, '')}`).join(', ')} }`;
  }

  call(name: string, args: string[], options: string | undefined): string {
    return `Type.${name}(${[...args, ...(options ? [options] : [])].join(', ')})`;
  }

  schema(schema: Printable, indent: string, skip: string[] = []): string {
    const kind = String(schema[Kind]);
    const options = this.options(schema, kind, skip);
    const inner = `${indent}  `;
    switch (kind) {
      case 'Object': {
        const properties = Object.entries((schema.properties ?? {}) as Record<string, Printable>);
        if (properties.length === 0) return this.call('Object', ['{}'], options);
        const lines = properties.map(([key, property]) => {
          const printed = this.schema(property, inner);
          return `${inner}${propertyKey(key)}: ${property[OptionalKind] === 'Optional' ? `Type.Optional(${printed})` : printed},`;
        });
        return this.call('Object', [`{\n${lines.join('\n')}\n${indent}}`], options);
      }
      case 'Array':
        return this.call('Array', [this.schema(schema.items as Printable, indent)], options);
      case 'Record': {
        const [value] = Object.values(schema.patternProperties as Record<string, Printable>);
        return this.call('Record', ['Type.String()', this.schema(value, indent)], options);
      }
      case 'Union':
      case 'Intersect': {
        const members = (kind === 'Union' ? schema.anyOf : schema.allOf) as Printable[];
        return this.call(kind, [`[${members.map((member) => this.schema(member, indent)).join(', ')}]`], options);
      }
      case 'Not':
        return this.call('Not', [this.schema(schema.not as Printable, indent)], options);
      case 'Literal':
        return this.call('Literal', [JSON.stringify(schema.const)], options);
      case 'Ref': {
        const id = String(schema.$ref);
        if (id === this.self && !options) return 'This';
        const name = this.emitted.get(id);
        // A reference back into a cycle still being emitted stays a by-id Ref (its static type is unknown).
        if (!name) return this.call('Ref', [JSON.stringify(id)], options);
        return options ? `Type.Unsafe<Static<typeof ${name}>>(Type.Ref(${JSON.stringify(id)}, ${options}))` : name;
      }
      case 'String':
      case 'Number':
      case 'Integer':
      case 'Boolean':
      case 'Null':
      case 'Unknown':
      case 'Never':
        return this.call(kind, [], options);
      case JSON_SCHEMA_KIND: {
        this.usesJsonSchema = true;
        const keywords: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(schema)) if (!skip.includes(key)) keywords[key] = value;
        return `JsonSchema(${this.value(keywords, indent)})`;
      }
      default:
        throw new Error(`render-typebox-module: no printer for TypeBox kind ${kind}`);
    }
  }
}

/** Components in dependency order (deterministic: by id, dependencies first). */
function orderComponents(references: TSchema[]): TSchema[] {
  const byId = new Map(references.map((schema) => [String(schema.$id), schema]));
  const ordered: TSchema[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string) => {
    if (state.has(id) || !byId.has(id)) return;
    state.set(id, 'visiting');
    for (const dependency of [...refsOf(byId.get(id), new Set())].sort()) visit(dependency);
    state.set(id, 'done');
    ordered.push(byId.get(id)!);
  };
  for (const id of [...byId.keys()].sort()) visit(id);
  return ordered;
}

function renderComponent(schema: TSchema, printer: Printer, names: Set<string>): string {
  const id = String(schema.$id);
  const name = uniqueName(identifier(id), names);
  const printable = schema as Printable;
  let source: string;
  if (refsOf(schema, new Set()).has(id)) {
    printer.self = id;
    const body = printer.schema(printable, '', ['$id']);
    printer.self = undefined;
    source = `Type.Recursive((This) => ${body}, { $id: ${JSON.stringify(id)} })`;
  } else {
    source = printer.schema(printable, '');
  }
  printer.emitted.set(id, name);
  return `export const ${name} = ${source};\nexport type ${name} = Static<typeof ${name}>;\n`;
}

function uniqueName(base: string, names: Set<string>): string {
  let name = base;
  for (let n = 2; names.has(name); n += 1) name = `${base}${n}`;
  names.add(name);
  return name;
}

function exportSchema(name: string, schema: TSchema, printer: Printer, names: Set<string>): string {
  const unique = uniqueName(name, names);
  return `export const ${unique} = ${printer.schema(schema as Printable, '')};\nexport type ${unique} = Static<typeof ${unique}>;\n`;
}

const LOCATION_SUFFIX: Record<ParameterLocation, string> = { path: 'PathParams', query: 'Query', header: 'Headers', cookie: 'Cookies' };

function parametersObject(parameters: Parameter[], location: ParameterLocation): TSchema | undefined {
  const selected = parameters.filter((parameter) => parameter.in === location);
  if (selected.length === 0) return undefined;
  const properties: Record<string, unknown> = {};
  for (const parameter of selected) {
    // Node lower-cases incoming header names, so the generated header types do too.
    const key = location === 'header' ? parameter.name.toLowerCase() : parameter.name;
    properties[key] = parameter.required ? parameter.schema : { ...parameter.schema, [OptionalKind]: 'Optional' };
  }
  return { [Kind]: 'Object', type: 'object', properties } as unknown as TSchema;
}

/** One export per distinct body schema: the first media type gets the plain name, differing ones a media-type suffix. */
function bodyExports(base: string, content: MediaTypeBody[]): [string, TSchema][] {
  const out: [string, TSchema][] = [];
  const seen: string[] = [];
  for (const body of content) {
    const key = JSON.stringify(body.schema);
    if (seen.includes(key)) continue;
    out.push([seen.length === 0 ? base : `${base}${pascal(body.contentType)}`, body.schema]);
    seen.push(key);
  }
  return out;
}

function renderOperation(operation: Operation, printer: Printer, names: Set<string>): string {
  const base = identifier(pascal(operation.operationId));
  const parts: string[] = [`// ${operation.method.toUpperCase()} ${operation.path} (${operation.operationId})\n`];
  for (const location of ['path', 'query', 'header', 'cookie'] as const) {
    const schema = parametersObject(operation.parameters, location);
    if (schema) parts.push(exportSchema(`${base}${LOCATION_SUFFIX[location]}`, schema, printer, names));
  }
  if (operation.requestBody) {
    for (const [name, schema] of bodyExports(`${base}RequestBody`, operation.requestBody.content)) {
      parts.push(exportSchema(name, schema, printer, names));
    }
  }
  for (const response of operation.responses) {
    const status = response.status === 'default' ? 'Default' : response.status.toUpperCase();
    for (const [name, schema] of bodyExports(`${base}${status}Response`, response.content)) {
      parts.push(exportSchema(name, schema, printer, names));
    }
    if (response.headers.length > 0) {
      const properties: Record<string, unknown> = {};
      for (const header of response.headers) {
        properties[header.name.toLowerCase()] = header.required ? header.schema : { ...header.schema, [OptionalKind]: 'Optional' };
      }
      parts.push(exportSchema(`${base}${status}ResponseHeaders`, { [Kind]: 'Object', type: 'object', properties } as unknown as TSchema, printer, names));
    }
  }
  return parts.join('');
}

/** Renders an Api as a deterministic TypeScript module of TypeBox schemas and their static types. */
export function renderTypeBoxModule(api: Api, options: RenderOptions = {}): string {
  const spec = options.specLabel ?? api.source?.split(/[\\/]/).pop() ?? 'an in-memory document';
  const command = options.command ?? 'iwkit generate';
  const printer = new Printer();
  const names = new Set<string>(['Type', 'Static']);
  const components = orderComponents(api.references).map((schema) => renderComponent(schema, printer, names));
  const operations = api.operations.map((operation) => renderOperation(operation, printer, names));
  const header = [
    `// Generated by \`${command}\` from ${spec} (${api.title} ${api.version}, OpenAPI ${api.openapi}).`,
    '// Do not edit by hand: change the spec and run the command again (`npm run generate`).',
    ...(options.specDigest ? [`// Spec digest: ${options.specDigest}`] : []),
    '/* eslint-disable */',
    printer.usesJsonSchema ? "import { Type, type Static, type TSchema } from '@sinclair/typebox';" : "import { Type, type Static } from '@sinclair/typebox';",
    '',
    ...(printer.usesJsonSchema ? [JSON_SCHEMA_HELPER] : []),
  ].join('\n');
  return `${header}\n// Components\n\n${components.join('\n')}\n// Operations\n\n${operations.join('\n')}`;
}
