import type { TSchema } from '@sinclair/typebox';
import { parseCookie } from 'cookie';
import { isSecretHeader, isSecretKey } from '../contract/redact.js';
import type { Api } from '../openapi/api-model.js';
import { itemsOf, propertiesOf, type SchemaRefs } from '../mock/schema-shape.js';

// Where secrets live in an exchange: the spec's security schemes, the usual credential headers and cookies,
// and body values whose property name or format says secret, plus the names and pointers of --redact.

/** What marks a value secret, beyond the built-in names. */
export interface SecretRules {
  /** Header names (lower-case) carrying the spec's apiKey credentials. */
  headers: Set<string>;
  /** Query and cookie names carrying the spec's apiKey credentials. */
  query: Set<string>;
  cookies: Set<string>;
  /** Extra names (lower-case) from --redact. */
  names: Set<string>;
  /** Extra JSON pointers from --redact. */
  pointers: Set<string>;
}

/** The secret names of a spec's security schemes, and the --redact additions. */
export function secretRules(api: Api, redact: readonly string[]): SecretRules {
  const rules: SecretRules = { headers: new Set(), query: new Set(), cookies: new Set(), names: new Set(), pointers: new Set() };
  for (const op of api.operations) {
    for (const scheme of op.security.flat()) {
      if (scheme.type !== 'apiKey') continue;
      if (scheme.in === 'header') rules.headers.add(scheme.name.toLowerCase());
      else if (scheme.in === 'query') rules.query.add(scheme.name);
      else rules.cookies.add(scheme.name);
    }
  }
  for (const entry of redact) {
    if (entry.startsWith('/')) rules.pointers.add(entry);
    else rules.names.add(entry.toLowerCase());
  }
  return rules;
}

/** True when a header's value is a secret. */
export function isSecretHeaderName(name: string, rules: SecretRules): boolean {
  const lower = name.toLowerCase();
  return rules.headers.has(lower) || rules.names.has(lower) || isSecretHeader(lower);
}

/** True when a query parameter's value is a secret. */
export function isSecretQueryName(name: string, rules: SecretRules): boolean {
  return rules.query.has(name) || rules.names.has(name.toLowerCase()) || isSecretKey(name);
}

/** The secrets in a header value: the whole value, the credential after an auth scheme, and a Basic pair's parts. */
export function headerSecrets(name: string, value: string): string[] {
  const lower = name.toLowerCase();
  if (lower === 'cookie') return Object.values(parseCookie(value)).filter((v): v is string => typeof v === 'string' && v.length > 0);
  if (lower === 'set-cookie') {
    const first = value.split(';', 1)[0];
    const at = first.indexOf('=');
    const cookie = at === -1 ? first : first.slice(at + 1);
    return cookie.length > 0 ? [cookie] : [];
  }
  const out = [value];
  const match = /^([A-Za-z][\w-]*)\s+(.+)$/.exec(value.trim());
  if (match) {
    out.push(match[2]);
    if (match[1].toLowerCase() === 'basic') {
      const pair = Buffer.from(match[2], 'base64').toString('utf8');
      out.push(pair, ...pair.split(':').filter((p) => p.length > 0).slice(1));
    }
  }
  return out;
}

/** A secret value found in a JSON body, with its pointer and schema. */
export interface BodySecret {
  pointer: string;
  value: string;
  schema?: TSchema;
}

function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Visits every string of a JSON value that is a secret by property name, format, or --redact; returns them. */
export function bodySecrets(value: unknown, schema: TSchema | undefined, refs: SchemaRefs, resolve: (s: unknown) => Record<string, unknown>, rules: SecretRules): BodySecret[] {
  const found: BodySecret[] = [];
  const walk = (node: unknown, at: TSchema | undefined, pointer: string, key: string | undefined, depth: number): void => {
    if (depth > 64) return;
    if (typeof node === 'string') {
      const format = at ? resolve(at).format : undefined;
      const byName = key !== undefined && (isSecretKey(key) || rules.names.has(key.toLowerCase()));
      if (byName || format === 'password' || rules.pointers.has(pointer)) found.push({ pointer, value: node, ...(at ? { schema: at } : {}) });
      return;
    }
    if (Array.isArray(node)) {
      const items = at ? itemsOf(at, refs) : undefined;
      node.forEach((item, i) => walk(item, items, `${pointer}/${i}`, key, depth + 1));
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const properties = at ? propertiesOf(at, refs) : undefined;
    for (const [name, child] of Object.entries(node as Record<string, unknown>)) walk(child, properties?.get(name), `${pointer}/${escapeToken(name)}`, name, depth + 1);
  };
  walk(value, schema, '', undefined, 0);
  return found;
}
