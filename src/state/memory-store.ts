import { defaultStateBounds, entryBytes, StateLimitError, type StateBounds, type StateEntry, type StateStore } from './state-store.js';

// The embedded default: plain Maps, no set-up, no Node built-in (it also runs in the browser under MSW).

interface Scope {
  items: Map<string, string>;
  bytes: number;
}

/** The in-memory state store: one process, bounded per client scope. */
export class MemoryStore implements StateStore {
  readonly name = 'memory';
  readonly bounds: StateBounds;
  private readonly scopes = new Map<string, Scope>();

  constructor(bounds: Partial<StateBounds> = {}) {
    this.bounds = { ...defaultStateBounds, ...bounds };
  }

  private scope(name: string): Scope {
    let scope = this.scopes.get(name);
    if (!scope) this.scopes.set(name, (scope = { items: new Map(), bytes: 0 }));
    return scope;
  }

  async get(scope: string, key: string): Promise<string | undefined> {
    return this.scopes.get(scope)?.items.get(key);
  }

  async set(scope: string, key: string, value: string): Promise<void> {
    this.write(this.scope(scope), key, value);
  }

  private write(s: Scope, key: string, value: string): void {
    const old = s.items.get(key);
    if (old === undefined && s.items.size >= this.bounds.maxItems) throw new StateLimitError('maxItems', this.bounds.maxItems);
    const bytes = s.bytes - (old === undefined ? 0 : entryBytes(key, old)) + entryBytes(key, value);
    if (bytes > this.bounds.maxBytes) throw new StateLimitError('maxBytes', this.bounds.maxBytes);
    s.items.set(key, value);
    s.bytes = bytes;
  }

  async delete(scope: string, key: string): Promise<boolean> {
    const s = this.scopes.get(scope);
    const old = s?.items.get(key);
    if (!s || old === undefined) return false;
    s.items.delete(key);
    s.bytes -= entryBytes(key, old);
    return true;
  }

  async list(scope: string, prefix: string): Promise<StateEntry[]> {
    const out: StateEntry[] = [];
    for (const [key, value] of this.scopes.get(scope)?.items ?? []) if (key.startsWith(prefix)) out.push({ key, value });
    return out;
  }

  async incr(scope: string, key: string, by = 1): Promise<number> {
    const s = this.scope(scope);
    const next = (Number(s.items.get(key) ?? '0') || 0) + by;
    this.write(s, key, String(next));
    return next;
  }

  async clear(scope?: string): Promise<void> {
    if (scope === undefined) this.scopes.clear();
    else this.scopes.delete(scope);
  }

  async close(): Promise<void> {}
}
