import { optionError } from '../options/check-options.js';
import type { Api, Operation } from '../openapi/api-model.js';
import { topLevelProperties } from './body-fields.js';
import { buildCases } from './build-cases.js';
import type { ContractCase, ParsedResponse } from './contract-types.js';
import { escapePointerToken, valueAtPointer } from './json-pointer.js';
import { isJsonMediaType } from '../openapi/media-type.js';
import type { SchemaValidation } from './schema-validation.js';

/** How the runner logs in through one of the contract's own operations (`--auth-from`). */
export interface AuthOptions {
  /** The operationId of the login, e.g. `instagramLogin`. */
  from: string;
  /** The request body; string values may read environment variables (`"$IW_CODE"`, `"${IW_CODE}"`). Default: the operation's example, else a generated one. */
  body?: unknown;
  /** JSON pointer of the token in the response body. Default: the first property named like a token (`sessionid`, `token`, `access_token`, …). */
  token?: string;
  /** Send the token in this header on every secured operation. Default: where each operation's security scheme puts its credential. */
  header?: string;
}

/** The login, resolved against the spec: what to send and where the token is. */
export interface AuthPlan {
  operation: Operation;
  /** The login request (its body already expanded from the environment). */
  case: ContractCase;
  pointer: string;
  header?: string;
  /** Values read from the environment: secrets, scrubbed from every output. */
  envValues: string[];
}

const TOKEN_NAMES = /^(session_?id|session_?token|access_?token|id_?token|auth_?token|token|jwt|api_?key|bearer)$/i;
const TOKEN_LIKE = /(token|session|jwt)/i;
/** Env references and nesting read from an auth body are bounded: a body is a few fields, not a document. */
const MAX_BODY_DEPTH = 32;

/** Expands `$NAME` / `${NAME}` in every string of `value` from `env`; `found` collects the values read (secrets). A missing variable is an option error. */
export function expandEnv(value: unknown, env: Record<string, string | undefined>, found: string[] = [], depth = 0): unknown {
  if (depth > MAX_BODY_DEPTH) throw optionError('auth.body', `nested deeper than ${MAX_BODY_DEPTH} levels`);
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, braced: string | undefined, bare: string | undefined) => {
      const name = (braced ?? bare)!;
      const text = env[name];
      if (text === undefined) throw optionError('auth.body', `environment variable ${name} is not set`);
      found.push(text);
      return text;
    });
  }
  if (Array.isArray(value)) return value.map((v) => expandEnv(v, env, found, depth + 1));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandEnv(v, env, found, depth + 1)]));
  }
  return value;
}

function isStringSchema(node: Record<string, unknown>): boolean {
  const type = node.type;
  return type === undefined || type === 'string' || (Array.isArray(type) && type.includes('string'));
}

/** The pointer of the first token-like string property of the login's 2xx JSON body: exact names first, then any name holding token/session/jwt, one level deep at most. */
export function deriveTokenPointer(operation: Operation, schemas: SchemaValidation): string | undefined {
  const bodies = operation.responses.filter((r) => r.status.startsWith('2')).flatMap((r) => r.content.filter((m) => isJsonMediaType(m.contentType)));
  for (const rule of [TOKEN_NAMES, TOKEN_LIKE]) {
    for (const media of bodies) {
      const found = findTokenProperty(media.schema, schemas, rule, '', 0);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function findTokenProperty(schema: unknown, schemas: SchemaValidation, rule: RegExp, prefix: string, depth: number): string | undefined {
  const properties = topLevelProperties(schema, (s) => schemas.resolve(s));
  for (const [name, sub] of properties) {
    if (rule.test(name) && isStringSchema(schemas.resolve(sub))) return `${prefix}/${escapePointerToken(name)}`;
  }
  if (depth >= 1) return undefined;
  for (const [name, sub] of properties) {
    const found = findTokenProperty(sub, schemas, rule, `${prefix}/${escapePointerToken(name)}`, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Resolves `--auth-from` against the spec: the operation, the login request (example or generated body, or the given one), the token pointer and header. */
export async function planAuth(api: Api, auth: AuthOptions, schemas: SchemaValidation, env: Record<string, string | undefined>): Promise<AuthPlan> {
  const operation = api.operations.find((o) => o.operationId === auth.from);
  if (!operation) {
    throw optionError('auth.from', `unknown operationId ${auth.from} (known: ${api.operations.map((o) => o.operationId).join(', ')})`);
  }
  if (auth.token !== undefined && auth.token !== '' && !auth.token.startsWith('/')) {
    throw optionError('auth.token', `expected a JSON pointer such as /sessionid, got "${auth.token}"`);
  }
  if (auth.header !== undefined && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(auth.header)) {
    throw optionError('auth.header', `"${auth.header}" is not a header name`);
  }
  const pointer = auth.token ?? deriveTokenPointer(operation, schemas);
  if (pointer === undefined) {
    throw optionError('auth.token', `${auth.from} documents no token-like response property; name the token's JSON pointer`);
  }
  const built = await buildCases({ ...api, operations: [operation] }, { cases: 1, seed: 1, now: Date.now(), kinds: ['example', 'generated'] }, schemas);
  const template = built.cases[0]?.[0];
  if (!template) throw optionError('auth.from', `no request could be built for ${auth.from}`);
  const envValues: string[] = [];
  const request = { ...template.request };
  if (auth.body !== undefined) {
    const value = expandEnv(auth.body, env, envValues);
    const contentType = template.request.body?.contentType ?? 'application/json';
    request.body = { contentType, value, ...(template.request.body && 'fields' in template.request.body && template.request.body.fields ? { fields: template.request.body.fields } : {}) };
  }
  const loginCase: ContractCase = { ...template, id: `${auth.from}/login`, name: 'login (--auth-from)', request };
  return { operation, case: loginCase, pointer, ...(auth.header ? { header: auth.header } : {}), envValues: envValues.filter((v) => v.length > 0) };
}

/** The token in a login response, or why there is none (the reason names status and pointer, never the body). */
export function tokenFromResponse(response: ParsedResponse, pointer: string): { token: string } | { reason: string } {
  if (response.status < 200 || response.status >= 300) return { reason: `the login answered ${response.status}` };
  if (response.json?.ok !== true) return { reason: `the login answered ${response.status} without a JSON body` };
  const found = valueAtPointer(response.json.value, pointer);
  const value = found.value;
  if (!found.found || (typeof value !== 'string' && typeof value !== 'number') || String(value) === '') {
    return { reason: `the login's response has no string at ${pointer}` };
  }
  return { token: String(value) };
}
