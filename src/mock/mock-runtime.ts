import type { Faker } from '@faker-js/faker';
import type { TSchema } from '@sinclair/typebox';
import type { EdgeProfile } from '../fake/edge-profiles.js';
import type { DelayRange } from './delay.js';
import type { Gate } from './limits.js';
import type { OverrideStore } from './overrides.js';
import type { ResponseCache } from './response-cache.js';
import type { RuleSet } from './select-rule.js';
import type { SharedOverrides } from './shared-overrides.js';
import type { StateRuntime } from './state-runtime.js';

/** What every operation's answers share: the run's seed and clock, accepted tokens, caches, rules and overrides. */
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
  /** The spec's named schemas, so non-JSON serialisers read through `$ref`s (XML names, CSV columns). */
  references?: readonly TSchema[];
  /** Told when the mock built a body that breaks its own response schema (a generator or builder bug, never the client's). */
  warn?: (message: string, details: Record<string, unknown>) => void;
  /** Overrides shared with other replicas through the state store; `overrides` is then this replica's copy of them. */
  sharedOverrides?: SharedOverrides;
  /** Sessions and resources that persist (`--stateful`); absent: every request is answered on its own. */
  state?: StateRuntime;
}
