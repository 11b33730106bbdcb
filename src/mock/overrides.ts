import { toolkitError, type ToolkitError } from '../errors.js';
import type { CompiledRule } from './compile-rules.js';
import { defaultLimits, type MockLimits } from './limits.js';

/** A run-time override: a compiled rule, who it is for, and when it was set. */
export interface Override {
  id: string;
  /** The `iwkit-client` it is scoped to; undefined applies to every client. */
  client?: string;
  rule: CompiledRule;
  created: string;
  /** Its size as JSON text, counted against `maxOverrideBytes`. */
  bytes?: number;
}

/** The bounds of an override store. */
export type OverrideLimits = Pick<MockLimits, 'maxOverrides' | 'maxOverrideBytes'>;

/** The error a full store throws: which limit, its value, and the status the admin API answers with. */
export type OverrideLimitError = ToolkitError & { limit: { name: keyof OverrideLimits; value: number }; status: 409 | 413 };

/** The coded error for an override past a bound (nothing stored). */
export function limitError(name: keyof OverrideLimits, value: number, status: 409 | 413, message: string): OverrideLimitError {
  return Object.assign(toolkitError('IWKIT_ERR_OVERRIDE_LIMIT', `${name}=${value}`, message), { limit: { name, value }, status });
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

/** The run-time overrides, newest first; used-up ones drop out. Bounded by count and by bytes. */
export class OverrideStore {
  private items: Override[] = [];
  private counter = 0;
  private bytes = 0;

  /** Set by the mock from its options; a store carried over a hot reload takes the new ones. */
  limits: OverrideLimits;

  /** The rule the last request's rule step picked (set only when rules or overrides exist), so a shared store can spend its use. */
  picked: CompiledRule | undefined;

  constructor(limits: Partial<OverrideLimits> = {}) {
    this.limits = { maxOverrides: limits.maxOverrides ?? defaultLimits.maxOverrides, maxOverrideBytes: limits.maxOverrideBytes ?? defaultLimits.maxOverrideBytes };
  }

  /** Bytes of JSON text the overrides hold now. */
  get byteSize(): number {
    return this.bytes;
  }

  /** How many overrides are set (0 keeps the request path free of override checks). */
  get size(): number {
    return this.items.length;
  }

  /** A fresh id for the next override. */
  nextId(): string {
    this.counter += 1;
    return `o${this.counter}`;
  }

  /** Adds an override in front of the others; throws IWKIT_ERR_OVERRIDE_LIMIT (nothing stored) when it would pass a bound. */
  add(override: Override): OverrideInfo {
    const { maxOverrides, maxOverrideBytes } = this.limits;
    const size = override.bytes ?? 0;
    if (this.items.length >= maxOverrides) {
      throw limitError('maxOverrides', maxOverrides, 409, `${this.items.length} overrides are set already; delete some (DELETE /__iwkit/overrides) or raise the limit`);
    }
    if (size > maxOverrideBytes) throw limitError('maxOverrideBytes', maxOverrideBytes, 413, `the override takes ${size} bytes, more than all overrides may take together`);
    if (this.bytes + size > maxOverrideBytes) {
      throw limitError('maxOverrideBytes', maxOverrideBytes, 413, `the override takes ${size} bytes and the overrides set already take ${this.bytes}; delete some or raise the limit`);
    }
    this.items.unshift(override);
    this.bytes += size;
    return describeOverride(override);
  }

  /** Replaces every override at once (a replica's copy of the shared ones, newest first). */
  replace(items: Override[]): void {
    this.items = items;
    this.bytes = items.reduce((sum, o) => sum + (o.bytes ?? 0), 0);
  }

  /** The override a rule belongs to. */
  find(rule: CompiledRule): Override | undefined {
    return this.items.find((o) => o.rule === rule);
  }

  private keep(test: (o: Override) => boolean): void {
    this.items = this.items.filter(test);
    this.bytes = this.items.reduce((sum, o) => sum + (o.bytes ?? 0), 0);
  }

  /** The rules a request from `client` may be answered by, newest first: its own and the unscoped ones. */
  candidates(client: string | undefined): CompiledRule[] {
    const out: CompiledRule[] = [];
    for (const o of this.items) if (o.client === undefined || o.client === client) out.push(o.rule);
    return out;
  }

  /** Forgets overrides whose uses are spent. */
  prune(): void {
    this.keep((o) => o.rule.times === undefined || o.rule.used < o.rule.times);
  }

  /** What `client` sees: its own overrides and the unscoped ones (`'all'`: every override). */
  list(client: string | undefined | 'all'): OverrideInfo[] {
    const visible = client === 'all' ? this.items : this.items.filter((o) => o.client === undefined || o.client === client);
    return visible.map(describeOverride);
  }

  /** Removes one override of the given scope; false when it has no such override. */
  remove(id: string, scope: OverrideScope): boolean {
    const before = this.items.length;
    this.keep((o) => !(o.id === id && inScope(o, scope)));
    return this.items.length < before;
  }

  /** Removes every override of the scope; returns how many. */
  clear(scope: OverrideScope): number {
    const before = this.items.length;
    this.keep((o) => !inScope(o, scope));
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
