import { toolkitError } from '../errors.js';

// JSON documents take JSON.parse (many times faster than any YAML parser on multi-megabyte specs).
// YAML takes js-yaml: it is faster than `yaml`, and it reads real documents that `yaml` refuses
// (ably-control's multi-line quoted PEM example whose continuation lines are not indented).

const JSON_START = /^\s*[{[]/;

/** Parses a spec's YAML or JSON text; a syntax error is `IWKIT_ERR_SPEC_PARSE` naming file:line:col. */
export async function parseSpecText(text: string, file: string): Promise<unknown> {
  if (JSON_START.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      // JSON is YAML: the YAML parser either reads it (flow style) or names the line and column of the error.
    }
  }
  return parseYaml(text, file);
}

let schema: import('js-yaml').Schema | undefined;

async function parseYaml(text: string, file: string): Promise<unknown> {
  // Loaded on demand: a start from a cached spec, or from JSON, never needs the YAML parser.
  const yaml = (await import('js-yaml')).default;
  const { load, YAMLException, CORE_SCHEMA } = yaml;
  // The core schema keeps `2024-01-01` a string, as JSON Schema's `format: date` expects; merge keys stay.
  // (`types` is exported at run time but missing from @types/js-yaml.)
  const { merge } = (yaml as unknown as { types: { merge: import('js-yaml').Type } }).types;
  schema ??= CORE_SCHEMA.extend({ implicit: [merge] });
  try {
    return load(text, { filename: file, schema });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const where = error.mark ? `${file}:${error.mark.line + 1}:${error.mark.column + 1}` : file;
    throw toolkitError('IWKIT_ERR_SPEC_PARSE', where, error.reason);
  }
}
