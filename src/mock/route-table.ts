import type { Operation } from '../openapi/api-model.js';
import { joinPointer } from '../openapi/json-pointer.js';
import { decodeText, parsePathTemplate, type PathTemplate, type TemplatePiece } from './parse-path-template.js';

// Which operation answers a request, for every path shape real documents use. A router matches whole segments
// of fixed text; everything else (text around a parameter, reserved characters in fixed text, operations
// told apart only by a `?query` or `#fragment` key) becomes a slot the router hands over and this table decides.

/** One segment of a route as the router sees it: fixed text, one segment's text, or the rest of the path. */
export type ShapeSegment = { kind: 'static'; text: string } | { kind: 'slot' } | { kind: 'rest' };

/** What the table needs of an operation. */
export type RouteOperation = Pick<Operation, 'method' | 'path' | 'parameters'>;

type CapturePart = { slot: number; piece: number } | { text: string };

/** One operation that a route may hand a request to. */
export interface RouteCandidate {
  /** Index into the operations given to {@link buildRouteTable}. */
  operation: number;
  /** The path this candidate serves: the declared key, or its base-path or trailing-slash alias. */
  path: string;
  /** The pieces of each slot segment, in slot order. */
  slots: TemplatePiece[][];
  captures: { name: string; parts: CapturePart[] }[];
  /** `?name=value` pairs of the key, which a request's query must carry for this candidate to be preferred. */
  query: [string, string | undefined][];
  requiredQuery: string[];
}

/** One router entry: a method and a shape, with the operations that may answer on it. */
export interface TableRoute {
  /** Upper-case. */
  method: string;
  shape: ShapeSegment[];
  candidates: RouteCandidate[];
  /** The parameter name of each slot when the only candidate takes every slot's text as one parameter's value. */
  direct?: string[];
  /** For a GET route: a HEAD operation has the same shape, so HEAD must not be answered from GET. */
  headDeclared: boolean;
  /** False for a route that exists only as an alias (under a base path, or with the other trailing slash). */
  declared: boolean;
}

/** The operation chosen for a request, with its path parameters as text, by the spec's parameter names. */
export interface RouteChoice {
  /** Index into the route's candidates. */
  index: number;
  params: Record<string, string>;
}

/** Every route to register, and the decisions taken on them. */
export interface RouteTable {
  routes: TableRoute[];
  /** The path prefixes the API is also served under (from the first server URL). */
  basePaths: string[];
  /** `#/paths/...: ...` findings: operations that can never answer. */
  warnings: string[];
  /** Picks a candidate of `route` for the router's slot texts (decoded) and the parsed query. */
  choose(route: TableRoute, slotTexts: readonly string[], query: Record<string, unknown>): RouteChoice | undefined;
  /** The declared methods whose routes match a raw request path (for 405 and Allow), upper-case. */
  allowedMethods(path: string): string[];
}

