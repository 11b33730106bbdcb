import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toolkitError } from '../errors.js';
import { addOverride } from '../mock/add-override.js';
import type { CompiledOperation } from '../mock/compile-operation.js';
import type { RuleContext } from '../mock/compile-rules.js';
import { journalBodyText, type Journal, type JournalEntry, type JournalFilter } from '../mock/journal.js';
import { journalBodyValue, journalRecord, type JournalSubject } from '../mock/journal-record.js';
import type { OverrideInfo, OverrideScope, OverrideStore } from '../mock/overrides.js';
import type { SharedJournal } from '../mock/shared-journal.js';
import type { SharedOverrides } from '../mock/shared-overrides.js';
import type { RequestRedactor } from '../mock/redact-request.js';
import type { OverrideInput } from '../mock/scenario-rules.js';
import type { RuleSet } from '../mock/select-rule.js';
import { expireSession, invalidateSession } from '../mock/session-state.js';
import { scopeOf } from '../mock/state-answer.js';
import type { StateRuntime } from '../mock/state-runtime.js';
import { clientHeader, rawBodyKey } from './handle-operation.js';
import { operationOf, scenarioOf } from './write-answer.js';
import { routeContext } from './mock-server.js';

export type { JournalEntry, JournalFilter, OverrideInfo, OverrideInput };

/** The run-time control state of one mock: rules, overrides, journal. Shared across hot reloads. */
export interface MockControls {
  operations: CompiledOperation[];
  rules: RuleSet;
  /** The scenarios file the rules came from, if any. */
  rulesFile?: string;
  overrides: OverrideStore;
  journal?: Journal;
  redactor: RequestRedactor;
  /** Checks overrides against the spec, as rules files are. */
  overrideContext: RuleContext;
  /** Sessions and resources (`--stateful`). */
  state?: StateRuntime;
  /** Overrides shared with replicas through the state store (Redis); `overrides` is then this replica's copy. */
  sharedOverrides?: SharedOverrides;
  /** The journal shared with replicas; `journal` then only holds its bounds. */
  sharedJournal?: SharedJournal;
}

/** The overrides as the admin API and addOverride() reach them: shared across replicas, or this process's own. */
export interface OverrideControls {
  add(input: unknown, client?: string): Promise<OverrideInfo>;
  list(client: string | undefined | 'all'): Promise<OverrideInfo[]>;
  remove(id: string, scope: OverrideScope): Promise<boolean>;
  clear(scope: OverrideScope): Promise<number>;
}

/** The override controls of a mock, the same shape whether they are shared or not. */
export function overrideControls(controls: MockControls): OverrideControls {
  if (controls.sharedOverrides) return controls.sharedOverrides;
  return {
    add: async (input, client) => addOverride(controls, input, client),
    list: async (client) => controls.overrides.list(client),
    remove: async (id, scope) => controls.overrides.remove(id, scope),
    clear: async (scope) => controls.overrides.clear(scope),
  };
}

/** The journal as the admin API reads it: shared across replicas, or this process's own (undefined when off). */
export function journalControls(controls: MockControls): Pick<SharedJournal, 'capacity' | 'maxBytes' | 'list' | 'listText' | 'clear'> | undefined {
  if (controls.sharedJournal) return controls.sharedJournal;
  const journal = controls.journal;
  if (!journal) return undefined;
  return {
    capacity: journal.capacity,
    maxBytes: journal.maxBytes,
    list: async (filter) => journal.list(filter),
    listText: async (filter) => journal.listText(filter),
    clear: async (filter) => journal.clear(filter),
  };
}

/** What a synchronous control of a mock sharing its controls says to use instead. */
function sharedOnly(controls: MockControls, call: string, instead: string): void {
  if (controls.sharedOverrides) throw toolkitError('IWKIT_ERR_CONTROLS_SHARED', call, controls.state?.store.name ?? 'the state store', instead);
}

/** The journal's text of a request body, taken before a delay lets go of the body. */
const journalBodyKey = Symbol('iwkit.journalBody');

type JournalledRequest = FastifyRequest & { [journalBodyKey]?: string };

