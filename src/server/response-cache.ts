/** A small LRU of serialised bodies: the same request gets the same body, so it is built once. */
export class ResponseCache {
  private readonly entries = new Map<string, string>();

  constructor(private readonly capacity = 2000) {}

  /** The cached payload for `key`, refreshed as most recently used. */
  get(key: string): string | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  /** Stores a payload, dropping the least recently used entry when full. */
  set(key: string, value: string): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
}