// Characters a router leaves percent-encoded in a path (or gives a meaning), so fixed text holding one is matched here.
const unsafeForRouter = /[#$%&*+,/:;=?@]/;

function shapeOf(template: PathTemplate): { shape: ShapeSegment[]; slots: TemplatePiece[][] } {
  const shape: ShapeSegment[] = [];
  const slots: TemplatePiece[][] = [];
  template.segments.forEach((pieces, index) => {
    const last = index === template.segments.length - 1;
    if (pieces.every((p) => p.kind === 'literal')) {
      const text = pieces.map((p) => p.text).join('');
      if (!unsafeForRouter.test(text)) {
        shape.push({ kind: 'static', text });
        return;
      }
    }
    if (last && pieces.length === 1 && pieces[0].kind === 'rest') {
      shape.push({ kind: 'rest' });
      slots.push(pieces);
      return;
    }
    // "**" anywhere else matches one segment.
    shape.push({ kind: 'slot' });
    slots.push(pieces.map((p) => (p.kind === 'rest' ? { ...p, kind: 'param' } : p)));
  });
  return { shape, slots };
}

function shapeKey(shape: ShapeSegment[]): string {
  return shape.map((s) => (s.kind === 'static' ? `s:${s.text}` : s.kind === 'slot' ? '{}' : '**')).join('/');
}

/** How each parameter's value is put together from the template: one piece, or a `{name=pattern}` joined by slashes. */
function capturesOf(template: PathTemplate, shape: ShapeSegment[]): RouteCandidate['captures'] {
  const plans = new Map<string, { parts: CapturePart[]; segment: number }>();
  let slot = -1;
  template.segments.forEach((pieces, segment) => {
    const isSlot = shape[segment].kind !== 'static';
    if (isSlot) slot++;
    pieces.forEach((piece, index) => {
      if (piece.capture === undefined) return;
      const part: CapturePart = isSlot ? { slot, piece: index } : { text: (piece as { text: string }).text };
      const plan = plans.get(piece.capture);
      if (!plan || !piece.spans) {
        plans.set(piece.capture, { parts: [part], segment });
        return;
      }
      if (plan.segment !== segment) plan.parts.push({ text: '/' });
      plan.parts.push(part);
      plan.segment = segment;
    });
  });
  return [...plans].map(([name, plan]) => ({ name, parts: plan.parts }));
}

/** A `{name=pattern}` value goes to the parameter named `name`, or to one named `name=pattern` when the operation has that. */
function parameterName(op: RouteOperation, template: PathTemplate, capture: string): string {
  const whole = template.patterns.get(capture);
  return whole !== undefined && op.parameters.some((p) => p.in === 'path' && p.name === whole) ? whole : capture;
}

/**
 * Splits one segment's text into its pieces' texts; undefined when it does not fit. A parameter followed by
 * fixed text ends at that text's first occurrence (at the end, for the last piece), so the work is linear.
 */
function matchSlot(pieces: TemplatePiece[], text: string): string[] | undefined {
  if (pieces.length === 1) {
    const only = pieces[0];
    return only.kind !== 'literal' || only.text === text ? [text] : undefined;
  }
  const out: string[] = [];
  let at = 0;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i];
    if (piece.kind === 'literal') {
      if (!text.startsWith(piece.text, at)) return undefined;
      out.push(piece.text);
      at += piece.text.length;
      continue;
    }
    const next = pieces[i + 1];
    let end: number;
    if (next?.kind !== 'literal') end = text.length;
    else if (i + 1 === pieces.length - 1) end = text.endsWith(next.text) ? text.length - next.text.length : -1;
    else end = text.indexOf(next.text, at + 1);
    // A parameter inside a segment is never empty.
    if (end <= at) return undefined;
    out.push(text.slice(at, end));
    at = end;
  }
  return at === text.length ? out : undefined;
}

function matchCandidate(candidate: RouteCandidate, slotTexts: readonly string[]): string[][] | undefined {
  const matched: string[][] = [];
  for (let i = 0; i < candidate.slots.length; i++) {
    const texts = matchSlot(candidate.slots[i], slotTexts[i] ?? '');
    if (!texts) return undefined;
    matched.push(texts);
  }
  return matched;
}

function paramsOf(candidate: RouteCandidate, matched: string[][]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const { name, parts } of candidate.captures) {
    params[name] = parts.map((p) => ('text' in p ? p.text : matched[p.slot][p.piece])).join('');
  }
  return params;
}

function queryHas(query: Record<string, unknown>, [name, value]: [string, string | undefined]): boolean {
  const actual = query[name];
  if (actual === undefined) return false;
  if (value === undefined) return true;
  return Array.isArray(actual) ? actual.some((v) => String(v) === value) : String(actual) === value;
}

/** How much of a candidate's slots is fixed text: fixed text beats a parameter in the same place, as in a router. */
function specificity(candidate: RouteCandidate): number {
  let score = 0;
  for (const pieces of candidate.slots) {
    const literals = pieces.filter((p) => p.kind === 'literal').length;
    score += literals === pieces.length ? 1000 : literals;
  }
  return score;
}

/**
 * Ranks candidates that match a request's path: more fixed text first, then the key's own `?query` when the
 * request carries it, then the required query parameters when all are present. Ties go to the first declared.
 */
function preference(candidate: RouteCandidate, query: Record<string, unknown>): number {
  const keyQuery = candidate.query.every((pair) => queryHas(query, pair)) ? candidate.query.length : -1;
  const required = candidate.requiredQuery.every((name) => query[name] !== undefined) ? candidate.requiredQuery.length : -1;
  return specificity(candidate) * 1e6 + (keyQuery + 1) * 1e3 + (required + 1);
}

