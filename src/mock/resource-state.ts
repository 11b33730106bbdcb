import type { TSchema } from '@sinclair/typebox';
import type { CompiledOperation } from './compile-operation.js';
import type { MockAnswer, MockRequest } from './mock-answer.js';
import type { ResourceGroup } from './plan-state.js';
import { problem, type Problem, type ProblemFieldError } from './problem.js';
import { propertiesOf, refMap, shapeOf, itemsOf, type SchemaRefs } from './schema-shape.js';
import type { StateRuntime } from './state-runtime.js';
import { jsonBodyOf, schemaIssues, withJsonBody } from './state-answer.js';

// Resources: items created by POST on a collection persist, and GET / PUT / PATCH / DELETE on an item
// and GET on the collection answer from what is stored. Every item is checked against each schema
// it will be answered with before it is stored, so the store never holds what the spec cannot say.

type Item = Record<string, unknown>;
/** What a resource answer decides: an answer, a problem, or "not found" (the caller picks the spec's 404). */
export type ResourceOutcome = { answer: MockAnswer } | { problem: Problem } | { notFound: string };

const isItem = (value: unknown): value is Item => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The collection a request addresses, and the item key for an id in it. */
function collectionOf(request: MockRequest, role: string): string {
  const path = request.path.replace(/\/+$/, '');
  return role === 'create' || role === 'list' ? path : path.slice(0, path.lastIndexOf('/'));
}
/** The store key of one item of a collection. */
export const itemKey = (collection: string, id: unknown): string => `R:${collection}/${encodeURIComponent(String(id))}`;

function requestId(group: ResourceGroup, request: MockRequest): string {
  const raw = String(request.params[group.param] ?? '');
  return group.idShape === 'integer' && raw !== '' && Number.isFinite(Number(raw)) ? String(Number(raw)) : raw;
}

/** The properties an answer schema names: what of a sent body is kept (writeOnly fields and unknown extras are not). */
function answerProperties(op: CompiledOperation, status: number, refs: SchemaRefs): Map<string, TSchema> {
  const schema = op.responses.find((r) => r.spec.status === String(status))?.media.find((m) => m.validator);
  const source = op.operation.responses.find((r) => r.status === String(status))?.content.find((m) => m.contentType === schema?.contentType);
  return source ? propertiesOf(source.schema, refs) : new Map();
}

function kept(sent: unknown, properties: Map<string, TSchema>): Item {
  if (!isItem(sent)) return {};
  if (properties.size === 0) return { ...sent };
  return Object.fromEntries(Object.entries(sent).filter(([name]) => properties.has(name)));
}

/** RFC 7396 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isItem(patch)) return patch;
  const out: Item = isItem(target) ? { ...target } : {};
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete out[name];
    else out[name] = mergePatch(out[name], value);
  }
  return out;
}

/** A problem naming every schema that cannot represent the item, so it is refused instead of stored broken. */
function unrepresentable(item: Item, group: ResourceGroup, status: number, self: CompiledOperation): Problem | undefined {
  const issues: ProblemFieldError[] = [];
  for (const op of group.itemAnswerers) {
    const code = op === self ? status : op.defaultStatus;
    for (const issue of schemaIssues(op, code, item)) issues.push({ ...issue, in: 'body' as const, message: `${op.operation.operationId}'s answer schema: ${issue.message}` });
  }
  if (issues.length === 0) return undefined;
  return problem(400, `the item cannot be stored: the spec's schemas cannot represent it (${issues.map((e) => `${e.pointer || '/'} ${e.message}`).join('; ')})`, issues);
}

/** An id for a new item: the next number of the collection, as a uuid or text where the schema wants one. */
async function newId(group: ResourceGroup, state: StateRuntime, scope: string, collection: string): Promise<number | string> {
  const n = await state.store.incr(scope, `N:${collection}`);
  if (group.idShape === 'integer') return n;
  if (group.uuid) return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  return String(n);
}

async function create(op: CompiledOperation, group: ResourceGroup, request: MockRequest, answer: MockAnswer, state: StateRuntime, scope: string, refs: SchemaRefs): Promise<ResourceOutcome> {
  const generated = jsonBodyOf(answer);
  if (!isItem(generated)) return { answer };
  const collection = collectionOf(request, 'create');
  const item: Item = { ...generated, ...kept(request.body, answerProperties(op, answer.status, refs)) };
  const refusedFirst = unrepresentable({ ...item, [group.idProperty]: generated[group.idProperty] }, group, answer.status, op);
  if (refusedFirst) return { problem: refusedFirst };
  item[group.idProperty] = await newId(group, state, scope, collection);
  // A counted id the schema refuses (a pattern, a length): the generated one, when it is free.
  if (unrepresentable(item, group, answer.status, op)) item[group.idProperty] = generated[group.idProperty];
  await state.store.set(scope, itemKey(collection, item[group.idProperty]), JSON.stringify(item));
  const headers: Record<string, string> = 'location' in answer.headers ? { location: `${collection}/${encodeURIComponent(String(item[group.idProperty]))}` } : {};
  const written = withJsonBody(answer, item, 'state:created');
  return { answer: { ...written, headers: { ...written.headers, ...headers } } };
}

async function stored(group: ResourceGroup, request: MockRequest, state: StateRuntime, scope: string): Promise<{ key: string; item: Item } | undefined> {
  const key = itemKey(collectionOf(request, 'read'), requestId(group, request));
  const text = await state.store.get(scope, key);
  return text === undefined ? undefined : { key, item: JSON.parse(text) as Item };
}

