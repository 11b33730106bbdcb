import { describe, expect, it } from 'vitest';
import { compileRules, type CompiledRule } from '../../src/mock/compile-rules.js';
import type { RequestView } from '../../src/mock/match-rule.js';
import { findRule, spendRule } from '../../src/mock/select-rule.js';
import { compiledThing } from './core-fixture.js';

const view = (headers: Record<string, string> = {}): RequestView => ({ body: undefined, query: {}, headers, cookies: () => ({}) });

function rules(source: unknown): CompiledRule[] {
  return compileRules(source, { operations: new Map([['getThing', compiledThing()]]), references: [], locate: (path) => path.join('.') });
}

describe('selectRule', () => {
  const source = [
    { name: 'once', operationId: 'getThing', match: { headers: { 'x-mode': 'once' } }, respond: { status: 404 }, times: 1 },
    { name: 'any', respond: { status: 200 } },
  ];

  it('finds the first matching rule for the operation without spending it', () => {
    const list = rules(source);
    expect(findRule('getThing', view({ 'x-mode': 'once' }), list)?.name).toBe('once');
    expect(list[0].used).toBe(0);
    expect(findRule('getThing', view(), list)?.name).toBe('any');
  });

  it('spends one use of the rule that answers, records it as picked, prunes once spent, and then skips it', () => {
    const list = rules(source);
    const spending = { picked: undefined as CompiledRule | undefined, pruned: 0, prune() { this.pruned++; } };
    const once = findRule('getThing', view({ 'x-mode': 'once' }), list)!;
    spendRule(once, spending);
    expect([list[0].used, spending.picked?.name, spending.pruned]).toEqual([1, 'once', 1]);
    expect(findRule('getThing', view({ 'x-mode': 'once' }), list)?.name).toBe('any');
  });

  it('looks at earlier lists first (overrides before the scenarios file) and ignores rules of other operations', () => {
    const [once, any] = rules(source);
    expect(findRule('getThing', view({ 'x-mode': 'once' }), [any], [once])?.name).toBe('any');
    expect(findRule('otherOp', view({ 'x-mode': 'once' }), [once])).toBeUndefined();
  });
});
