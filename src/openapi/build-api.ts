import { toolkitError } from '../errors.js';
import type { Api } from './api-model.js';
import { buildOperations } from './build-operations.js';
import { registerFormats } from './formats.js';
import { jsonSchemaEngineFactory } from './json-schema-engine.js';
import { createSchemaConverter } from './schema-to-typebox.js';

// The light way to an Api: an already parsed, self-contained document (every `$ref` inside it) is
// normalised without reading files, parsing YAML or validating against the OpenAPI schema, so it runs
// in a browser. loadApi is the full way (files, URLs, bundling, validation) and ends the same way.

const supportedVersion = /^3\.[01]\.\d+(-.+)?$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function servers(document: Record<string, unknown>): Api['servers'] {
  const list = Array.isArray(document.servers) ? (document.servers as { url: string; description?: string; variables?: Record<string, { default?: string }> }[]) : [];
  return list.map((server) => {
    const url = String(server.url).replace(/\{([^}]+)\}/g, (whole, name: string) => server.variables?.[name]?.default ?? whole);
    return server.description === undefined ? { url } : { url, description: server.description };
  });
}

/** True when some `$ref` points outside the document (such a document must go through loadApi first). */
function externalRef(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = externalRef(item);
      if (found) return found;
    }
  } else if (isObject(value)) {
    if (typeof value.$ref === 'string' && !value.$ref.startsWith('#')) return value.$ref;
    for (const [key, child] of Object.entries(value)) {
      if (key === 'example' || key === 'examples' || key === 'default') continue;
      const found = externalRef(child);
      if (found) return found;
    }
  }
  return undefined;
}

/** Normalises a parsed, self-contained OpenAPI 3.0/3.1 document into an Api (lenient: problems become warnings). */
export function buildApi(document: Record<string, unknown>, options: { source?: string; strict?: boolean } = {}): Api {
  const label = options.source ?? '<object>';
  if (!isObject(document) || !('openapi' in document)) throw toolkitError('IWKIT_ERR_SPEC_INVALID', label, 'not an OpenAPI document: the "openapi" field is missing');
  if (!supportedVersion.test(String(document.openapi))) throw toolkitError('IWKIT_ERR_SPEC_VERSION', label, `openapi ${String(document.openapi)}`);
  const outside = externalRef(document);
  if (outside) throw toolkitError('IWKIT_ERR_SPEC_REF', label, `$ref ${outside} points outside the document: load it with loadApi (or precompile it with iwkit generate --bundle)`);
  registerFormats();
  return apiFromDocument(document, { label, warnings: [], strict: options.strict === true });
}

/** The Api of a self-contained, checked document: the common end of loadApi and buildApi. */
export function apiFromDocument(document: Record<string, unknown>, options: { label: string; warnings: string[]; strict: boolean; source?: string }): Api {
  const { label, warnings, strict } = options;
  const converter = createSchemaConverter({ document, source: label, warnings, strict });
  const { operations, unserved } = buildOperations(document, converter, { source: label, warnings, strict });
  const references = converter.references();
  if (converter.engineSchemas() > 0 && !jsonSchemaEngineFactory()) {
    warnings.push(`${label}: ${converter.engineSchemas()} schemas use JSON Schema keywords TypeBox cannot express; without the full engine they accept every value. Import 'iwkit/json-schema-engine' to validate them (it adds ajv to a browser bundle)`);
  }
  const info = isObject(document.info) ? document.info : {};
  return {
    ...(options.source ? { source: options.source } : {}),
    openapi: String(document.openapi),
    title: String(info.title ?? ''),
    version: String(info.version ?? ''),
    servers: servers(document),
    operations,
    unserved,
    references,
    document,
    warnings,
  };
}
