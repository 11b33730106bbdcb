import type { SharedControls } from '../state/shared-controls.js';
import { boundedEntryText, journalMatches, type JournalEntry, type JournalFilter } from './journal.js';

// The journal of replicas sharing a store: one capped list there (the same count and byte bounds as the
// in-process journal), so what any replica answered can be read through any other.

/** The shared journal: entries already redacted, appended and trimmed in one atomic step. */
export class SharedJournal {
  constructor(
    readonly shared: SharedControls,
    readonly capacity: number,
    readonly maxBytes: number,
  ) {}

  /** False after an append failed, until one succeeds: during an outage answers do not wait for the journal. */
  private reachable = true;

  /**
   * Appends an entry; its id comes from the store, so ids stay in order across replicas. Resolves when it is
   * stored, or at once while the store is unreachable (the entry is then written if it can be); never rejects.
   */
  record(entry: Omit<JournalEntry, 'id'>, bodyText?: string): Promise<void> {
    const append = this.shared.appendJournal(boundedEntryText(entry, bodyText, this.maxBytes), this.capacity, this.maxBytes).then(
      () => void (this.reachable = true),
      () => void (this.reachable = false),
    );
    return this.reachable ? append : Promise.resolve();
  }

  private async select(filter: JournalFilter): Promise<string[]> {
    const found = (await this.shared.readJournal()).filter((text) => journalMatches(JSON.parse(text) as JournalEntry, filter));
    return filter.limit !== undefined ? found.slice(Math.max(0, found.length - filter.limit)) : found;
  }

  /** The matching entries, oldest first. */
  async list(filter: JournalFilter = {}): Promise<JournalEntry[]> {
    return (await this.select(filter)).map((text) => JSON.parse(text) as JournalEntry);
  }

  /** The matching entries as one JSON array text. */
  async listText(filter: JournalFilter = {}): Promise<string> {
    return `[${(await this.select(filter)).join(',')}]`;
  }

  /** Removes the matching entries; returns how many. */
  async clear(filter: JournalFilter = {}): Promise<number> {
    return this.shared.clearJournal({ client: filter.client, operationId: filter.operationId });
  }
}
