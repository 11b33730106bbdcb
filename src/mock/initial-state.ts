import { toolkitError } from '../errors.js';
import { entryBytes, type StateBounds, type StateStore } from '../state/state-store.js';
import type { ResourceGroup, StatePlan } from './plan-state.js';
import { itemKey } from './resource-state.js';
import { schemaIssues } from './state-answer.js';

// A starting data set (`--state-file`): items per collection, checked against the spec once at start,
// then written into each client scope the first time that scope is used, so per-client state still
// holds (a client's writes stay its own) and a cleared scope starts again from the same items.

/** The checked data set: the store entries every scope starts with. */
export interface InitialState {
  /** Item keys and their JSON text, in file order. */
  entries: [key: string, value: string][];
  /** Id counters, so the next created item continues after the highest integer id given. */
  counters: [key: string, value: number][];
  /** Scopes being written right now, so concurrent first requests of one scope write once. */
  pending: Map<string, Promise<void>>;
}

/** Marks a scope that holds the starting data set already. */
const seededKey = 'I:initial';

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const escape = (token: string): string => token.replace(/~/g, '~0').replace(/\//g, '~1');

/** The collections a data set may name: each stateful collection's path as the start banner prints it (`/pets`). */
function groupsOf(plan: StatePlan): Map<string, ResourceGroup> {
  const groups = new Map<string, ResourceGroup>();
  for (const state of plan.operations.values()) if (state.resource) groups.set(state.resource.group.collectionPath, state.resource.group);
  return groups;
}

function checkItem(item: unknown, group: ResourceGroup, where: string, fail: (message: string) => never): Record<string, unknown> {
  if (!isRecord(item)) fail(`${where}: an item is a JSON object`);
  const id = item[group.idProperty];
  const idFits = group.idShape === 'integer' ? Number.isSafeInteger(id) : typeof id === 'string' && id !== '';
  if (!idFits) fail(`${where}/${escape(group.idProperty)}: the id "${group.idProperty}" must be ${group.idShape === 'integer' ? 'a whole number' : 'a non-empty string'}`);
  for (const op of group.itemAnswerers) {
    const [issue] = schemaIssues(op, op.defaultStatus, item);
    if (issue) fail(`${where}${issue.pointer}: breaks the item schema of ${op.operation.operationId}'s ${op.defaultStatus} answer: ${issue.message}`);
  }
  return item;
}

/** Checks a data set (`{ "/pets": [ {...} ] }`) against the plan and the bounds; throws IWKIT_ERR_STATE_FILE_INVALID naming file, collection, index and pointer. */
export function compileInitialState(data: unknown, source: string, plan: StatePlan, bounds: StateBounds): InitialState {
  const fail: (message: string) => never = (message) => {
    throw toolkitError('IWKIT_ERR_STATE_FILE_INVALID', source, message);
  };
  const groups = groupsOf(plan);
  const known = [...groups.keys()].join(', ') || 'none: the spec has no stateful collection';
  if (!isRecord(data)) fail(`expected an object of item lists by collection path, such as { "/pets": [ … ] } (collections: ${known})`);
  const initial: InitialState = { entries: [], counters: [], pending: new Map() };
  for (const [name, items] of Object.entries(data as Record<string, unknown>)) {
    const collection = name.startsWith('/') ? name : `/${name}`;
    const group = groups.get(collection);
    if (!group) fail(`"${name}" is not a stateful collection of the spec (collections: ${known})`);
    if (!Array.isArray(items)) fail(`/${escape(name)}: expected a list of items`);
    const ids = new Set<string>();
    let highest = 0;
    (items as unknown[]).forEach((raw, index) => {
      const item = checkItem(raw, group!, `item ${index} of "${collection}" at /${escape(name)}/${index}`, fail);
      const id = String(item[group!.idProperty]);
      if (ids.has(id)) fail(`item ${index} of "${collection}" at /${escape(name)}/${index}/${escape(group!.idProperty)}: the id ${id} is given twice`);
      ids.add(id);
      const numeric = Number(id);
      if (Number.isSafeInteger(numeric) && numeric > highest) highest = numeric;
      initial.entries.push([itemKey(collection, item[group!.idProperty]), JSON.stringify(item)]);
    });
    if (highest > 0) initial.counters.push([`N:${collection}`, highest]);
  }
  checkBounds(initial, bounds, fail);
  return initial;
}

function checkBounds(initial: InitialState, bounds: StateBounds, fail: (message: string) => never): void {
  const count = initial.entries.length + initial.counters.length + 1;
  if (count > bounds.maxItems) fail(`${initial.entries.length} items need ${count} store entries per client, past maxStateItems (--max-state-items) ${bounds.maxItems}`);
  let bytes = entryBytes(seededKey, '1');
  for (const [key, value] of initial.entries) bytes += entryBytes(key, value);
  for (const [key, value] of initial.counters) bytes += entryBytes(key, String(value));
  if (bytes > bounds.maxBytes) fail(`the items take ${bytes} bytes per client, past maxStateBytes (--max-state-bytes) ${bounds.maxBytes}`);
}

async function writeInitial(store: StateStore, scope: string, initial: InitialState): Promise<void> {
  for (const [key, value] of initial.entries) await store.set(scope, key, value);
  for (const [key, value] of initial.counters) {
    const current = await store.incr(scope, key, 0);
    if (current < value) await store.incr(scope, key, value - current);
  }
  await store.set(scope, seededKey, '1');
}

/** Writes the starting data set into a scope that does not hold it yet (its first stateful request, or after a clear). */
export async function ensureInitialState(store: StateStore, scope: string, initial: InitialState | undefined): Promise<void> {
  if (!initial || (await store.get(scope, seededKey)) !== undefined) return;
  let pending = initial.pending.get(scope);
  if (!pending) {
    pending = writeInitial(store, scope, initial).finally(() => initial.pending.delete(scope));
    initial.pending.set(scope, pending);
  }
  await pending;
}
