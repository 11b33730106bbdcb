import { Type } from '@sinclair/typebox';
import type { AuthOptions } from './auth-from.js';
import type { ContractEvent } from './run-contract.js';
import { parseShard } from './shard-cases.js';
import type { Transport } from './transport.js';
import { edgeProfiles, type EdgeProfile } from '../fake/edge-profiles.js';
import type { Api } from '../openapi/api-model.js';
import { checkOptions, optionError } from '../options/check-options.js';
import { anyOption, integerOption, oneOf, positiveInteger, seedOption, textOption, type SameOptions } from '../options/option-schemas.js';

/** Safe defaults: a login can lock accounts, so little is sent, slowly, with a hard cap. */
export const contractDefaults = {
  cases: 5,
  timeoutMs: 5000,
  ratePerSecond: 5,
  maxRequests: 100,
  concurrency: 2,
  maxBodyBytes: 10 * 1024 * 1024,
  /** After this many transport failures in a row the target is considered down and nothing more is sent. */
  maxConsecutiveTransportErrors: 5,
  /** Re-logins (--auth-from) after a 401, in the whole run; each retries the case that saw the 401 once. */
  maxRelogins: 5,
  /** Flows per resource (create → read → update → read → delete → read). */
  flows: 2,
  /** Flows in the whole run, whatever --flows says. */
  maxFlows: 200,
} as const;

/** Options of {@link runContract}. */
export interface ContractOptions {
  /** A spec path or http(s) URL, or an already loaded API. */
  spec: string | Api;
  /** The server under test, e.g. `https://erp.example`. */
  baseUrl: string;
  /** How requests travel; real HTTP by default. A custom transport skips the reachability probe. */
  transport?: Transport;
  /** The credential for secured operations (never printed). */
  token?: string;
  /** Extra headers sent on every request. */
  headers?: Record<string, string>;
  checks?: string[];
  excludeChecks?: string[];
  /** Only these operationIds (all when absent). */
  operations?: string[];
  cases?: number;
  seed?: number;
  timeoutMs?: number;
  maxResponseTimeMs?: number;
  ratePerSecond?: number;
  maxRequests?: number;
  concurrency?: number;
  strict?: boolean;
  /** Load the spec in the loader's strict mode (`--strict-spec`): a document that only loads leniently is refused. */
  strictSpec?: boolean;
  fixturesDir?: string;
  maxBodyBytes?: number;
  /** Reference time for generated timestamps (default: now). */
  now?: number;
  /** Edge profiles (min, max, unicode, dates, nulls, random): each adds one valid boundary request per operation. */
  edge?: readonly EdgeProfile[];
  /** Log in through one of the contract's operations before the run, and again once on a 401 (`--auth-from`). */
  auth?: AuthOptions;
  /** Where `$NAME` in `auth.body` is read from (default: process.env). */
  env?: Record<string, string | undefined>;
  /** Run only share `index` (1-based) of `count` of the cases and flows (`--shard i/n`), stable for a given seed. */
  shard?: { index: number; count: number } | string;
  /** Flows per resource group (default 2); 0 turns flows off (`--no-flows`). */
  flows?: number;
  /** Receives progress events; reporters listen here. */
  onEvent?: (event: ContractEvent) => void;
}


/** The longest time-out, in ms, of a request or of `maxResponseTimeMs` (an hour). */
const maxTimeoutMs = 3_600_000;

/** The options of runContract as one schema: what each may be, checked once before anything is sent. */
export const contractOptionsSchema = Type.Object({
  spec: anyOption(),
  baseUrl: Type.String({ expected: 'an http(s) URL', missing: 'required: the server under test, e.g. https://erp.example' }),
  transport: Type.Optional(anyOption()),
  token: Type.Optional(textOption({ expected: 'a non-empty token', secret: true })),
  headers: Type.Optional(Type.Record(Type.String(), Type.String(), { expected: 'header names and text values', secret: true })),
  checks: Type.Optional(Type.Array(Type.String())),
  excludeChecks: Type.Optional(Type.Array(Type.String())),
  operations: Type.Optional(Type.Array(Type.String())),
  cases: Type.Optional(integerOption(0, 1000)),
  seed: Type.Optional(seedOption),
  timeoutMs: Type.Optional(integerOption(1, maxTimeoutMs)),
  maxResponseTimeMs: Type.Optional(integerOption(1, maxTimeoutMs)),
  // Infinity is a rate too (no limit); TypeBox's number accepts only finite ones.
  ratePerSecond: Type.Optional(Type.Union([Type.Number({ exclusiveMinimum: 0 }), Type.Literal(Number.POSITIVE_INFINITY)], { expected: 'a positive rate (requests per second)' })),
  maxRequests: Type.Optional(integerOption(1, 1_000_000)),
  concurrency: Type.Optional(integerOption(1, 64)),
  strict: Type.Optional(Type.Boolean()),
  strictSpec: Type.Optional(Type.Boolean()),
  fixturesDir: Type.Optional(Type.String()),
  maxBodyBytes: Type.Optional(positiveInteger('bytes')),
  now: Type.Optional(Type.Number({ expected: 'epoch milliseconds' })),
  edge: Type.Optional(Type.Array(oneOf(edgeProfiles))),
  auth: Type.Optional(Type.Object({
    from: textOption({ expected: 'an operationId' }),
    body: Type.Optional(Type.Unknown()),
    token: Type.Optional(Type.String({ expected: 'a JSON pointer such as /sessionid' })),
    header: Type.Optional(Type.String({ pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$", expected: 'a header name' })),
  })),
  env: Type.Optional(anyOption()),
  shard: Type.Optional(anyOption()),
  flows: Type.Optional(integerOption(0, contractDefaults.maxFlows)),
  onEvent: Type.Optional(anyOption()),
});

// The schema and the interface name the same options: adding one to only one of them is a compile error.
const sameOptions: SameOptions<typeof contractOptionsSchema, ContractOptions> = true;
void sameOptions;

/** Checks every option of runContract; a bad one is IWKIT_ERR_OPTION_INVALID. */
export function checkContractOptions(options: ContractOptions): void {
  checkOptions(contractOptionsSchema, options);
  const url = URL.canParse(options.baseUrl) ? new URL(options.baseUrl) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw optionError('baseUrl', `expected an http(s) URL, got "${options.baseUrl}"`);
  // Reports print the base URL and curl lines; a password inside it would be printed with them.
  if (url.username || url.password) throw optionError('baseUrl', 'credentials in the URL would be printed in every report; pass them with a token or a header');
  if (options.shard !== undefined) parseShard(options.shard);
  const only = options.checks ?? [];
  if (only.length > 0 && only.every((c) => c === 'max-response-time') && options.maxResponseTimeMs === undefined) {
    throw optionError('checks', 'max-response-time checks nothing without a maximum response time');
  }
}
