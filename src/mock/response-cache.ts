import { hashSeed } from './request-seed.js';

// A body cached for a request that never comes again outlives a few young-generation collections and
// is promoted, so a stream of new requests would fill the old generation with dead bodies. A body is
// therefore kept only when its key comes a second time; the first sighting costs one number.

/** How many characters a cached value counts for against the byte bound (strings: their length). */
export type SizeOf<V> = (value: V) => number;

const textSize: SizeOf<unknown> = (value) => (typeof value === 'string' ? value.length : 0);

/** A bounded cache of answers: the same request gets the same answer, so it is built once. */
export class ResponseCache<V = string> {
  private readonly entries = new Map<string, V>();
  private readonly seenOnce = new Set<number>();
  private bytes = 0;

  /** At most `capacity` entries and `maxBytes` characters of keys and values, oldest dropped first. */
  constructor(
    private readonly capacity = 2000,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
    private readonly sizeOf: SizeOf<V> = textSize,
  ) {}

  /** How many entries are kept. */
  get size(): number {
    return this.entries.size;
  }

  /** The cached value for `key`. Hits do not reorder entries: that bookkeeping cost more than it saved. */
  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  /** Stores a value whose key was offered before, dropping the oldest entries past either bound. */
  set(key: string, value: V): void {
    if (this.admits(hashSeed(key))) this.put(key, value);
  }

  /**
   * Notes a sighting (a hash of what makes the key); true when it was seen before, so a value built now
   * would be kept. A collision only keeps a value early, never gives a wrong one: `get` compares whole keys.
   */
  admits(sighting: number): boolean {
    // 30 bits stay a small integer in V8: a full 32-bit hash would be a heap number, allocated and hashed per call.
    const seen = sighting & 0x3fffffff;
    if (this.seenOnce.has(seen)) return true;
    if (this.seenOnce.size >= this.capacity * 4) this.seenOnce.clear();
    this.seenOnce.add(seen);
    return false;
  }

  /** Stores a value at once (after `admits`), dropping the oldest entries past either bound. */
  put(key: string, value: V): void {
    const size = key.length + this.sizeOf(value);
    if (size > this.maxBytes) return;
    this.drop(key);
    this.entries.set(key, value);
    this.bytes += size;
    while (this.entries.size > this.capacity || this.bytes > this.maxBytes) this.drop(this.entries.keys().next().value as string);
  }

  /** Forgets every entry and sighting. */
  clear(): void {
    this.entries.clear();
    this.seenOnce.clear();
    this.bytes = 0;
  }

  private drop(key: string): void {
    const old = this.entries.get(key);
    if (old === undefined) return;
    this.entries.delete(key);
    this.bytes -= key.length + this.sizeOf(old);
  }
}
