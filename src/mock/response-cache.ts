import { hashSeed } from './request-seed.js';

// A body cached for a request that never comes again outlives a few young-generation collections and
// is promoted, so a stream of new requests would fill the old generation with dead bodies. A body is
// therefore kept only when its key comes a second time; the first sighting costs one number.

/** A bounded cache of serialised bodies: the same request gets the same body, so it is built once. */
export class ResponseCache {
  private readonly entries = new Map<string, string>();
  private readonly seenOnce = new Set<number>();

  constructor(private readonly capacity = 2000) {}

  /** The cached payload for `key`. Hits do not reorder entries: that bookkeeping cost more than it saved. */
  get(key: string): string | undefined {
    return this.entries.get(key);
  }

  /** Stores a payload whose key was offered before, dropping the oldest entry when full. */
  set(key: string, value: string): void {
    const sighting = hashSeed(key);
    if (!this.seenOnce.has(sighting)) {
      if (this.seenOnce.size >= this.capacity * 4) this.seenOnce.clear();
      this.seenOnce.add(sighting);
      return;
    }
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
}
