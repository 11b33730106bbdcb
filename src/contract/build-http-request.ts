import type { Parameter } from '../openapi/api-model.js';
import type { ContractCase, HttpRequest } from './contract-types.js';
import { isJsonMediaType } from '../openapi/media-type.js';
import { serialiseBody } from './serialise-body.js';
import { encodePairs, formPairs, jsonText, pathText, simpleText } from './serialise-parameter.js';
import { credentialHeaderNames, INVALID_CREDENTIAL, placeCredential, requiredSchemes } from './security-credentials.js';

/** What the request builder needs besides the case. */
export interface RequestSettings {
  baseUrl: string;
  /** The valid credential, when configured. */
  token?: string;
  /** Extra headers from --header, sent on every request. */
  headers: Record<string, string>;
  /** `--auth-header`: the credential goes in this header on every secured operation, instead of where its scheme says. */
  credentialHeader?: string;
}

/** A built request plus where the valid credential sits, so reports can show it as `$IWKIT_TOKEN`. */
export interface BuiltRequest {
  request: HttpRequest;
  credential: { headers: string[]; query: string[]; cookies: string[] };
}

/** Header parameters OpenAPI says are ignored: the runner sets these itself and never sends a generated value for them. */
export const reservedHeaderNames: ReadonlySet<string> = new Set(['accept', 'content-type', 'authorization']);

/** The path template as a URL path: a `#fragment` of the key dropped, a `?a=b` part kept as literal query text. */
export function splitPathKey(key: string): { template: string; literalQuery: string } {
  const withoutFragment = key.split('#')[0];
  const q = withoutFragment.indexOf('?');
  return q < 0 ? { template: withoutFragment, literalQuery: '' } : { template: withoutFragment.slice(0, q), literalQuery: withoutFragment.slice(q + 1) };
}

function isJsonContent(mediaType: string | undefined): boolean {
  return mediaType !== undefined && isJsonMediaType(mediaType);
}

function paramKey(location: Parameter['in'], name: string): string {
  return `${location}:${location === 'header' ? name.toLowerCase() : name}`;
}

/** Puts the case's credential (valid, invalid or none) where the operation's schemes want it; says where a real one went, for redaction. */
function placeCaseCredential(c: ContractCase, settings: RequestSettings, out: { headers: Record<string, string>; pairs: [string, string][]; cookies: [string, string][] }): BuiltRequest['credential'] {
  const { headers, pairs, cookies } = out;
  const op = c.operation;
  const credential: BuiltRequest['credential'] = { headers: [], query: [], cookies: [] };
  const schemes = requiredSchemes(op);
  const secret = c.auth === 'valid' ? settings.token : c.auth === 'invalid' ? INVALID_CREDENTIAL : undefined;
  if (secret !== undefined && schemes.length > 0) {
    const placed = settings.credentialHeader ? { headers: { [settings.credentialHeader]: secret }, query: {}, cookies: {} } : placeCredential(schemes, secret);
    for (const [name, value] of Object.entries(placed.headers)) {
      for (const existing of Object.keys(headers)) if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
      headers[name] = value;
      if (c.auth === 'valid') credential.headers.push(name);
    }
    for (const [name, value] of Object.entries(placed.query)) {
      pairs.push([name, value]);
      if (c.auth === 'valid') credential.query.push(name);
    }
    for (const [name, value] of Object.entries(placed.cookies)) {
      cookies.push([name, value]);
      if (c.auth === 'valid') credential.cookies.push(name);
    }
  }
  return credential;
}

/** Serialises a case into an HTTP request: path styles, query styles, headers, cookies, credential and body. */
export function buildHttpRequest(c: ContractCase, settings: RequestSettings): BuiltRequest {
  const op = c.operation;
  const params = new Map(op.parameters.map((p) => [paramKey(p.in, p.name), p]));
  const media = c.parameterMedia ?? {};
  const jsonParam = (location: Parameter['in'], name: string): boolean => isJsonContent(media[paramKey(location, name)]);
  const { template, literalQuery } = splitPathKey(op.path);
  const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = c.request.path[name];
    if (value === undefined) return `{${name}}`;
    if (jsonParam('path', name)) return encodeURIComponent(jsonText(value));
    const param = params.get(paramKey('path', name));
    return pathText(name, value, param?.style ?? 'simple', param?.explode ?? false);
  });

  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(c.request.query)) {
    if (value === undefined) continue;
    const param = params.get(paramKey('query', name));
    if (jsonParam('query', name)) pairs.push([name, jsonText(value)]);
    else pairs.push(...formPairs(name, value, param?.style ?? 'form', param?.explode ?? true));
  }
  const headers: Record<string, string> = {};
  const cookies: [string, string][] = [];
  for (const [name, value] of Object.entries(c.request.cookies)) {
    if (value !== undefined) cookies.push([name, jsonParam('cookie', name) ? jsonText(value) : simpleText(value, false)]);
  }

  // User headers first, so a case's own headers (e.g. a wrong Content-Type) win.
  const dropped = c.auth === 'valid' ? [] : [...credentialHeaderNames(op), ...(settings.credentialHeader ? [settings.credentialHeader.toLowerCase()] : [])];
  for (const [name, value] of Object.entries(settings.headers)) {
    if (!dropped.includes(name.toLowerCase())) headers[name] = value;
  }
  const credential = placeCaseCredential(c, settings, { headers, pairs, cookies });
  for (const [name, value] of Object.entries(c.request.headers)) {
    if (value === undefined) continue;
    // Accept, Content-Type and Authorization parameters are ignored by OpenAPI: only a user's own fixture may set them.
    if (reservedHeaderNames.has(name.toLowerCase()) && c.kind !== 'fixture') continue;
    headers[name] = jsonParam('header', name) ? jsonText(value) : simpleText(value, params.get(paramKey('header', name))?.explode ?? false);
  }
  if (cookies.length > 0) headers.Cookie = cookies.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');

  const successTypes = op.responses.filter((r) => r.status.startsWith('2')).flatMap((r) => r.content.map((m) => m.contentType));
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'accept')) {
    headers.Accept = successTypes.length > 0 ? [...new Set([...successTypes, '*/*;q=0.1'])].join(', ') : 'application/json, */*;q=0.1';
  }
  let body: Buffer | undefined;
  if (c.request.body) {
    const wire = serialiseBody(c.request.body);
    body = wire.bytes;
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = wire.contentType;
  }
  const query = [literalQuery, encodePairs(pairs)].filter(Boolean).join('&');
  const url = `${settings.baseUrl.replace(/\/+$/, '')}${path}${query ? `?${query}` : ''}`;
  return { request: { method: op.method.toUpperCase(), url, headers, ...(body ? { body } : {}) }, credential };
}