/** Which of an answer schema's properties are readOnly (server-side), kept across a replace. */
function readOnlyOf(item: Item, properties: Map<string, TSchema>): Item {
  return Object.fromEntries(Object.entries(item).filter(([name]) => (properties.get(name) as { readOnly?: boolean } | undefined)?.readOnly === true));
}

/** The page of a list the request asks for with the spec's own limit/offset or page parameters. */
function page(op: CompiledOperation, query: Record<string, unknown>, items: Item[]): Item[] {
  const declared = new Map(op.operation.parameters.filter((p) => p.in === 'query').map((p) => [p.name, p]));
  const number = (names: string[]): { value?: number; schema?: TSchema } => {
    const name = names.find((n) => declared.has(n));
    if (!name) return {};
    const raw = Array.isArray(query[name]) ? (query[name] as unknown[])[0] : query[name];
    const schema = declared.get(name)!.schema;
    const fallback = (schema as { default?: unknown }).default;
    const value = raw === undefined || raw === '' ? (typeof fallback === 'number' ? fallback : undefined) : Number(raw);
    return { value: value !== undefined && Number.isFinite(value) ? Math.max(0, Math.floor(value)) : undefined, schema };
  };
  const limit = number(['limit', 'per_page', 'perPage', 'pageSize', 'page_size', 'size', 'count']).value;
  const offset = number(['offset', 'skip', 'start']).value;
  const pageNumber = number(['page', 'pageNumber', 'page_number']);
  let start = offset ?? 0;
  if (offset === undefined && pageNumber.value !== undefined && limit !== undefined) {
    const first = (pageNumber.schema as { minimum?: number } | undefined)?.minimum === 0 ? 0 : 1;
    start = Math.max(0, pageNumber.value - first) * limit;
  }
  return items.slice(start, limit === undefined ? undefined : start + limit);
}

async function list(op: CompiledOperation, group: ResourceGroup, request: MockRequest, answer: MockAnswer, state: StateRuntime, scope: string, refs: SchemaRefs): Promise<ResourceOutcome> {
  const generated = jsonBodyOf(answer);
  const prefix = `R:${collectionOf(request, 'list')}/`;
  const entries = await state.store.list(scope, prefix);
  const items = page(op, request.query, entries.filter((e) => !e.key.slice(prefix.length).includes('/')).map((e) => JSON.parse(e.value) as Item));
  const schema = op.operation.responses.find((r) => r.status === String(answer.status))?.content[0]?.schema;
  let body: unknown;
  if (Array.isArray(generated)) body = items;
  else if (isItem(generated) && schema) {
    const arrayProperty = [...propertiesOf(schema, refs)].find(([, s]) => shapeOf(s, refs) === 'array' && shapeOf(itemsOf(s, refs), refs) === 'object');
    if (!arrayProperty) return { answer };
    body = { ...generated, [arrayProperty[0]]: items };
  } else return { answer };
  // A list the schema cannot hold (fewer than minItems, a total it pins): the generated answer stands.
  if (schemaIssues(op, answer.status, body).length > 0) return { answer };
  return { answer: withJsonBody(answer, body, 'state:listed') };
}

/** True when the operation documents a 404 (exactly, by range or by default). */
export const declaresNotFound = (op: CompiledOperation): boolean => op.responses.some((r) => ['404', '4XX', '4xx', 'default'].includes(r.spec.status));

/** Answers one resource operation from the store; `answer` is the generated answer it starts from. */
export async function resourceAnswer(
  op: CompiledOperation,
  role: 'create' | 'list' | 'read' | 'replace' | 'merge' | 'remove',
  group: ResourceGroup,
  request: MockRequest,
  answer: MockAnswer,
  state: StateRuntime,
  scope: string,
  references: readonly TSchema[],
): Promise<ResourceOutcome> {
  const refs = refMap(references);
  if (role === 'create') return create(op, group, request, answer, state, scope, refs);
  if (role === 'list') return list(op, group, request, answer, state, scope, refs);
  let found = await stored(group, request, state, scope);
  const missing = `no item ${group.param}=${String(request.params[group.param])} in ${collectionOf(request, role)}`;
  // PUT/PATCH of an unknown id where the spec documents no 404: the item is created at that id (an upsert).
  if (!found && (role === 'replace' || role === 'merge') && !declaresNotFound(op)) {
    const raw = requestId(group, request);
    found = { key: itemKey(collectionOf(request, role), raw), item: { [group.idProperty]: group.idShape === 'integer' ? Number(raw) : raw } };
  }
  if (!found) return { notFound: missing };
  if (role === 'remove') {
    await state.store.delete(scope, found.key);
    return { answer };
  }
  if (role === 'read') return { answer: jsonBodyOf(answer) === undefined ? answer : withJsonBody(answer, found.item, 'state:read') };
  const sent = kept(request.body, answerProperties(op, answer.status, refs));
  const id = found.item[group.idProperty];
  const item = (role === 'replace' ? { ...readOnlyOf(found.item, answerProperties(op, answer.status, refs)), ...sent } : (mergePatch(found.item, sent) as Item));
  item[group.idProperty] = id;
  const refused = unrepresentable(item, group, answer.status, op);
  if (refused) return { problem: refused };
  await state.store.set(scope, found.key, JSON.stringify(item));
  return { answer: jsonBodyOf(answer) === undefined ? answer : withJsonBody(answer, item, role === 'replace' ? 'state:replaced' : 'state:merged') };
}
