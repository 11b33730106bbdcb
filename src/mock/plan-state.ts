import type { TSchema } from '@sinclair/typebox';
import type { Operation } from '../openapi/api-model.js';
import type { CompiledOperation } from './compile-operation.js';
import { carriesJson } from './negotiate-media-type.js';
import { propertiesOf, refMap, shapeOf, type SchemaRefs } from './schema-shape.js';

// Which operations keep state, decided once at start from the spec alone: a login that issues
// sessions, the operations its sessions protect, and collections whose items persist.

/** A collection and its items: `POST /things` creates `/things/{param}` items identified by `idProperty`. */
export interface ResourceGroup {
  collectionPath: string;
  param: string;
  idProperty: string;
  idShape: 'integer' | 'string';
  /** The id is a uuid (`format: uuid`): generated ids keep that form. */
  uuid: boolean;
  /** Every operation that answers with a stored item, so a write is checked against each of their schemas. */
  itemAnswerers: CompiledOperation[];
}

/** What one operation does with state. */
export interface OperationState {
  /** A login: its 2xx answer is a session whose `credentialProperty` the client then presents. */
  login?: { credentialProperty: string };
  /** The operation needs a live session (the spec has a login and this operation asks for a credential). */
  protected?: boolean;
  resource?: { role: 'create' | 'list' | 'read' | 'replace' | 'merge' | 'remove'; group: ResourceGroup };
}

/** The whole plan: per operation, and the lines printed at start saying which operations are stateful and why. */
export interface StatePlan {
  operations: Map<string, OperationState>;
  lines: string[];
}

const credentialNames = ['sessionid', 'session_id', 'sessionId', 'token', 'access_token', 'accessToken', 'session_token', 'sessionToken'];
const loginWords = /log-?in|sign-?in|session|token|auth/i;

/** The JSON schema of the operation's first 2xx response, if it has one. */
export function successSchema(op: Operation): TSchema | undefined {
  for (const response of op.responses) {
    if (!/^2/.test(response.status)) continue;
    const media = response.content.find((m) => carriesJson(m.contentType));
    if (media) return media.schema;
  }
  return undefined;
}

function loginCredential(op: Operation, refs: SchemaRefs): string | undefined {
  if (op.method !== 'post' || !loginWords.test(`${op.operationId} ${op.path}`)) return undefined;
  const schema = successSchema(op);
  if (!schema) return undefined;
  const properties = propertiesOf(schema, refs);
  return credentialNames.find((name) => properties.has(name) && shapeOf(properties.get(name), refs) === 'string');
}

const asksForCredential = (op: Operation): boolean =>
  op.security.length > 0 && !op.security.some((alt) => alt.length === 0) && op.security.some((alt) => alt.some((s) => s.type !== 'mutualTLS'));

/** The response property an OpenAPI link from `create`'s 2xx answers feeds into `param`, with the link's name. */
function linkedProperty(create: Operation, targets: Operation[], param: string): { property: string; link: string } | undefined {
  const ids = new Set(targets.map((t) => t.operationId));
  for (const link of create.responses.filter((r) => r.status.startsWith('2')).flatMap((r) => r.links ?? [])) {
    if (link.operationId === undefined || !ids.has(link.operationId)) continue;
    const expression = link.parameters[param] ?? link.parameters[`path.${param}`];
    const match = expression === undefined ? null : /^\$response\.body#\/([^/]+)$/.exec(expression);
    if (match) return { property: match[1].replace(/~1/g, '/').replace(/~0/g, '~'), link: link.name };
  }
  return undefined;
}

/** The id property by name: the parameter's own name, `id`, or the parameter without its `Id` / `_id` suffix. */
function guessedProperty(param: string, properties: Map<string, TSchema>): string | undefined {
  const bare = param.replace(/(_id|Id|ID)$/, '');
  return [param, 'id', bare, `${bare}_id`].find((name) => properties.has(name));
}

