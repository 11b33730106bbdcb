import type { FastifyInstance, FastifyRequest } from 'fastify';
import { addOverride } from '../mock/add-override.js';
import type { CompiledOperation } from '../mock/compile-operation.js';
import type { RuleContext } from '../mock/compile-rules.js';
import { journalBodyText, type Journal, type JournalEntry, type JournalFilter } from '../mock/journal.js';
import { journalBodyValue, journalRecord } from '../mock/journal-record.js';
import type { OverrideInfo, OverrideStore } from '../mock/overrides.js';
import type { RequestRedactor } from '../mock/redact-request.js';
import type { OverrideInput } from '../mock/scenario-rules.js';
import type { RuleSet } from '../mock/select-rule.js';
import { expireSession, invalidateSession } from '../mock/session-state.js';
import { scopeOf } from '../mock/state-answer.js';
import type { StateRuntime } from '../mock/state-runtime.js';
import { clientHeader, rawBodyKey } from './handle-operation.js';
import { operationKey, scenarioKey } from './write-answer.js';
import type {} from './send-problem.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Answers matching requests as the override says (once, N times with `times`, or until reset); newest first, before the rules file. */
    use(override: OverrideInput): OverrideInfo;
    /** Back to the start: removes every override, clears the journal and the state, gives rules their `times` back. */
    reset(): Promise<void>;
    /** Ends a session at once (`--stateful`); `client` is its `iwkit-client` scope. True when it existed. */
    invalidate(sessionid: string, client?: string): Promise<boolean>;
    /** Makes a session lapse now, as its lifetime would (`--stateful`). True when it existed. */
    expire(sessionid: string, client?: string): Promise<boolean>;
    /** The journalled requests, oldest first; filter by operationId, client (null: those without one) or the last `limit`. */
    journal(filter?: JournalFilter): JournalEntry[];
  }
}

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

/** Writes one request into the journal (no-op without a journal). */
export function journalRequest(controls: MockControls, request: FastifyRequest, status: number | null, scenario: string | undefined, durationMs: number, operationId?: string): void {
  const journal = controls.journal;
  if (!journal) return;
  const client = request.headers[clientHeader];
  const kept = (request as JournalledRequest)[journalBodyKey];
  const body = kept === undefined ? journalBody(request) : undefined;
  const subject = {
    ...(typeof client === 'string' ? { client } : {}),
    operationId: operationId ?? request.routeOptions.config?.iwkit?.op.operation.operationId,
    method: request.method,
    path: request.url.split('?')[0],
    query: (request.query ?? {}) as Record<string, unknown>,
    headers: request.headers,
    body,
  };
  journal.record(journalRecord(controls.redactor, subject, status, scenario, durationMs), kept);
}

/** Decorates the app with use() / reset() / journal() and journals every request to an operation (and every 404/405). */
export function installControls(app: FastifyInstance, controls: MockControls): void {
  app.decorate('use', (override: OverrideInput) => addOverride(controls, override));
  app.decorate('reset', async () => {
    controls.overrides.clear('all');
    controls.journal?.clear();
    controls.rules.resetUses();
    await controls.state?.store.clear();
  });
  app.decorate('invalidate', async (sessionid: string, client?: string) => (controls.state ? invalidateSession(controls.state, scopeOf(client), sessionid) : false));
  app.decorate('expire', async (sessionid: string, client?: string) => (controls.state ? expireSession(controls.state, scopeOf(client), sessionid) : false));
  app.decorate('journal', (filter?: JournalFilter) => controls.journal?.list(filter) ?? []);
  if (!controls.journal) return;
  app.addHook('onResponse', async (request, reply) => {
    if (request.routeOptions.config?.iwkit?.op.operation.operationId === undefined && !request.is404) return;
    const labels = reply as unknown as Record<symbol, string | undefined>;
    const scenario = labels[scenarioKey] ?? (reply.getHeader('iwkit-scenario') as string | undefined);
    journalRequest(controls, request, reply.statusCode, scenario, reply.elapsedTime, labels[operationKey]);
  });
}
