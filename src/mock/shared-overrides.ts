import type { SharedControls, SharedOverrideRecord, SharedOverrideScope } from '../state/shared-controls.js';
import { compileOverride, type CompiledRule, type RuleContext } from './compile-rules.js';
import type { MockAnswer, MockRequest } from './mock-answer.js';
import { limitError, type Override, type OverrideInfo, type OverrideStore } from './overrides.js';
import type { ProblemContext } from './problem-answer.js';
import { storeRefusal } from './state-answer.js';

// Overrides every replica sees: kept in the shared store, copied into each replica's OverrideStore
// (compiled against its own spec) whenever the store's version moves, and spent there atomically, so a
// `times: 1` override answers once however many replicas stand behind the load balancer.

interface Copied {
  record: SharedOverrideRecord;
  override: Override;
}

/** One replica's view of the shared overrides: a synchronous copy for matching, the store for uses and bounds. */
export class SharedOverrides {
  private version: string | undefined;
  private reloading: Promise<void> | undefined;
  /** Compiled copies by id, kept while their source is unchanged. */
  private copies = new Map<string, Copied>();
  private byRule = new Map<CompiledRule, Copied>();

  constructor(
    readonly shared: SharedControls,
    /** The replica's copy, which the request path reads as it reads unshared overrides. */
    readonly local: OverrideStore,
    private readonly context: RuleContext,
  ) {}

  /** Brings the copy up to the store's version (one read when nothing changed). */
  async sync(): Promise<void> {
    const version = await this.shared.overridesVersion();
    // A reload already under way may have listed before this version was read: then one more, never a loop.
    for (let tries = 0; tries < 2 && this.version !== version; tries++) await (this.reloading ??= this.reload().finally(() => (this.reloading = undefined)));
  }

  private async reload(): Promise<void> {
    const { version, records } = await this.shared.listOverrides();
    const copies = new Map<string, Copied>();
    for (const record of records) {
      const known = this.copies.get(record.id);
      const copy = known && known.record.source === record.source ? { ...known, record } : this.compile(record);
      if (copy) copies.set(record.id, copy);
    }
    this.copies = copies;
    this.byRule = new Map([...copies.values()].map((c) => [c.override.rule, c]));
    // The copy keeps no count of uses: the store does, across replicas.
    this.local.replace([...copies.values()].map((c) => c.override));
    this.version = version;
  }

  /** Compiles a stored override against this replica's spec; one this spec cannot serve is left out here. */
  private compile(record: SharedOverrideRecord): Copied | undefined {
    try {
      const { bytes, client: _client, ...rule } = compileOverride(JSON.parse(record.source), this.context, record.id);
      const override: Override = { id: record.id, client: record.client, rule: { ...rule, times: undefined }, created: record.created, bytes };
      return { record, override };
    } catch {
      return undefined;
    }
  }

  /** Spends a use of the override `rule` belongs to (nothing to do for one without `times`); false when none is left. */
  async spend(rule: CompiledRule): Promise<boolean> {
    const copy = this.byRule.get(rule);
    if (!copy || copy.record.times === undefined) return true;
    if (await this.shared.takeOverride(copy.record.id)) return true;
    // Another replica spent the last use: this copy no longer offers it.
    this.local.remove(copy.record.id, 'all');
    this.copies.delete(copy.record.id);
    this.byRule.delete(rule);
    return false;
  }

  /** Checks an override against the spec and stores it for every replica; throws as the local store does. */
  async add(input: unknown, client?: string): Promise<OverrideInfo> {
    const { maxOverrides, maxOverrideBytes } = this.local.limits;
    const id = await this.shared.nextOverrideId();
    const { bytes, client: named, ...rule } = compileOverride(input, this.context, id, maxOverrideBytes + 1);
    if (bytes > maxOverrideBytes) throw limitError('maxOverrideBytes', maxOverrideBytes, 413, `the override takes ${bytes} bytes, more than all overrides may take together`);
    const record: SharedOverrideRecord = { id, client: client ?? named, source: JSON.stringify(input), created: new Date().toISOString(), bytes, times: rule.times, used: 0 };
    const outcome = await this.shared.addOverride(record, { maxOverrides, maxOverrideBytes });
    if (outcome === 'maxOverrides') throw limitError('maxOverrides', maxOverrides, 409, `${maxOverrides} overrides are set already across replicas; delete some (DELETE /__iwkit/overrides) or raise the limit`);
    if (outcome === 'maxOverrideBytes') throw limitError('maxOverrideBytes', maxOverrideBytes, 413, `the override takes ${bytes} bytes and those set already across replicas leave less room; delete some or raise the limit`);
    await this.sync();
    return describeShared(record, rule);
  }

  /** What `client` sees (its own and the unscoped ones; `'all'`: every one), with the uses left across replicas. */
  async list(client: string | undefined | 'all'): Promise<OverrideInfo[]> {
    await this.sync();
    const { records } = await this.shared.listOverrides();
    const out: OverrideInfo[] = [];
    for (const record of records) {
      const copy = this.copies.get(record.id);
      if (!copy || (client !== 'all' && record.client !== undefined && record.client !== client)) continue;
      out.push(describeShared(record, copy.override.rule));
    }
    return out;
  }

  /** Removes one override of the scope, for every replica. */
  async remove(id: string, scope: SharedOverrideScope): Promise<boolean> {
    return this.shared.removeOverride(id, scope);
  }

  /** Removes every override of the scope, for every replica; returns how many. */
  async clear(scope: SharedOverrideScope): Promise<number> {
    return this.shared.clearOverrides(scope);
  }
}

function describeShared(record: SharedOverrideRecord, rule: Pick<CompiledRule, 'name' | 'operationId' | 'definition'>): OverrideInfo {
  return {
    id: record.id,
    name: rule.name,
    ...(record.client !== undefined ? { client: record.client } : {}),
    ...(rule.operationId !== undefined ? { operationId: rule.operationId } : {}),
    ...(record.times !== undefined ? { remaining: record.times - record.used } : {}),
    created: record.created,
    definition: rule.definition,
  };
}

/**
 * Answers with the shared overrides: the copy brought up to date, the rule step run as usual, and the
 * override it picked spent in the store; one another replica used up first is dropped and the request
 * answered again without it. An unreachable store is a 503 naming it: the mock cannot know what was scripted.
 */
export function answerWithSharedOverrides(
  context: ProblemContext,
  shared: SharedOverrides,
  stateless: (request: MockRequest) => MockAnswer,
): (request: MockRequest) => Promise<MockAnswer> {
  return async function answerShared(request) {
    let answer: MockAnswer;
    try {
      await shared.sync();
      // Each failed spend drops one override from the copy, so this ends within the copy's size.
      for (let left = shared.local.size; ; left--) {
        shared.local.picked = undefined;
        answer = stateless(request);
        const picked = shared.local.picked;
        if (picked === undefined || left < 0 || (await shared.spend(picked))) break;
      }
    } catch (error) {
      return storeRefusal(error, context);
    }
    return answer;
  };
}