function choose(route: TableRoute, slotTexts: readonly string[], query: Record<string, unknown>): RouteChoice | undefined {
  let best: RouteChoice | undefined;
  let bestScore = -Infinity;
  for (let index = 0; index < route.candidates.length; index++) {
    const candidate = route.candidates[index];
    const matched = matchCandidate(candidate, slotTexts);
    if (!matched) continue;
    const score = route.candidates.length === 1 ? 0 : preference(candidate, query);
    if (score > bestScore) {
      bestScore = score;
      best = { index, params: paramsOf(candidate, matched) };
    }
  }
  return best;
}

/** The slot texts of a decoded path for a shape; undefined when its fixed text or length differs. */
function slotTextsOf(shape: ShapeSegment[], segments: string[]): string[] | undefined {
  const texts: string[] = [];
  for (let i = 0; i < shape.length; i++) {
    const s = shape[i];
    if (s.kind === 'rest') {
      texts.push(segments.slice(i).join('/'));
      return texts;
    }
    if (i >= segments.length) return undefined;
    if (s.kind === 'static' && segments[i] !== s.text) return undefined;
    // An empty segment is no parameter value (a router may still hand one over; the operation then validates it).
    if (s.kind === 'slot') {
      if (segments[i] === '') return undefined;
      texts.push(segments[i]);
    }
  }
  return segments.length === shape.length ? texts : undefined;
}

function routeMatches(route: TableRoute, segments: string[]): boolean {
  const texts = slotTextsOf(route.shape, segments);
  return texts !== undefined && route.candidates.some((c) => matchCandidate(c, texts) !== undefined);
}

/** Same requests, same preference: a later candidate with this signature can never be chosen. */
function signature(candidate: RouteCandidate): string {
  const slots = candidate.slots.map((pieces) => pieces.map((p) => (p.kind === 'literal' ? `l:${p.text}` : p.kind)));
  const query = candidate.query.map(([k, v]) => `${k}=${v ?? ''}`).sort();
  return JSON.stringify([slots, query, [...candidate.requiredQuery].sort()]);
}

function withSegments(template: PathTemplate, segments: TemplatePiece[][], path: string): PathTemplate {
  return { ...template, key: path, segments };
}

