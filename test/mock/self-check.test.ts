import { describe, expect, it } from 'vitest';
import { createFaker } from '../../src/fake/create-faker.js';
import { buildPayload } from '../../src/mock/build-payload.js';
import { chooseResponse } from '../../src/mock/choose-response.js';
import type { CompiledOperation } from '../../src/mock/compile-operation.js';
import type { Fixture, FixtureRequest } from '../../src/mock/fixture.js';
import { Gate } from '../../src/mock/limits.js';
import type { MockRuntime } from '../../src/mock/mock-runtime.js';
import { OverrideStore } from '../../src/mock/overrides.js';
import { ResponseCache } from '../../src/mock/response-cache.js';
import { RuleSet } from '../../src/mock/select-rule.js';
import { selfCheckAll, selfCheckEvery, takesSelfCheck } from '../../src/mock/self-check.js';
import { compiledThing } from './core-fixture.js';

const request: FixtureRequest = { method: 'GET', path: '/things/1', params: { id: 1 }, query: {}, headers: {}, body: undefined };

function runtimeWithWarnings(warnings: string[]): MockRuntime {
  return {
    seed: 1,
    now: Date.UTC(2026, 0, 1),
    faker: createFaker(),
    cache: new ResponseCache(),
    rules: new RuleSet([], []),
    overrides: new OverrideStore(),
    errorRate: 0,
    random: Math.random,
    delays: new Gate(10),
    warn: (message) => void warnings.push(message),
  };
}

/** Counts the schema checks the response's validator runs, still giving the real verdicts. */
function countChecks(op: CompiledOperation): { count: number } {
  const media = op.responses[0].media[0];
  const real = media.validator!;
  const counter = { count: 0 };
  media.validator = { check: (value) => (counter.count++, real.check(value)), errors: (value) => real.errors(value) };
  return counter;
}

describe('takesSelfCheck', () => {
  it('checks the first bodies of a media type, then one in every selfCheckEvery', () => {
    const media = {};
    const taken = Array.from({ length: 1000 }, () => takesSelfCheck(media));
    expect(taken.slice(0, selfCheckAll).every(Boolean)).toBe(true);
    const later = taken.flatMap((t, i) => (t && i >= selfCheckAll ? [i + 1] : []));
    expect(later.every((n) => n % selfCheckEvery === 0)).toBe(true);
    expect(later).toHaveLength(Math.floor(1000 / selfCheckEvery) - Math.floor(selfCheckAll / selfCheckEvery));
  });

  it('counts each media type on its own', () => {
    const [a, b] = [{}, {}];
    for (let i = 0; i < selfCheckAll; i++) takesSelfCheck(a);
    expect(takesSelfCheck(a)).toBe(false);
    expect(takesSelfCheck(b)).toBe(true);
  });
});

describe('buildPayload self-check', () => {
  it('checks a sample of generated bodies once a media type has had its first ones checked', () => {
    const op = compiledThing();
    const checks = countChecks(op);
    const runtime = runtimeWithWarnings([]);
    const decision = chooseResponse(op, { dynamic: true, example: undefined }, undefined);
    if (!('choice' in decision)) throw new Error('no choice');
    expect(decision.choice.source.kind).toBe('generated');
    const bodies = selfCheckAll + 4 * selfCheckEvery;
    for (let seed = 1; seed <= bodies; seed++) expect(buildPayload(op, decision.choice, seed, runtime, request)).toMatch(/^\{"id":/);
    expect(checks.count).toBe(selfCheckAll + 4);
  });

  it('checks every body a fixture builder makes and warns for each that breaks the schema', () => {
    // The builder answers validly for the three seeds the mock tries at start, then breaks the schema.
    const fixture: Fixture = { name: 'drifting', file: 'drifting.js', build: ({ seed }) => ({ id: seed <= 3 ? seed : `id-${seed}` }) };
    const op = compiledThing([fixture]);
    const checks = countChecks(op);
    const warnings: string[] = [];
    const runtime = runtimeWithWarnings(warnings);
    const decision = chooseResponse(op, { example: 'drifting' }, undefined);
    if (!('choice' in decision)) throw new Error('no choice');
    const bodies = selfCheckAll + 2 * selfCheckEvery;
    for (let seed = 4; seed < 4 + bodies; seed++) buildPayload(op, decision.choice, seed, runtime, request);
    expect(checks.count).toBe(bodies);
    expect(warnings).toHaveLength(bodies);
    expect(new Set(warnings)).toEqual(new Set(['iwkit built a body that breaks the response schema']));
  });
});
