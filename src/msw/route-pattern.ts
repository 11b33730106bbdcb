import type { TableRoute } from '../mock/route-table.js';

// The route table's shapes as MSW paths: a RegExp over the request URL without its query (MSW strips it),
// fixed text as a URL writes it, one segment per slot, anything for the rest of a path.

const anyOrigin = '[a-z][a-z0-9+.-]*://[^/]+';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The base URL without a trailing slash, or undefined for any origin. */
function basePrefix(baseUrl: string | undefined): string | undefined {
  return baseUrl === undefined ? undefined : baseUrl.replace(/\/+$/, '');
}

/** The path of the base URL (`''` for none), which a request path starts with. */
function basePath(baseUrl: string | undefined): string {
  const prefix = basePrefix(baseUrl);
  return prefix === undefined ? '' : new URL(`${prefix}/`).pathname.replace(/\/$/, '');
}

/** The RegExp MSW matches a route's requests by; without a route, every URL under the base URL. */
export function routePattern(route: TableRoute | undefined, baseUrl: string | undefined): RegExp {
  const prefix = basePrefix(baseUrl);
  const head = prefix === undefined ? anyOrigin : escapeRegExp(prefix);
  if (!route) return new RegExp(`^${head}(/.*)?$`, 'i');
  const segments = route.shape.map((s) => (s.kind === 'static' ? escapeRegExp(encodeURI(s.text)) : s.kind === 'slot' ? '[^/]*' : '.*'));
  return new RegExp(`^${head}/${segments.join('/')}$`);
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** The decoded text of each slot of a route for a request URL, as a router hands them to the table; undefined when it does not fit. */
export function slotTexts(route: TableRoute, url: URL, baseUrl: string | undefined): string[] | undefined {
  const base = basePath(baseUrl);
  if (!url.pathname.startsWith(base)) return undefined;
  const segments = url.pathname.slice(base.length + 1).split('/');
  const texts: string[] = [];
  for (let i = 0; i < route.shape.length; i++) {
    const s = route.shape[i];
    if (s.kind === 'rest') {
      const rest = decode(segments.slice(i).join('/'));
      if (rest === undefined) return undefined;
      texts.push(rest);
      return texts;
    }
    const text = segments[i] === undefined ? undefined : decode(segments[i]);
    if (text === undefined) return undefined;
    if (s.kind === 'static' && text !== s.text) return undefined;
    if (s.kind === 'slot') texts.push(text);
  }
  return segments.length === route.shape.length ? texts : undefined;
}