function journalBody(request: FastifyRequest): unknown {
  const raw = (request as unknown as Record<symbol, string | undefined>)[rawBodyKey];
  return journalBodyValue(request.body, raw, request.headers['content-length']);
}

/** Keeps the journal's text of the request body on the request, so the body itself can be let go of. */
export function keepJournalBody(request: FastifyRequest): void {
  const body = journalBody(request);
  if (body !== undefined) (request as JournalledRequest)[journalBodyKey] = journalBodyText(body);
}

export { addOverride };

/** What the journal keeps of a request before its answer is known (its body as kept before a delay, if it was). */
export function journalSubject(request: FastifyRequest, operationId?: string): JournalSubject {
  const client = request.headers[clientHeader];
  const kept = (request as JournalledRequest)[journalBodyKey];
  return {
    ...(typeof client === 'string' ? { client } : {}),
    operationId: operationId ?? routeContext(request)?.op.operation.operationId,
    method: request.method,
    path: request.url.split('?')[0],
    query: (request.query ?? {}) as Record<string, unknown>,
    headers: request.headers,
    body: kept === undefined ? journalBody(request) : undefined,
  };
}

/** Writes one request into the journal (no-op without a journal); a promise when the journal is shared, never rejected. */
export function journalRequest(controls: MockControls, request: FastifyRequest, status: number | null, scenario: string | undefined, durationMs: number, operationId?: string): Promise<void> | undefined {
  if (!controls.journal) return undefined;
  return journalAnswer(controls, journalSubject(request, operationId), status, scenario, durationMs, (request as JournalledRequest)[journalBodyKey]);
}

/** Writes the journal entry of a subject and its answer; `kept` is the body text taken before a delay. */
export function journalAnswer(controls: MockControls, subject: JournalSubject, status: number | null, scenario: string | undefined, durationMs: number, kept?: string): Promise<void> | undefined {
  const journal = controls.journal;
  if (!journal) return undefined;
  const entry = journalRecord(controls.redactor, subject, status, scenario, durationMs);
  // An outage loses the entry, never the answer: the request itself says 503 where state was needed.
  if (controls.sharedJournal) return controls.sharedJournal.record(entry, kept);
  journal.record(entry, kept);
  return undefined;
}

/** Decorates the app with use() / reset() / journal() and journals every request to an operation (and every 404/405). */
export function installControls(app: FastifyInstance, controls: MockControls): void {
  app.decorate('use', (override: OverrideInput) => {
    sharedOnly(controls, 'use()', 'await addOverride()');
    return addOverride(controls, override);
  });
  app.decorate('addOverride', (override: OverrideInput) => overrideControls(controls).add(override));
  app.decorate('reset', async () => {
    controls.overrides.clear('all');
    controls.journal?.clear();
    controls.rules.resetUses();
    await controls.sharedOverrides?.clear('all');
    await controls.sharedJournal?.clear();
    await controls.state?.store.clear();
  });
  app.decorate('invalidate', async (sessionid: string, client?: string) => (controls.state ? invalidateSession(controls.state, scopeOf(client), sessionid) : false));
  app.decorate('expire', async (sessionid: string, client?: string) => (controls.state ? expireSession(controls.state, scopeOf(client), sessionid) : false));
  app.decorate('journal', (filter?: JournalFilter) => {
    sharedOnly(controls, 'journal()', 'await readJournal()');
    return controls.journal?.list(filter) ?? [];
  });
  app.decorate('readJournal', async (filter?: JournalFilter) => (await journalControls(controls)?.list(filter)) ?? []);
  if (!controls.journal) return;
  const journalled = (request: FastifyRequest, reply: FastifyReply): Promise<void> | undefined => {
    if (routeContext(request)?.op.operation.operationId === undefined && !request.is404) return undefined;
    return journalRequest(controls, request, reply.statusCode, scenarioOf(reply), reply.elapsedTime, operationOf(reply));
  };
  // Shared, the entry is written before the answer leaves, so the next request to any replica can read it.
  if (controls.sharedJournal) app.addHook('onSend', async (request, reply, payload) => (await journalled(request, reply), payload));
  else app.addHook('onResponse', async (request, reply) => void journalled(request, reply));
}
