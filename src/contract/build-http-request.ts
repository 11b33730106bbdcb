import type { Parameter } from '../openapi/api-model.js';
import type { ContractCase, HttpRequest } from './contract-types.js';
import { isJsonMediaType } from './response-spec-match.js';
import { credentialHeaderNames, INVALID_CREDENTIAL, placeCredential, requiredSchemes } from './security-credentials.js';

/** What the request builder needs besides the case. */
export interface RequestSettings {
  baseUrl: string;
  /** The valid credential, when configured. */
  token?: string;
  /** Extra headers from --header, sent on every request. */
  headers: Record<string, string>;
}

/** A built request plus where the valid credential sits, so reports can show it as `$IWKIT_TOKEN`. */
export interface BuiltRequest {
  request: HttpRequest;
  credential: { headers: string[]; query: string[]; cookies: string[] };
}

function scalar(value: unknown): string {
  if (value === null) return 'null';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function simple(value: unknown, explode: boolean): string {
  if (Array.isArray(value)) return value.map(scalar).join(',');
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => (explode ? `${k}=${scalar(v)}` : `${k},${scalar(v)}`))
      .join(',');
  }
  return scalar(value);
}

function queryPairs(param: Parameter | undefined, name: string, value: unknown): [string, string][] {
  const style = param?.style ?? 'form';
  const explode = param?.explode ?? true;
  if (Array.isArray(value)) {
    if (explode && style === 'form') return value.map((v) => [name, scalar(v)]);
    const sep = style === 'spaceDelimited' ? ' ' : style === 'pipeDelimited' ? '|' : ',';
    return [[name, value.map(scalar).join(sep)]];
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (style === 'deepObject') return entries.map(([k, v]) => [`${name}[${k}]`, scalar(v)]);
    if (explode) return entries.map(([k, v]) => [k, scalar(v)]);
    return [[name, entries.map(([k, v]) => `${k},${scalar(v)}`).join(',')]];
  }
  return [[name, scalar(value)]];
}

function encodeQuery(pairs: [string, string][]): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(v)}`).join('&');
}

function serialiseBody(body: NonNullable<ContractCase['request']['body']>): Buffer {
  if ('raw' in body) return Buffer.from(body.raw, 'utf8');
  const type = body.contentType.toLowerCase();
  if (isJsonMediaType(type) || type === '*/*' || type === 'application/*') return Buffer.from(JSON.stringify(body.value) ?? 'null', 'utf8');
  if (type.startsWith('application/x-www-form-urlencoded') && body.value !== null && typeof body.value === 'object') {
    return Buffer.from(encodeQuery(Object.entries(body.value as Record<string, unknown>).map(([k, v]) => [k, scalar(v)])), 'utf8');
  }
  return Buffer.from(typeof body.value === 'string' ? body.value : JSON.stringify(body.value) ?? '', 'utf8');
}

/** Serialises a case into an HTTP request: path, query styles, headers, cookies, credential and body. */
export function buildHttpRequest(c: ContractCase, settings: RequestSettings): BuiltRequest {
  const op = c.operation;
  const params = new Map(op.parameters.map((p) => [`${p.in}:${p.name}`, p]));
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = c.request.path[name];
    if (value === undefined) return `{${name}}`;
    const param = params.get(`path:${name}`);
    return encodeURIComponent(simple(value, param?.explode ?? false)).replace(/%2C/gi, ',');
  });

  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(c.request.query)) {
    if (value !== undefined) pairs.push(...queryPairs(params.get(`query:${name}`), name, value));
  }
  const headers: Record<string, string> = {};
  const cookies: [string, string][] = [];
  for (const [name, value] of Object.entries(c.request.cookies)) if (value !== undefined) cookies.push([name, simple(value, false)]);

  // User headers first, so a case's own headers (e.g. a wrong Content-Type) win.
  const dropped = c.auth === 'valid' ? [] : credentialHeaderNames(op);
  for (const [name, value] of Object.entries(settings.headers)) {
    if (!dropped.includes(name.toLowerCase())) headers[name] = value;
  }
  const credential: BuiltRequest['credential'] = { headers: [], query: [], cookies: [] };
  const schemes = requiredSchemes(op);
  const secret = c.auth === 'valid' ? settings.token : c.auth === 'invalid' ? INVALID_CREDENTIAL : undefined;
  if (secret !== undefined && schemes.length > 0) {
    const placed = placeCredential(schemes, secret);
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
  for (const [name, value] of Object.entries(c.request.headers)) {
    if (value !== undefined) headers[name] = simple(value, params.get(`header:${name}`)?.explode ?? false);
  }
  if (cookies.length > 0) headers.Cookie = cookies.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');

  const successTypes = op.responses.filter((r) => r.status.startsWith('2')).flatMap((r) => r.content.map((m) => m.contentType));
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'accept')) {
    headers.Accept = successTypes.length > 0 ? [...new Set([...successTypes, '*/*;q=0.1'])].join(', ') : 'application/json, */*;q=0.1';
  }
  let body: Buffer | undefined;
  if (c.request.body) {
    body = serialiseBody(c.request.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = c.request.body.contentType;
  }
  const query = encodeQuery(pairs);
  const url = `${settings.baseUrl.replace(/\/+$/, '')}${path}${query ? `?${query}` : ''}`;
  return { request: { method: op.method.toUpperCase(), url, headers, ...(body ? { body } : {}) }, credential };
}