/** The same template with the other trailing slash; none for "/" and for a template ending in a rest. */
function toggleSlash(template: PathTemplate): PathTemplate | undefined {
  const { segments } = template;
  const last = segments[segments.length - 1];
  if (!last || (segments.length === 1 && last.length === 0) || last.some((p) => p.kind === 'rest')) return undefined;
  const path = template.key.split(/[?#]/)[0];
  return last.length === 0
    ? withSegments(template, segments.slice(0, -1), path.slice(0, -1))
    : withSegments(template, [...segments, []], `${path}/`);
}

function aliasesOf(template: PathTemplate, basePaths: string[]): PathTemplate[] {
  const prefixed = basePaths.map((base) => {
    const path = `${base}${template.key.split(/[?#]/)[0]}`;
    return withSegments(template, [...parsePathTemplate(base).segments, ...template.segments], path);
  });
  return [template, ...prefixed].flatMap((t) => [t === template ? undefined : t, toggleSlash(t)]).filter((t): t is PathTemplate => t !== undefined);
}

function decodedSegments(path: string): string[] {
  return path.split('/').slice(1).map(decodeText);
}

/** The path prefix of the first server URL (`https://api.example.com/v2` → `/v2`); none for "/" or an unresolved variable. */
export function basePathsOf(servers: { url: string }[]): string[] {
  const url = servers[0]?.url;
  if (url === undefined) return [];
  const path = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').replace(/^\/\/[^/]*/, '').replace(/^\.\//, '').split(/[?#]/)[0].replace(/\/+$/, '');
  if (path === '' || path.includes('{')) return [];
  return [path.startsWith('/') ? path : `/${path}`];
}

/** A route candidate for one operation under one of its templates (declared or an alias). */
function routeCandidate(op: RouteOperation, operation: number, template: PathTemplate, shape: ShapeSegment[], slots: RouteCandidate['slots']): RouteCandidate {
  return {
    operation,
    path: template.key,
    slots,
    captures: capturesOf(template, shape).map((c) => ({ ...c, name: parameterName(op, template, c.name) })),
    query: template.query,
    requiredQuery: op.parameters.filter((p) => p.in === 'query' && p.required).map((p) => p.name),
  };
}

/** Routes by method and shape as templates are added; a candidate answering what an earlier one answers is dropped (with a warning when declared). */
class RouteCollector {
  readonly routes = new Map<string, TableRoute>();
  readonly warnings: string[] = [];

  constructor(private readonly operations: RouteOperation[]) {}

  add(operation: number, template: PathTemplate, declared: boolean): void {
    const op = this.operations[operation];
    const { shape, slots } = shapeOf(template);
    const method = op.method.toUpperCase();
    const key = `${method} ${shapeKey(shape)}`;
    const candidate = routeCandidate(op, operation, template, shape, slots);
    let route = this.routes.get(key);
    if (!route) this.routes.set(key, (route = { method, shape, candidates: [], headDeclared: false, declared }));
    const same = route.candidates.find((c) => signature(c) === signature(candidate));
    if (!same) route.candidates.push(candidate);
    else if (declared) {
      this.warnings.push(`${joinPointer('#/paths', op.path, op.method)}: ${method} ${same.path} is declared first and answers the same requests; this operation is never served`);
    }
  }

  /** Whether an alias would take a request a declared operation answers, under any method: such aliases are not added. */
  shadowsOf(): (template: PathTemplate) => boolean {
    const declaredRoutes = [...this.routes.values()];
    const declaredShapes = new Set(declaredRoutes.map((r) => shapeKey(r.shape)));
    return (template) => {
      const { shape } = shapeOf(template);
      if (declaredShapes.has(shapeKey(shape))) return true;
      if (!shape.every((s) => s.kind === 'static')) return false;
      const segments = shape.map((s) => (s as { text: string }).text);
      return declaredRoutes.some((r) => routeMatches(r, segments));
    };
  }
}

/** Marks GET routes with a declared HEAD and direct parameter names; groups routes by segment count, rest routes apart. */
function indexRoutes(list: TableRoute[]): { bySegments: Map<number, TableRoute[]>; withRest: TableRoute[] } {
  const headShapes = new Set(list.filter((r) => r.method === 'HEAD').map((r) => shapeKey(r.shape)));
  const bySegments = new Map<number, TableRoute[]>();
  const withRest: TableRoute[] = [];
  for (const route of list) {
    route.headDeclared = route.method === 'GET' && headShapes.has(shapeKey(route.shape));
    const direct = directNames(route);
    if (direct) route.direct = direct;
    if (route.shape.some((s) => s.kind === 'rest')) withRest.push(route);
    else {
      const sameLength = bySegments.get(route.shape.length);
      if (sameLength) sameLength.push(route);
      else bySegments.set(route.shape.length, [route]);
    }
  }
  return { bySegments, withRest };
}

/** Builds the route table for a spec's operations, served at the root and under each base path. */
export function buildRouteTable(operations: RouteOperation[], options: { basePaths?: string[] } = {}): RouteTable {
  const basePaths = options.basePaths ?? [];
  const collector = new RouteCollector(operations);
  const templates = operations.map((op) => parsePathTemplate(op.path));
  templates.forEach((template, index) => collector.add(index, template, true));
  const shadows = collector.shadowsOf();
  templates.forEach((template, index) => {
    for (const alias of aliasesOf(template, basePaths)) if (!shadows(alias)) collector.add(index, alias, false);
  });
  const list = [...collector.routes.values()];
  const { bySegments, withRest } = indexRoutes(list);
  return {
    routes: list,
    basePaths,
    warnings: collector.warnings,
    choose,
    allowedMethods(path) {
      const segments = decodedSegments(path);
      const methods = new Set<string>();
      for (const route of [...(bySegments.get(segments.length) ?? []), ...withRest]) {
        if (!methods.has(route.method) && routeMatches(route, segments)) methods.add(route.method);
      }
      return [...methods];
    },
  };
}

/** The parameter per slot when a route's only candidate maps each slot's whole text to one parameter. */
function directNames(route: TableRoute): string[] | undefined {
  if (route.candidates.length !== 1) return undefined;
  const [candidate] = route.candidates;
  if (candidate.slots.some((pieces) => pieces.length !== 1 || pieces[0].kind === 'literal')) return undefined;
  const names: string[] = [];
  for (const { name, parts } of candidate.captures) {
    const [part] = parts;
    if (parts.length !== 1 || !('slot' in part)) return undefined;
    names[part.slot] = name;
  }
  return names.filter((n) => n !== undefined).length === candidate.slots.length ? names : undefined;
}
