// The request journal: what reached the mock and how it was answered, for tests to assert on.

import { defaultLimits, maxJournalBodyChars, maxStoredDepth, measureValue } from './limits.js';

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

function matches(entry: { operationId?: string; client?: string }, filter: JournalFilter): boolean {
  if (filter.operationId !== undefined && entry.operationId !== filter.operationId) return false;
  if (filter.client === null) return entry.client === undefined;
  return filter.client === undefined || entry.client === filter.client;
}

/** How many requests a journal keeps unless told otherwise. */
export const defaultJournalCapacity = 1000;

/** A kept entry: its JSON text (what the journal holds and serves) and the fields filters read. */
interface StoredEntry {
  operationId?: string;
  client?: string;
  text: string;
}

/** The body as the journal keeps it: itself, or a note when it is too large or too deep to serialise safely. */
function keptBody(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return typeof body === 'string' && body.length > maxJournalBodyChars ? `[${body.length} characters not kept]` : body;
  const size = measureValue(body, maxStoredDepth, maxJournalBodyChars);
  if (!size.over) return body;
  return size.depth > maxStoredDepth ? `[body nested deeper than ${maxStoredDepth} levels not kept]` : `[body of more than ${maxJournalBodyChars} characters not kept]`;
}

/** The JSON text the journal keeps for a body (a note for one too large, too deep or not serialisable). */
export function journalBodyText(body: unknown): string {
  try {
    return JSON.stringify(keptBody(body)) ?? '"[body not serialisable]"';
  } catch {
    // A body JSON cannot express (a BigInt, a throwing toJSON).
    return '"[body not serialisable]"';
  }
}

function entryText(entry: Omit<JournalEntry, 'id'> & { id?: number }, bodyText: string | undefined): string {
  const { body, ...rest } = entry;
  const head = JSON.stringify(rest);
  const text = bodyText ?? (body !== undefined ? journalBodyText(body) : undefined);
  return text === undefined ? head : `${head.slice(0, -1)},"body":${text}}`;
}

/** An entry's JSON text (with or without its id), its body replaced by a note when the whole would pass `maxBytes`. */
export function boundedEntryText(entry: Omit<JournalEntry, 'id'> & { id?: number }, bodyText: string | undefined, maxBytes: number): string {
  const text = entryText(entry, bodyText);
  return text.length > maxBytes ? entryText({ ...entry, body: `[body not kept: the entry exceeds maxJournalBytes=${maxBytes}]` }, undefined) : text;
}

/** Whether an entry is one the filter selects. */
export function journalMatches(entry: { operationId?: string; client?: string }, filter: JournalFilter): boolean {
  return matches(entry, filter);
}

/**
 * A bounded journal: the last `capacity` entries, and no more than `maxBytes` of them as JSON text, oldest
 * first. Entries are kept as text, so what it holds is what it measures and what it serves.
 */
export class Journal {
  private entries: StoredEntry[] = [];
  private bytes = 0;
  private counter = 0;

  constructor(
    readonly capacity = defaultJournalCapacity,
    readonly maxBytes = defaultLimits.maxJournalBytes,
  ) {}

  /** Bytes of JSON text held now. */
  get size(): number {
    return this.bytes;
  }

  /** Appends an entry (its body as a value, or already as journal text), dropping the oldest beyond the count or byte bound. */
  record(entry: Omit<JournalEntry, 'id'>, bodyText?: string): void {
    this.counter += 1;
    const text = boundedEntryText({ id: this.counter, ...entry }, bodyText, this.maxBytes);
    this.entries.push({ operationId: entry.operationId, client: entry.client, text });
    this.bytes += text.length;
    let drop = 0;
    while (this.entries.length - drop > this.capacity || (this.bytes > this.maxBytes && this.entries.length - drop > 1)) {
      this.bytes -= this.entries[drop].text.length;
      drop += 1;
    }
    if (drop > 0) this.entries.splice(0, drop);
  }

  private select(filter: JournalFilter): StoredEntry[] {
    const found = this.entries.filter((e) => matches(e, filter));
    return filter.limit !== undefined ? found.slice(Math.max(0, found.length - filter.limit)) : found;
  }

  /** The matching entries, oldest first. */
  list(filter: JournalFilter = {}): JournalEntry[] {
    return this.select(filter).map((e) => JSON.parse(e.text) as JournalEntry);
  }

  /** The matching entries as one JSON array text, never larger than the journal itself. */
  listText(filter: JournalFilter = {}): string {
    return `[${this.select(filter).map((e) => e.text).join(',')}]`;
  }

  /** Removes the matching entries; returns how many. */
  clear(filter: JournalFilter = {}): number {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => !matches(e, filter));
    this.bytes = this.entries.reduce((sum, e) => sum + e.text.length, 0);
    return before - this.entries.length;
  }
}
