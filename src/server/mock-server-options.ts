import { Type } from '@sinclair/typebox';
import type { FastifyServerOptions } from 'fastify';
import type { EdgeProfile } from '../fake/edge-profiles.js';
import type { Journal } from '../mock/journal.js';
import { defaultLimits, limitsWith, type MockLimits } from '../mock/limits.js';
import { checkSharedMockOptions, sharedMockOptions } from '../mock/mock-options.js';
import type { OverrideStore } from '../mock/overrides.js';
import type { ScenarioRules } from '../mock/scenario-rules.js';
import type { Api } from '../openapi/api-model.js';
import { checkOptions, optionError } from '../options/check-options.js';
import { anyOption, oneOf, optionalEach, positiveInteger, textOption, type SameOptions } from '../options/option-schemas.js';
import type { StateStore } from '../state/state-store.js';
import { logFormats, type LogFormat, type LogStream } from './request-log.js';

/** Options of {@link createMockServer}; every one has a default that serves the login contract. */
export interface MockServerOptions {
  /** A spec path, a raw OpenAPI object or an already loaded Api. Default: iwkit's schema/openapi.yaml. */
  spec?: string | Api | Record<string, unknown>;
  /** Refuse a spec with any problem (coded error) instead of serving what can be served and warning (default false). */
  strictSpec?: boolean;
  /** Fixture folder (`<dir>/<operationId>/*.json|.js`); `false` for none. Default: iwkit's fixtures/ with the default spec, none otherwise. */
  fixturesDir?: string | false;
  /** Seed for generated data; with it, timestamps are anchored to a fixed date so bodies are identical across runs. */
  seed?: number;
  /** Accepted credential values; empty or omitted accepts any non-empty credential. */
  tokens?: string[];
  /** CORS for any origin (default true). */
  cors?: boolean;
  /** Fastify logger: false (default), true, or a level such as "info". */
  logger?: boolean | string;
  /** How the log reads: `text` (default; one readable line per request, colour on a terminal unless NO_COLOR) or `json` (pino's JSON lines). */
  logFormat?: LogFormat;
  /** Where log lines go (default: standard output). */
  logStream?: LogStream;
  /** Largest accepted request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Interactive docs at /docs and the raw spec at /openapi.json and /openapi.yaml (default true). */
  docs?: boolean;
  /** Anchor for generated timestamps in epoch ms (default: a fixed date when seeded, else now). */
  now?: number;
  /**
   * Scenario rules: a file (YAML, JSON or a JS/TS module), the rules themselves, or `false` for none.
   * Default: `scenarios.yaml` (or .yml/.json) beside the fixture folders, when it exists.
   */
  scenarios?: string | ScenarioRules | false;
  /** Serve the run-time control API under /__iwkit/ (default false). */
  admin?: boolean;
  /** The token the admin API then requires (`Authorization: Bearer …` or `iwkit-admin-token`); needed on a non-loopback host. */
  adminToken?: string;
  /** The host the mock is meant to listen on; on a non-loopback host the admin API is off unless `adminToken` is set. */
  host?: string;
  /** A delay for every answer: milliseconds, `[min, max]`, or `"200-800"`. */
  delay?: number | [number, number] | string;
  /** An edge profile for all generated data (`min`, `max`, `unicode`, `dates`, `nulls`, `random`), unless a request or rule names another. */
  edge?: EdgeProfile;
  /** The share of requests (0 to 1) answered with a 500 or 503 problem instead (default 0). */
  errorRate?: number;
  /** Keep a request journal: true (the last 1,000 requests; the default), a capacity, or false. */
  journal?: boolean | number;
  /** A Fastify serverFactory, for embedding (hot reload swaps handlers behind one long-lived server). */
  serverFactory?: FastifyServerOptions['serverFactory'];
  /** Resource bounds (connections, time-outs, delays in flight, overrides, journal bytes); each has a default, see the README's Limits table. */
  limits?: Partial<MockLimits>;
  /** Keep state: logins issue sessions that protected operations then require, and created items persist (default false). */
  stateful?: boolean;
  /** Where state lives with `stateful`: `memory` (default), a `redis://host:port/db` URL (shared by replicas), or a store of your own. */
  state?: string | StateStore;
  /** With a `redis://` state: how long one Redis command may take, in ms, before the request answers 503 (default 1000). */
  stateTimeoutMs?: number;
  /** How long a session lives after its login, in ms (default 30 minutes). */
  sessionTtl?: number;
  /** With `stateful`: a JSON file of starting items by collection path (`{ "/pets": [ … ] }`), checked against the spec at start; every client starts from it. */
  stateFile?: string;
  /** The same as `stateFile`, given as data. */
  initialState?: Record<string, unknown[]>;
  /** Overrides and journal taken over from a previous instance, so a hot reload keeps them. */
  carryOver?: { overrides: OverrideStore; journal?: Journal };
}

/** The options of createMockServer as one schema: what each may be, checked once at start. */
export const mockServerOptionsSchema = Type.Object({
  ...sharedMockOptions,
  spec: Type.Optional(anyOption()),
  strictSpec: Type.Optional(Type.Boolean()),
  fixturesDir: Type.Optional(Type.Union([Type.String(), Type.Literal(false)], { expected: 'a folder path or false' })),
  cors: Type.Optional(Type.Boolean()),
  logger: Type.Optional(Type.Union([Type.Boolean(), Type.String()], { expected: 'true, false or a level such as "info"' })),
  logFormat: Type.Optional(oneOf(logFormats)),
  logStream: Type.Optional(anyOption()),
  bodyLimit: Type.Optional(positiveInteger('bytes')),
  docs: Type.Optional(Type.Boolean()),
  admin: Type.Optional(Type.Boolean()),
  adminToken: Type.Optional(textOption({ secret: true })),
  host: Type.Optional(Type.String()),
  serverFactory: Type.Optional(anyOption()),
  limits: Type.Optional(optionalEach(Object.keys(defaultLimits) as (keyof MockLimits)[], () => positiveInteger())),
  state: Type.Optional(anyOption()),
  stateTimeoutMs: Type.Optional(positiveInteger('ms')),
  stateFile: Type.Optional(textOption({ expected: 'a file path' })),
  carryOver: Type.Optional(anyOption()),
});

// The schema and the interface name the same options: adding one to only one of them is a compile error.
const sameOptions: SameOptions<typeof mockServerOptionsSchema, MockServerOptions> = true;
void sameOptions;

/** Checks every option (a bad one is IWKIT_ERR_OPTION_INVALID) and returns the bounds in force. */
export function checkMockServerOptions(options: MockServerOptions): MockLimits {
  checkOptions(mockServerOptionsSchema, options);
  checkSharedMockOptions(options as Record<string, unknown>, ['stateFile', 'initialState']);
  if (options.stateFile !== undefined && options.initialState !== undefined) throw optionError('initialState', 'give either stateFile or initialState, not both');
  return limitsWith(options.limits);
}
