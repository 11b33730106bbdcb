import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInjectTransport } from '../../src/contract/inject-transport.js';
import { runContract } from '../../src/contract/run-contract.js';
import type { ContractResult } from '../../src/contract/contract-result.js';
import { createMockServer } from '../../src/server/create-mock-server.js';

const TOKEN = 'mock-token-0123456789abcdef';

function failuresOf(result: ContractResult): string[] {
  return result.outcomes.flatMap((o) => o.results.filter((r) => r.status === 'failed').map((r) => `${r.check} · ${o.operationId} · ${o.name}: ${JSON.stringify(r.problems)}`));
}

describe('the runner against the project\'s own mock', () => {
  let app: Awaited<ReturnType<typeof createMockServer>>;
  let baseUrl: string;

  beforeAll(async () => {
    app = await createMockServer({ seed: 7, tokens: [TOKEN] });
    await app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
  });

  it('finds zero failures over real HTTP on loopback', async () => {
    const result = await runContract({ spec: 'schema/openapi.yaml', baseUrl, token: TOKEN, seed: 11, cases: 3, ratePerSecond: 1000, concurrency: 4, timeoutMs: 3000 });
    expect(failuresOf(result)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.requestsSent).toBeGreaterThan(10);
    // Every kind of case was sent: examples, generated, negative and security.
    expect(new Set(result.outcomes.map((o) => o.kind))).toEqual(new Set(['example', 'generated', 'negative', 'security']));
    expect(result.totals.passed).toBeGreaterThan(0);
  });

  it('finds zero failures through an inject transport', async () => {
    const result = await runContract({
      spec: app.iwkitApi,
      baseUrl: 'http://mock.invalid',
      transport: createInjectTransport(app),
      token: TOKEN,
      seed: 12,
      cases: 3,
      ratePerSecond: 1000,
      concurrency: 4,
      timeoutMs: 3000,
    });
    expect(failuresOf(result)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.totals.failed).toBe(0);
  });

  // Flows off: the mock keeps no state until --stateful (#17), so a deleted pet still answers (see flows.test.ts).
  it('finds zero failures on the multi-operation test specs', async () => {
    for (const spec of ['test/specs/petstore-3.0.yaml', 'test/specs/kitchen-sink-3.1.yaml', 'test/specs/library-3.1/openapi.yaml']) {
      const mock = await createMockServer({ spec, seed: 3, tokens: [TOKEN] });
      try {
        const result = await runContract({ spec: mock.iwkitApi, baseUrl: 'http://mock.invalid', transport: createInjectTransport(mock), token: TOKEN, seed: 5, cases: 2, ratePerSecond: 10_000, concurrency: 4, maxRequests: 400, flows: 0 });
        expect(failuresOf(result), spec).toEqual([]);
        expect(result.operations.length, spec).toBeGreaterThan(1);
      } finally {
        await mock.close();
      }
    }
  });

  // With --stateful the mock keeps what flows create, so the flow checks run and pass (#17).
  it('passes every flow check against the stateful mock on the multi-operation test specs', async () => {
    const passed = new Set<string>();
    // things has a login: its sessions are the credentials. The others take the fixed token.
    const runs: [string, Record<string, unknown>, string[] | undefined][] = [
      ['test/specs/things-3.1.yaml', { auth: { from: 'login' } }, undefined],
      ['test/specs/petstore-3.0.yaml', { token: TOKEN }, [TOKEN]],
      ['test/specs/library-3.1/openapi.yaml', { token: TOKEN }, [TOKEN]],
    ];
    for (const [spec, auth, tokens] of runs) {
      const mock = await createMockServer({ spec, seed: 3, stateful: true, tokens });
      try {
        const result = await runContract({ spec: mock.iwkitApi, baseUrl: 'http://mock.invalid', transport: createInjectTransport(mock), seed: 5, cases: 1, ratePerSecond: 10_000, concurrency: 2, maxRequests: 400, ...auth });
        // Warnings aside: a stateful mock rightly answers 404 to an id no one created (positive-data-acceptance warns).
        const errors = result.outcomes.flatMap((o) => o.results.filter((r) => r.status === 'failed' && r.severity === 'error').map((r) => `${r.check} · ${o.operationId} · ${o.name}: ${JSON.stringify(r.problems)}`));
        expect(errors, spec).toEqual([]);
        expect(result.flows?.planned, spec).toBeGreaterThan(0);
        for (const o of result.outcomes) for (const r of o.results) if (r.status === 'passed') passed.add(r.check);
      } finally {
        await mock.close();
      }
    }
    for (const check of ['use-after-free', 'resource-availability', 'stateful-consistency']) expect(passed, check).toContain(check);
  });
});
