import type { SharedControls } from './shared-controls.js';

// The one interface every state backend implements. The core (src/mock) talks only to this, so the
// in-memory store and the Redis store are interchangeable and the core stays environment-free.
// Values are JSON text; every key lives in a scope (the `iwkit-client` value, '' for none) so
// parallel test runs never see each other's sessions or items.

/** Per-scope bounds: how many keys and how many bytes (keys plus values) one client may hold. */
export interface StateBounds {
  maxItems: number;
  maxBytes: number;
}

/** The defaults: 10,000 keys and 8 MiB per client scope. */
export const defaultStateBounds: StateBounds = { maxItems: 10_000, maxBytes: 8 * 1024 * 1024 };

/** One stored entry, as `list` returns it. */
export interface StateEntry {
  key: string;
  value: string;
}

/** A state backend: async key/value operations scoped per client, listing in insertion order. */
export interface StateStore {
  /** Names the store in problems and logs (`memory`, `redis://127.0.0.1:6380/0`; never a password). */
  readonly name: string;
  readonly bounds: StateBounds;
  /** Overrides and journal shared with other replicas (Redis); absent, each process keeps its own. */
  readonly shared?: SharedControls;
  get(scope: string, key: string): Promise<string | undefined>;
  /** Stores `value`; a new key keeps its place at the end of the insertion order, an existing one keeps its place. Throws a {@link StateLimitError} past a bound. */
  set(scope: string, key: string, value: string): Promise<void>;
  /** True when the key existed. */
  delete(scope: string, key: string): Promise<boolean>;
  /** Entries whose key starts with `prefix`, oldest first. */
  list(scope: string, prefix: string): Promise<StateEntry[]>;
  /** Adds `by` (default 1) to an integer counter (missing: 0) and returns the new value, atomically across replicas. */
  incr(scope: string, key: string, by?: number): Promise<number>;
  /** Clears one scope, or every scope when none is given. */
  clear(scope?: string): Promise<void>;
  close(): Promise<void>;
}

/** Thrown when a write would pass a per-scope bound; nothing is written. */
export class StateLimitError extends Error {
  constructor(
    readonly limit: keyof StateBounds,
    readonly bound: number,
  ) {
    super(`the state store holds at most ${bound} ${limit === 'maxItems' ? 'items' : 'bytes'} per client (${limit})`);
    this.name = 'StateLimitError';
  }
}

/** Thrown when the store cannot be reached; the mock answers 503 naming the store. */
export class StateUnavailableError extends Error {
  constructor(
    readonly store: string,
    reason: string,
  ) {
    super(`the state store ${store} is unavailable: ${reason}`);
    this.name = 'StateUnavailableError';
  }
}

/** Bytes a key and value take against `maxBytes` (UTF-16 length, a cheap and stable measure). */
export function entryBytes(key: string, value: string): number {
  return key.length + value.length;
}
