import type { Faker } from '@faker-js/faker';
import type { FastifyRequest } from 'fastify';
import type { EdgeProfile } from '../fake/edge-profiles.js';
import type { DelayRange } from '../mock/delay.js';
import type { Gate } from '../mock/limits.js';
import type { OverrideStore } from '../mock/overrides.js';
import type { RuleSet } from '../mock/select-rule.js';
import type { FaultRetries } from './fault-retries.js';
import type { ResponseCache } from './response-cache.js';

/** What every route handler shares: the run's seed and clock, accepted tokens, caches, rules and overrides. */
export interface MockRuntime {
  seed: number;
  now: number;
  tokens?: ReadonlySet<string>;
  faker: Faker;
  cache: ResponseCache;
  /** The scenarios file's rules (none: an empty set). */
  rules: RuleSet;
  /** Run-time overrides (`mock.use()`, the admin API). */
  overrides: OverrideStore;
  /** A delay for every answer, unless a rule or `Prefer: delay=` says otherwise. */
  delay?: DelayRange;
  /** The edge profile generated data follows unless a request or rule names another (`--edge`). */
  edge?: EdgeProfile;
  /** The share of unscripted requests answered with a 500 or 503 problem (0 to 1). */
  errorRate: number;
  /** A seeded random source for delay ranges and the error rate. */
  random: () => number;
  /** Counts requests waiting out a delay (bounded by `maxDelayed`). */
  delays: Gate;
  /** Keeps what the journal records of a request's body before the body is let go of (during a delay). */
  keepBody?: (request: FastifyRequest) => void;
  /** Journals a request whose reply a fault took over (Fastify's onResponse does not run for it). */
  recordFault?: (request: FastifyRequest, status: number | null, scenario: string) => void;
  /** Requests a connection fault dropped on a reused connection, whose browser re-send gets the fault again. */
  faultRetries?: FaultRetries;
}
