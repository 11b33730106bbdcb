import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CompiledOperation } from '../mock/compile-operation.js';
import { compileOverride, type RuleContext } from '../mock/compile-rules.js';
import { journalBodyText, type Journal, type JournalEntry, type JournalFilter } from '../mock/journal.js';
import { maxJournalBodyChars } from '../mock/limits.js';
import type { OverrideInfo, OverrideStore } from '../mock/overrides.js';
import type { RequestRedactor } from '../mock/redact-request.js';
import type { OverrideInput } from '../mock/scenario-rules.js';
import type { RuleSet } from '../mock/select-rule.js';
import { clientHeader, rawBodyKey, scenarioKey } from './handle-operation.js';
import type {} from './send-problem.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Answers matching requests as the override says (once, N times with `times`, or until reset); newest first, before the rules file. */
    use(override: OverrideInput): OverrideInfo;
    /** Back to the start: removes every override, clears the journal, gives rules their `times` back. */
    reset(): void;
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
}

/** The journal's text of a request body, taken before a delay lets go of the body. */
const journalBodyKey = Symbol('iwkit.journalBody');

type JournalledRequest = FastifyRequest & { [journalBodyKey]?: string };

function journalBody(request: FastifyRequest): unknown {
  const raw = (request as unknown as Record<symbol, string | undefined>)[rawBodyKey];
  // Any body counts against the cap: JSON by its raw text, text bodies by their length, others by Content-Length.
  const size = raw?.length ?? (typeof request.body === 'string' ? request.body.length : Number(request.headers['content-length'] ?? 0));
  return size > maxJournalBodyChars ? `[${size} characters not kept]` : request.body;
}

/** Keeps the journal's text of the request body on the request, so the body itself can be let go of. */
export function keepJournalBody(request: FastifyRequest): void {
  const body = journalBody(request);
  if (body !== undefined) (request as JournalledRequest)[journalBodyKey] = journalBodyText(body);
}

/** Checks an override against the spec and sets it; throws IWKIT_ERR_SCENARIO_INVALID when it is not valid, IWKIT_ERR_OVERRIDE_LIMIT when the store is full. */
export function addOverride(controls: MockControls, input: unknown, client?: string): OverrideInfo {
  const id = controls.overrides.nextId();
  // The walk stops just past the byte bound: a 1 MB override costs no more to refuse than a small one.
  const { bytes, ...rule } = compileOverride(input, controls.overrideContext, id, controls.overrides.limits.maxOverrideBytes + 1);
  return controls.overrides.add({ id, client: client ?? rule.client, rule, created: new Date().toISOString(), bytes });
}

/** Writes one request into the journal (no-op without a journal). */
export function journalRequest(controls: MockControls, request: FastifyRequest, status: number | null, scenario: string | undefined, durationMs: number): void {
  const journal = controls.journal;
  if (!journal) return;
  const client = request.headers[clientHeader];
  const kept = (request as JournalledRequest)[journalBodyKey];
  const body = kept === undefined ? journalBody(request) : undefined;
  const operationId = request.routeOptions.config?.iwkit?.op.operation.operationId;
  journal.record({
    time: new Date(Date.now() - durationMs).toISOString(),
    ...(typeof client === 'string' ? { client } : {}),
    ...(operationId !== undefined ? { operationId } : {}),
    method: request.method,
    path: request.url.split('?')[0],
    query: controls.redactor.query((request.query ?? {}) as Record<string, unknown>),
    headers: controls.redactor.headers(request.headers),
    ...(body !== undefined ? { body } : {}),
    scenario,
    status,
    durationMs: Math.round(durationMs * 10) / 10,
  }, kept);
}

/** Decorates the app with use() / reset() / journal() and journals every request to an operation (and every 404/405). */
export function installControls(app: FastifyInstance, controls: MockControls): void {
  app.decorate('use', (override: OverrideInput) => addOverride(controls, override));
  app.decorate('reset', () => {
    controls.overrides.clear('all');
    controls.journal?.clear();
    controls.rules.resetUses();
  });
  app.decorate('journal', (filter?: JournalFilter) => controls.journal?.list(filter) ?? []);
  if (!controls.journal) return;
  app.addHook('onResponse', async (request, reply) => {
    if (request.routeOptions.config?.iwkit?.op.operation.operationId === undefined && !request.is404) return;
    const scenario = (reply as unknown as Record<symbol, string | undefined>)[scenarioKey] ?? (reply.getHeader('iwkit-scenario') as string | undefined);
    journalRequest(controls, request, reply.statusCode, scenario, reply.elapsedTime);
  });
}
