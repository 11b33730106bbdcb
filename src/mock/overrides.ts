import type { CompiledRule } from './compile-rules.js';

/** A run-time override: a compiled rule, who it is for, and when it was set. */
export interface Override {
  id: string;
  /** The `iwkit-client` it is scoped to; undefined applies to every client. */
  client?: string;
  rule: CompiledRule;
  created: string;
}

/** An override as listed by `mock.use()` and the admin API. */
export interface OverrideInfo {
  id: string;
  name: string;
  client?: string;
  operationId?: string;
  /** Uses left; undefined means until reset. */
  remaining?: number;
  created: string;
  definition: CompiledRule['definition'];
}

/** Which overrides a call concerns: one client's (`client: undefined` = those made without a client id), or all. */
export type OverrideScope = { client?: string } | 'all';

function inScope(o: Override, scope: OverrideScope): boolean {
  return scope === 'all' || o.client === scope.client;
}

/** The run-time overrides, newest first; used-up ones drop out. */
export class OverrideStore {
  private items: Override[] = [];
  private counter = 0;

  /** How many overrides are set (0 keeps the request path free of override checks). */
  get size(): number {
    return this.items.length;
  }

  /** A fresh id for the next override. */
  nextId(): string {
    this.counter += 1;
    return `o${this.counter}`;
  }

  /** Adds an override in front of the others. */
  add(override: Override): OverrideInfo {
    this.items.unshift(override);
    return describeOverride(override);
  }

  /** The rules a request from `client` may be answered by, newest first: its own and the unscoped ones. */
  candidates(client: string | undefined): CompiledRule[] {
    const out: CompiledRule[] = [];
    for (const o of this.items) if (o.client === undefined || o.client === client) out.push(o.rule);
    return out;
  }

  /** Forgets overrides whose uses are spent. */
  prune(): void {
    this.items = this.items.filter((o) => o.rule.times === undefined || o.rule.used < o.rule.times);
  }

  /** What `client` sees: its own overrides and the unscoped ones (`'all'`: every override). */
  list(client: string | undefined | 'all'): OverrideInfo[] {
    const visible = client === 'all' ? this.items : this.items.filter((o) => o.client === undefined || o.client === client);
    return visible.map(describeOverride);
  }

  /** Removes one override of the given scope; false when it has no such override. */
  remove(id: string, scope: OverrideScope): boolean {
    const before = this.items.length;
    this.items = this.items.filter((o) => !(o.id === id && inScope(o, scope)));
    return this.items.length < before;
  }

  /** Removes every override of the scope; returns how many. */
  clear(scope: OverrideScope): number {
    const before = this.items.length;
    this.items = this.items.filter((o) => !inScope(o, scope));
    return before - this.items.length;
  }
}

/** The listing form of an override. */
export function describeOverride(o: Override): OverrideInfo {
  const { rule } = o;
  return {
    id: o.id,
    name: rule.name,
    ...(o.client !== undefined ? { client: o.client } : {}),
    ...(rule.operationId !== undefined ? { operationId: rule.operationId } : {}),
    ...(rule.times !== undefined ? { remaining: rule.times - rule.used } : {}),
    created: o.created,
    definition: rule.definition,
  };
}
