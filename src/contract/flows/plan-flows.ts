import type { Api, Operation } from '../../openapi/api-model.js';
import { topLevelProperties } from '../body-fields.js';
import type { ContractCase, FlowRole } from '../contract-types.js';
import { findSpecLinks } from './find-spec-links.js';
import type { FlowBinding, FlowStep, PlannedFlow } from './flow-types.js';

/** Options of {@link planFlows}. */
export interface FlowPlanOptions {
  /** Flows per resource group. */
  perGroup: number;
  /** Flows in all. */
  max: number;
  /** The login operation (--auth-from), never a step of a flow. */
  authFrom?: string | undefined;
  /** Follows `$ref`s in response schemas. */
  resolve: (schema: unknown) => Record<string, unknown>;
}

/** The operations on one collection: POST on it, and GET/PUT/PATCH/DELETE on its item path `<collection>/{param}`. */
interface ResourceGroup {
  collection: string;
  itemParam: string;
  create: Operation;
  read?: Operation;
  update?: Operation;
  remove?: Operation;
}

const ITEM = /^(.*)\/\{([^}/]+)\}$/;

function resourceGroups(operations: readonly Operation[]): ResourceGroup[] {
  const groups: ResourceGroup[] = [];
  for (const create of operations.filter((o) => o.method === 'post')) {
    for (const op of operations) {
      const m = ITEM.exec(op.path);
      if (!m || m[1] !== create.path) continue;
      let group = groups.find((g) => g.create === create && g.itemParam === m[2]);
      if (!group) groups.push((group = { collection: create.path, itemParam: m[2], create }));
      if (op.method === 'get') group.read ??= op;
      else if (op.method === 'put' || op.method === 'patch') group.update ??= op;
      else if (op.method === 'delete') group.remove ??= op;
    }
  }
  return groups;
}

// Inferred links: a created `id` (or `<param>` itself) that the item path's `{id}`/`{thingId}` takes, else the Location header.
function inferBinding(group: ResourceGroup, resolve: FlowPlanOptions['resolve']): Omit<FlowBinding, 'step'> | undefined {
  const success = group.create.responses.filter((r) => r.status.startsWith('2'));
  const names = new Set(success.flatMap((r) => r.content.flatMap((m) => [...topLevelProperties(m.schema, resolve).keys()])));
  const param = group.itemParam;
  if (names.has(param)) return { parameter: param, expression: `$response.body#/${param}`, source: 'id' };
  if ((param === 'id' || /(Id|_id)$/.test(param)) && names.has('id')) return { parameter: param, expression: '$response.body#/id', source: 'id' };
  if (success.some((r) => r.headers.some((h) => h.name.toLowerCase() === 'location'))) return { parameter: param, expression: '$response.header.Location', source: 'location' };
  return undefined;
}

function positiveCases(cases: ContractCase[][], op: Operation): ContractCase[] {
  const list = cases.find((l) => l[0]?.operation === op) ?? [];
  const generated = list.filter((c) => c.kind === 'generated' && c.auth === 'valid');
  return generated.length > 0 ? generated : list.filter((c) => c.kind === 'example' && c.auth === 'valid');
}

/** Builds the flows of a spec: per resource, create → read → update → read → delete → read (the steps it has), the item id taken from the spec's links first, then inferred. */
export function planFlows(api: Api, cases: ContractCase[][], options: FlowPlanOptions): { flows: PlannedFlow[]; warnings: string[] } {
  const flows: PlannedFlow[] = [];
  const warnings: string[] = [];
  if (options.perGroup <= 0) return { flows, warnings };
  const operations = api.operations.filter((o) => o.operationId !== options.authFrom);
  for (const group of resourceGroups(operations)) {
    const items = [group.read, group.update, group.remove].filter((o): o is Operation => o !== undefined);
    const link = items.map((op) => findSpecLinks(group.create, op)[group.itemParam]).find((e) => e !== undefined);
    const binding = link !== undefined ? { parameter: group.itemParam, expression: link, source: 'link' as const } : inferBinding(group, options.resolve);
    if (!binding) {
      warnings.push(`no flow for ${group.collection}: ${group.create.operationId} gives no link, no id and no Location header that {${group.itemParam}} could take`);
      continue;
    }
    const roles: [FlowRole, Operation | undefined][] = [
      ['create', group.create],
      ['read-created', group.read],
      ['update', group.update],
      ['read-updated', group.update && group.read],
      ['delete', group.remove],
      ['read-deleted', group.remove && group.read],
    ];
    for (let n = 0; n < options.perGroup && flows.length < options.max; n++) {
      const id = `flow:${group.collection}/${n}`;
      const steps: FlowStep[] = [];
      for (const [role, op] of roles) {
        if (!op) continue;
        const pool = positiveCases(cases, op);
        const template = pool[n % Math.max(pool.length, 1)];
        if (!template) break;
        const index = steps.length;
        // Other path parameters (a parent collection's) keep the value the create step sent.
        const inherited = parentBindings(group.create, op);
        const bindings: FlowBinding[] = role === 'create' ? [] : [{ ...binding, step: 0 }, ...inherited];
        steps.push({
          role,
          bindings,
          case: { ...template, id: `${id}/${index}-${role}`, kind: 'flow', name: `flow ${group.collection} #${n + 1} · ${role}`, expectation: role === 'read-deleted' ? 'reject' : 'accept', flow: { id, index, role } },
        });
      }
      if (steps.length >= 2 && steps[0].role === 'create') flows.push({ id, group: group.collection, steps });
    }
  }
  return { flows, warnings };
}

function parentBindings(create: Operation, op: Operation): FlowBinding[] {
  const parents = [...create.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  return parents.filter((p) => op.path.includes(`{${p}}`)).map((p) => ({ parameter: p, step: 0, expression: `$request.path.${p}`, source: 'link' as const }));
}
