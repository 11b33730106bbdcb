// The request journal: what reached the mock and how it was answered, for tests to assert on.

/** One journalled request. Secret headers and query values are already redacted. */
export interface JournalEntry {
  id: number;
  /** When the request arrived (ISO 8601). */
  time: string;
  /** The `iwkit-client` header, when the request sent one. */
  client?: string;
  /** The operation it was routed to; absent for requests no operation matched (404/405). */
  operationId?: string;
  method: string;
  path: string;
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  /** How the answer was chosen: `fixture:default`, `rule:expired`, `override:o2`, `problem:400`, `fault:error-rate`. */
  scenario?: string;
  /** The status sent; null when a fault closed the connection before any status. */
  status: number | null;
  durationMs: number;
}

/** Which entries to read or clear. `client`: a string for that client's entries, null for those without one, undefined for all. */
export interface JournalFilter {
  operationId?: string;
  client?: string | null;
  /** Only the last N matching entries. */
  limit?: number;
}

function matches(entry: JournalEntry, filter: JournalFilter): boolean {
  if (filter.operationId !== undefined && entry.operationId !== filter.operationId) return false;
  if (filter.client === null) return entry.client === undefined;
  return filter.client === undefined || entry.client === filter.client;
}

/** How many requests a journal keeps unless told otherwise. */
export const defaultJournalCapacity = 1000;

/** A bounded journal: keeps the last `capacity` entries, oldest first. */
export class Journal {
  private entries: JournalEntry[] = [];
  private counter = 0;

  constructor(readonly capacity = defaultJournalCapacity) {}

  /** Appends an entry, dropping the oldest beyond capacity. */
  record(entry: Omit<JournalEntry, 'id'>): void {
    this.counter += 1;
    this.entries.push({ id: this.counter, ...entry });
    // Trimming in batches keeps appends O(1) on average.
    if (this.entries.length > this.capacity + Math.max(16, this.capacity >> 3)) this.entries = this.entries.slice(-this.capacity);
  }

  /** The matching entries, oldest first. */
  list(filter: JournalFilter = {}): JournalEntry[] {
    const kept = this.entries.length > this.capacity ? this.entries.slice(-this.capacity) : this.entries;
    const found = kept.filter((e) => matches(e, filter));
    return filter.limit !== undefined ? found.slice(Math.max(0, found.length - filter.limit)) : found;
  }

  /** Removes the matching entries; returns how many. */
  clear(filter: JournalFilter = {}): number {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => !matches(e, filter));
    return before - this.entries.length;
  }
}
