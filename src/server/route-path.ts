import { buildRouteTable, type ShapeSegment, type TableRoute } from '../mock/route-table.js';

// The route table's shapes, written as find-my-way routes: a slot is `:p<n>` (find-my-way ends a parameter name at
// `-` or `.`, so slots get positional keys that are mapped back to the spec's names), the rest of a path is `*`.

/** A Fastify route path for a table route, and how its params map to the spec's parameter names. */
export interface RoutePath {
  url: string;
  /** Fastify param key → the spec's parameter name (only for routes that hand slots over as parameters). */
  names: Map<string, string>;
}

/** The Fastify param key of each slot of a shape, in slot order. */
export function slotKeys(shape: ShapeSegment[]): string[] {
  const keys: string[] = [];
  for (const segment of shape) {
    if (segment.kind === 'slot') keys.push(`p${keys.length}`);
    else if (segment.kind === 'rest') keys.push('*');
  }
  return keys;
}

/** Writes a shape as a find-my-way route path; fixed text never holds `:` or `*` (the table makes those slots). */
export function routeUrl(shape: ShapeSegment[]): string {
  let slot = 0;
  return `/${shape.map((s) => (s.kind === 'static' ? s.text : s.kind === 'slot' ? `:p${slot++}` : '*')).join('/')}`;
}

/** The Fastify route path of a table route, with the spec's name for each param key when it has them. */
export function routePathOf(route: TableRoute): RoutePath {
  const keys = slotKeys(route.shape);
  const names = new Map<string, string>();
  if (route.direct) keys.forEach((key, i) => names.set(key, route.direct![i]));
  return { url: routeUrl(route.shape), names };
}

/** Converts one OpenAPI path template into the Fastify route path it is served on at the root. */
export function toRoutePath(template: string): RoutePath {
  const [route] = buildRouteTable([{ method: 'get', path: template, parameters: [] }]).routes;
  return routePathOf(route);
}
