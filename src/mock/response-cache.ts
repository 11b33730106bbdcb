/** A bounded cache of serialised bodies: the same request gets the same body, so it is built once. */
export class ResponseCache {
  private readonly entries = new Map<string, string>();

  constructor(private readonly capacity = 2000) {}

  /** The cached payload for `key`. Hits do not reorder entries: that bookkeeping cost more than it saved. */
  get(key: string): string | undefined {
    return this.entries.get(key);
  }

  /** Stores a payload, dropping the oldest entry when full. */
  set(key: string, value: string): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
}
