// What replicas share besides state: run-time overrides (with their `times` counters) and the journal.
// A store that can share them (Redis) offers this; the in-memory store does not, and the mock then keeps
// overrides and journal in its own process, on the plain synchronous path.

/** One override as stored: its source (JSON text, as the admin API took it), who it is for and its uses. */
export interface SharedOverrideRecord {
  id: string;
  /** The `iwkit-client` it is scoped to; undefined applies to every client. */
  client?: string;
  /** The override as given, JSON text; every replica compiles it against its own spec. */
  source: string;
  created: string;
  bytes: number;
  /** Uses it has (undefined: until reset) and uses spent so far across replicas. */
  times?: number;
  used: number;
}

/** Which overrides a call concerns: one client's (undefined: those made without a client id), or all. */
export type SharedOverrideScope = { client?: string } | 'all';

/** Which journal entries to read or clear: client null = those without one, undefined = all. */
export interface SharedJournalFilter {
  client?: string | null;
  operationId?: string;
}

/** Overrides and journal kept where every replica sees them; every write is atomic across replicas. */
export interface SharedControls {
  /** Changes whenever an override is added, removed or used up (and when the store is flushed); replicas compare it to their copy's. */
  overridesVersion(): Promise<string>;
  /** Every override, newest first, with the version they were read at. */
  listOverrides(): Promise<{ version: string; records: SharedOverrideRecord[] }>;
  /** A fresh override id, unique across replicas. */
  nextOverrideId(): Promise<string>;
  /** Stores an override in front; 'maxOverrides' or 'maxOverrideBytes' (nothing stored) when it would pass a bound. */
  addOverride(record: SharedOverrideRecord, bounds: { maxOverrides: number; maxOverrideBytes: number }): Promise<'ok' | 'maxOverrides' | 'maxOverrideBytes'>;
  /** Spends one use of an override with `times`; false when another request spent the last one first (or it is gone). */
  takeOverride(id: string): Promise<boolean>;
  /** Removes one override of the scope; false when it has none such. */
  removeOverride(id: string, scope: SharedOverrideScope): Promise<boolean>;
  /** Removes every override of the scope; returns how many. */
  clearOverrides(scope: SharedOverrideScope): Promise<number>;
  /** Appends an entry (JSON text without its id, which is given here) keeping the last `capacity` and at most `maxBytes`. */
  appendJournal(text: string, capacity: number, maxBytes: number): Promise<void>;
  /** The entries' JSON texts, oldest first. */
  readJournal(): Promise<string[]>;
  /** Removes the matching entries; returns how many. */
  clearJournal(filter: SharedJournalFilter): Promise<number>;
}