function planGroup(collectionPath: string, ops: CompiledOperation[], refs: SchemaRefs, plan: StatePlan): void {
  const create = ops.find((o) => o.operation.path === collectionPath && o.operation.method === 'post');
  const itemOps = ops.filter((o) => o.operation.path.startsWith(`${collectionPath}/{`) && /^\/\{[^/{}]+\}$/.test(o.operation.path.slice(collectionPath.length)));
  if (!create || itemOps.length === 0) return;
  const created = successSchema(create.operation);
  if (!created || shapeOf(created, refs) !== 'object') return;
  const param = itemOps[0].operation.path.slice(collectionPath.length + 2, -1);
  const properties = propertiesOf(created, refs);
  const linked = linkedProperty(create.operation, itemOps.map((o) => o.operation), param);
  const idProperty = linked?.property ?? guessedProperty(param, properties);
  const idSchema = idProperty ? properties.get(idProperty) : undefined;
  const shape = idSchema ? shapeOf(idSchema, refs) : 'unknown';
  if (!idProperty || (shape !== 'integer' && shape !== 'string' && shape !== 'number')) {
    plan.lines.push(`${collectionPath}: not stateful (no id property of ${create.operation.operationId}'s answer matches {${param}})`);
    return;
  }
  const why = linked ? `link ${linked.link}: ${param} ← $response.body#/${idProperty}` : `path parameter {${param}} ↔ property "${idProperty}"`;
  const group: ResourceGroup = {
    collectionPath,
    param,
    idProperty,
    idShape: shape === 'string' ? 'string' : 'integer',
    uuid: (idSchema as { format?: string }).format === 'uuid',
    itemAnswerers: [create, ...itemOps.filter((o) => o.operation.method !== 'delete')],
  };
  const roles: [CompiledOperation, NonNullable<OperationState['resource']>['role']][] = [[create, 'create']];
  const list = ops.find((o) => o.operation.path === collectionPath && o.operation.method === 'get');
  if (list) roles.push([list, 'list']);
  const byMethod = { get: 'read', put: 'replace', patch: 'merge', delete: 'remove' } as const;
  for (const op of itemOps) {
    const role = byMethod[op.operation.method as keyof typeof byMethod];
    if (role) roles.push([op, role]);
  }
  for (const [op, role] of roles) {
    const entry = plan.operations.get(op.operation.operationId) ?? {};
    entry.resource = { role, group };
    plan.operations.set(op.operation.operationId, entry);
    plan.lines.push(`${op.operation.operationId} ${op.operation.method.toUpperCase()} ${op.operation.path}: ${role} of ${collectionPath} (${why})`);
  }
}

/** Plans state for a spec's operations: sessions when it has a login, resources wherever a collection has items. */
export function planState(operations: CompiledOperation[], references: readonly TSchema[]): StatePlan {
  const refs = refMap(references);
  const plan: StatePlan = { operations: new Map(), lines: [] };
  const logins = operations.filter((o) => loginCredential(o.operation, refs) !== undefined);
  for (const op of logins) {
    const credentialProperty = loginCredential(op.operation, refs)!;
    plan.operations.set(op.operation.operationId, { login: { credentialProperty } });
    plan.lines.push(`${op.operation.operationId} ${op.operation.method.toUpperCase()} ${op.operation.path}: login (its answer's "${credentialProperty}" becomes a session)`);
  }
  if (logins.length > 0) {
    for (const op of operations) {
      if (plan.operations.get(op.operation.operationId)?.login || !asksForCredential(op.operation)) continue;
      plan.operations.set(op.operation.operationId, { ...plan.operations.get(op.operation.operationId), protected: true });
    }
    const guarded = operations.filter((o) => plan.operations.get(o.operation.operationId)?.protected).length;
    if (guarded > 0) plan.lines.push(`${guarded} operation${guarded === 1 ? '' : 's'} need a live session (a credential a login issued)`);
  }
  const collections = new Set(operations.filter((o) => o.operation.method === 'post').map((o) => o.operation.path));
  for (const path of collections) planGroup(path, operations, refs, plan);
  return plan;
}
