import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from 'fastify';
import type { ProblemContext } from '../mock/problem-answer.js';
import type { Api } from '../openapi/api-model.js';
import type { JournalEntry, JournalFilter } from '../mock/journal.js';
import type { OverrideInfo } from '../mock/overrides.js';
import type { OverrideInput } from '../mock/scenario-rules.js';
import type { ReplayStats } from './replay-front.js';

// iwkit's own types for what its factories return, as MSW returns a SetupServer: no `declare module
// 'fastify'`, so no other Fastify instance in a user's program gains members it does not have.

/** What `createMockServer` returns: a Fastify instance (not listening) with the mock's run-time controls. */
export interface MockServer extends FastifyInstance {
  /** The normalised spec this mock serves. */
  iwkitApi: Api;
  /** With `stateful`: which operations keep state and why, one line each (the CLI prints them at start). */
  iwkitState: string[];
  /** How many requests were answered by replaying the answer to an identical earlier request, and how many answers are kept. */
  iwkitReplay(): ReplayStats;
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
  /** As use(), for every mock, also one sharing its overrides with replicas through `state: 'redis://…'`. */
  addOverride(override: OverrideInput): Promise<OverrideInfo>;
  /** As journal(), for every mock, also one sharing its journal with replicas (then every replica's entries). */
  readJournal(filter?: JournalFilter): Promise<JournalEntry[]>;
}

/** Route config that lets a problem honour the operation's own declared error responses. */
export interface ProblemRouteConfig {
  iwkit?: ProblemContext;
}

/** The operation context a request's route carries (routes of operations only). */
export function routeContext(request: FastifyRequest): ProblemContext | undefined {
  return (request.routeOptions?.config as ProblemRouteConfig | undefined)?.iwkit;
}

/** The route config of an operation's route, carrying its context (see {@link routeContext}). */
export function routeConfig(context: ProblemContext): FastifyContextConfig {
  const config: ProblemRouteConfig = { iwkit: context };
  return config as FastifyContextConfig;
}
