import type { CompiledRule } from './compile-rules.js';
import type { RequestView } from './match-rule.js';

/**
 * The first rule that applies to the operation, matches the request and has uses left; changes nothing.
 * Overrides come before the rules of a scenarios file; first match wins.
 */
export function findRule(operationId: string, view: RequestView, ...lists: readonly (readonly CompiledRule[])[]): CompiledRule | undefined {
  for (const list of lists) {
    for (const rule of list) {
      if (rule.operationId !== undefined && rule.operationId !== operationId) continue;
      if (rule.times !== undefined && rule.used >= rule.times) continue;
      if (rule.matches(view)) return rule;
    }
  }
  return undefined;
}

/** Where a spent rule is recorded: the override store (which forgets spent overrides) and what it last picked. */
export interface RuleSpending {
  picked: CompiledRule | undefined;
  prune(): void;
}

/** Spends one use of the rule that answers a request, the one place uses change: a spent override leaves its store at once. */
export function spendRule(rule: CompiledRule, overrides: RuleSpending): void {
  rule.used += 1;
  // A store shared by replicas spends the picked override's use there as well (shared-overrides.ts).
  overrides.picked = rule;
  if (rule.times !== undefined && rule.used >= rule.times) overrides.prune();
}

/** The rules of a scenarios file, grouped by operation so a request only looks at its own. */
export class RuleSet {
  private readonly byOperation = new Map<string, CompiledRule[]>();

  constructor(readonly rules: readonly CompiledRule[], operationIds: Iterable<string>) {
    for (const id of operationIds) {
      const own = rules.filter((r) => r.operationId === undefined || r.operationId === id);
      if (own.length > 0) this.byOperation.set(id, own);
    }
  }

  /** The rules that may answer an operation, in file order (empty when none). */
  forOperation(operationId: string): CompiledRule[] {
    return this.byOperation.get(operationId) ?? noRules;
  }

  /** How many times the rules got their uses back: answers given in between may no longer hold. */
  resets = 0;

  /** Gives every `times`-limited rule its uses back. */
  resetUses(): void {
    for (const rule of this.rules) rule.used = 0;
    this.resets += 1;
  }
}

const noRules: CompiledRule[] = [];
