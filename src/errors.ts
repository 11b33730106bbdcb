// Every toolkit error code lives in this one table; the error-code table in docs/errors.md is kept equal to it by a test.
// Messages are templates: each %s is filled, in order, from toolkitError's arguments.

/** The toolkit error codes: message template and what a user should know. */
export const errorTable = {
  IWKIT_ERR_SPEC_READ: ['cannot read spec %s: %s', 'The spec file is missing or unreadable, or its URL is unreachable, answers a non-2xx status, or passes the size cap or time-out.'],
  IWKIT_ERR_SPEC_PARSE: ['%s: %s', 'The spec is not valid YAML or JSON; the message names file, line and column.'],
  IWKIT_ERR_SPEC_VERSION: ['%s: unsupported document version %s (iwkit reads OpenAPI 3.0.x and 3.1.x)', 'Swagger 2.0 or another unsupported version.'],
  IWKIT_ERR_SPEC_INVALID: ['%s: %s', 'The document breaks the OpenAPI schema; the message names the JSON pointer.'],
  IWKIT_ERR_SPEC_REF: ['%s: %s', 'A `$ref` does not resolve (missing file or pointer).'],
  IWKIT_ERR_SCHEMA_UNSUPPORTED: ['%s: %s', 'With `--strict-spec`: a schema iwkit cannot fully honour (e.g. a pattern no regex engine compiles); the message names the JSON pointer. Lenient mode warns instead.'],
  IWKIT_ERR_FIXTURE_READ: ['cannot load fixture %s: %s', 'A fixture file is unreadable, not JSON, or a module without a builder.'],
  IWKIT_ERR_FIXTURE_INVALID: ['fixture %s does not give a schema-valid body: %s', 'A fixture breaks its response schema; the message names file and JSON pointer.'],
  IWKIT_ERR_FIXTURE_OPERATION: ['fixture folder %s names no operation of the spec (known: %s)', 'A folder under fixtures/ does not match any operationId.'],
  IWKIT_ERR_OPTION_INVALID: ['invalid option %s: %s', 'A command-line or programmatic option has a bad value. The message names the option as the caller wrote it (`--max-delayed` from the CLI, `limits.maxDelayed` in code); the error also carries it as `option`.'],
  IWKIT_ERR_SERVER_LISTEN: ['cannot listen on %s: %s', 'The mock could not bind its host and port (e.g. already in use).'],
  IWKIT_ERR_TARGET_UNREACHABLE: ['target %s is unreachable: %s', 'The contract runner could not reach the base URL at the start.'],
  IWKIT_ERR_SCENARIO_INVALID: ['%s: %s', 'A scenario rules file is malformed or names an unknown operation, fixture or field.'],
  IWKIT_ERR_OVERRIDE_LIMIT: ['override store full (%s): %s', 'A run-time override would pass `maxOverrides` or `maxOverrideBytes`; nothing is stored (the admin API answers 409 or 413). Delete overrides or raise the limit.'],
  IWKIT_ERR_AUTH_FAILED: ['authentication through %s failed: %s', 'With `--auth-from`: the login operation got no answer, a non-2xx status, or a body without a token at the `--auth-token` pointer; nothing else is sent.'],
  IWKIT_ERR_REPORT_MERGE: ['cannot merge %s: %s', '`iwkit contract merge`: a report is unreadable, too large, not an iwkit JSON report, from a run that ended in a toolkit error, or from another spec, seed or shard count than the others, or a shard is given twice.'],
  IWKIT_ERR_OUTPUT_WRITE: ['cannot write %s: %s', 'A report or generated file could not be written.'],
  IWKIT_ERR_STATE_UNREACHABLE: ['state store %s is unreachable: %s', 'With `--stateful --state redis://…`: Redis did not answer at start. Later outages are answered per request with a 503 problem naming the store, and the mock recovers when Redis returns.'],
  IWKIT_ERR_CONTROLS_SHARED: ['%s is synchronous, but this mock shares its overrides and journal through %s: use %s', 'With `state: \'redis://…\'` overrides and the journal live in Redis, so the synchronous `use()` and `journal()` cannot answer; `await app.addOverride()` and `await app.readJournal()` work with any store.'],
  IWKIT_ERR_STATE_FILE_READ: ['cannot read state file %s: %s', 'With `--state-file`: the file is missing, unreadable or not JSON.'],
  IWKIT_ERR_STATE_FILE_INVALID: ['state file %s: %s', 'With `--state-file`: a key names no stateful collection, or an item breaks the collection\'s item schema (the message names collection, index and JSON pointer), repeats an id, or the data set passes `--max-state-items` / `--max-state-bytes`.'],
} as const;

/** A toolkit error code. */
export type ErrorCode = keyof typeof errorTable;

/** A coded toolkit error: the CLI prints `code: message` and exits 2. */
export interface ToolkitError extends Error {
  code: ErrorCode;
}

/** The class of every toolkit error; its name carries the code, so test runners and stack traces show it. */
class IwkitError extends Error implements ToolkitError {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = `IwkitError [${code}]`;
  }
}

function fillTemplate(template: string, args: readonly unknown[]): string {
  let next = 0;
  return template.replace(/%s/g, () => (next < args.length ? String(args[next++]) : '%s'));
}

/** Builds the toolkit error for `code`, filling the message template with `args`. */
export function toolkitError(code: ErrorCode, ...args: unknown[]): ToolkitError {
  return new IwkitError(code, fillTemplate(errorTable[code][0], args));
}

/** True when `value` is one of iwkit's coded toolkit errors. */
export function isToolkitError(value: unknown): value is ToolkitError {
  const code = value instanceof Error ? (value as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code in errorTable;
}
