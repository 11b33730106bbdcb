// The document the docs page loads is the spec with two changes made for "Try it out":
// the mock itself becomes the first server, and every operation gets an optional Prefer header.
// The raw spec at /openapi.json stays untouched; this copy is only for the browser UI.

type JsonObject = Record<string, unknown>;

/** A server entry of an OpenAPI document. */
interface ServerEntry {
  url: string;
  description?: string;
  [key: string]: unknown;
}

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A Host header worth echoing into a URL: a host name or IP literal and an optional port, nothing else. */
const safeHost = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** The mock's own base URL as the browser reached it, or `/` (same origin) when the Host header is unusable. */
export function selfBaseUrl(protocol: string, host: string | undefined): string {
  if (!host || !safeHost.test(host) || (protocol !== 'http' && protocol !== 'https')) return '/';
  return `${protocol}://${host}`;
}

function sameUrl(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

/** Puts the mock first and keeps the documented servers after it (minus duplicates of the mock's own URL). */
function withSelfFirst(servers: unknown, self: ServerEntry): ServerEntry[] {
  const documented = Array.isArray(servers) ? servers.filter((s): s is ServerEntry => isObject(s) && typeof s.url === 'string') : [];
  return [self, ...documented.filter((s) => !sameUrl(s.url, self.url))];
}

/** Resolves a local `#/...` reference inside the document, or returns the value itself. */
function deref(document: JsonObject, value: unknown): unknown {
  if (!isObject(value) || typeof value.$ref !== 'string' || !value.$ref.startsWith('#/')) return value;
  let node: unknown = document;
  for (const raw of value.$ref.slice(2).split('/')) {
    if (!isObject(node)) return undefined;
    node = node[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

function declaresPrefer(document: JsonObject, parameters: unknown[]): boolean {
  return parameters.some((p) => {
    const param = deref(document, p);
    return isObject(param) && param.in === 'header' && typeof param.name === 'string' && param.name.toLowerCase() === 'prefer';
  });
}

/** What one operation can be asked for through Prefer: its declared statuses, default status and example names. */
export interface PreferChoices {
  statuses: readonly string[];
  defaultStatus?: number;
  examples: readonly string[];
}

/** A concrete status for a declared one: `404` as is, `4XX` as `400`, `default` as `500`. */
function concreteStatus(declared: string): number | undefined {
  if (/^[1-5]\d\d$/.test(declared)) return Number(declared);
  if (/^[1-5]XX$/i.test(declared)) return Number(declared[0]) * 100;
  return declared === 'default' ? 500 : undefined;
}

/**
 * The values the docs page suggests for one operation's Prefer header, all of which that operation
 * answers: one of its own example or fixture names, a declared status (an error one when there is
 * one, since the default answer needs no asking), and a seed.
 */
export function preferHints(choices: PreferChoices): string[] {
  const hints: string[] = [];
  const example = [...choices.examples].sort()[0];
  if (example !== undefined) hints.push(`example=${example}`);
  const statuses = choices.statuses.map(concreteStatus).filter((s): s is number => s !== undefined);
  const rank = (s: number) => (s === choices.defaultStatus ? 3 : s >= 400 && s < 500 ? 0 : s >= 500 ? 1 : 2);
  const code = [...statuses].sort((a, b) => rank(a) - rank(b) || a - b)[0];
  if (code !== undefined) hints.push(`code=${code}`);
  hints.push('seed=3');
  return hints;
}

function preferParameter(hints: readonly string[]): JsonObject {
  const listed = hints.map((h) => `\`${h}\``).join(', ');
  return {
    name: 'Prefer',
    in: 'header',
    required: false,
    description: `Added by the iwkit mock, not part of the API: pick the answer, e.g. ${listed} (combine with commas).`,
    schema: { type: 'string' },
    'x-iwkit': true,
  };
}

/** Where the docs copy finds each operation's Prefer choices: by lower-case method and path. */
export type PreferChoicesOf = (method: string, path: string) => PreferChoices | undefined;

/**
 * Returns a copy of an OpenAPI document for the docs page: `self` first in every `servers` list
 * (root, path and operation level) and an optional `Prefer` header on each operation. Never mutates the input.
 */
export function docsDocument(document: JsonObject, selfUrl: string, choicesOf?: PreferChoicesOf): JsonObject {
  const self: ServerEntry = { url: selfUrl, description: 'this iwkit mock (Try it out answers from here)' };
  const paths = isObject(document.paths) ? document.paths : {};
  const newPaths: JsonObject = {};
  for (const [path, rawItem] of Object.entries(paths)) {
    if (!isObject(rawItem)) {
      newPaths[path] = rawItem;
      continue;
    }
    const item: JsonObject = { ...rawItem };
    // Path- and operation-level servers override the root ones in the UI, so each needs the mock too.
    if (Array.isArray(item.servers)) item.servers = withSelfFirst(item.servers, self);
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of methods) {
      const rawOp = item[method];
      if (!isObject(rawOp)) continue;
      const op: JsonObject = { ...rawOp };
      if (Array.isArray(op.servers)) op.servers = withSelfFirst(op.servers, self);
      const own = Array.isArray(op.parameters) ? op.parameters : [];
      const hints = preferHints(choicesOf?.(method, path) ?? { statuses: [], examples: [] });
      if (!declaresPrefer(document, [...shared, ...own])) op.parameters = [...own, preferParameter(hints)];
      item[method] = op;
    }
    newPaths[path] = item;
  }
  const copy: JsonObject = { ...document, servers: withSelfFirst(document.servers, self) };
  if (isObject(document.paths)) copy.paths = newPaths;
  return copy;
}
