import { afterEach, describe, expect, it } from 'vitest';
import type { ContractResult } from '../../src/contract/contract-result.js';
import { formatConsoleReport } from '../../src/contract/reporters/console-reporter.js';
import { renderJson } from '../../src/contract/reporters/json-reporter.js';
import { planFlows } from '../../src/contract/flows/plan-flows.js';
import { buildCases } from '../../src/contract/build-cases.js';
import { runContract } from '../../src/contract/run-contract.js';
import { createInjectTransport } from '../../src/contract/inject-transport.js';
import { createMockServer } from '../../src/server/create-mock-server.js';
import { createSchemaValidation } from '../../src/contract/schema-validation.js';
import { loadApi } from '../../src/openapi/load-api.js';
import { startThingsServer, type ThingsFault } from './things-test-server.js';

const SPEC = 'test/specs/things-3.1.yaml';
const fast = { spec: SPEC, cases: 1, seed: 4, ratePerSecond: 10_000, concurrency: 2, timeoutMs: 2000, auth: { from: 'login' } };

function failedChecks(result: ContractResult): string[] {
  return [...new Set(result.outcomes.flatMap((o) => o.results.filter((r) => r.status === 'failed' && r.severity === 'error').map((r) => r.check)))].sort();
}

function passedOnce(result: ContractResult, check: string): boolean {
  return result.outcomes.some((o) => o.results.some((r) => r.check === check && r.status === 'passed'));
}

async function planOf(spec: string) {
  const api = await loadApi(spec);
  const schemas = createSchemaValidation(api.references, false);
  const built = await buildCases(api, { cases: 1, seed: 1, now: 0 }, schemas);
  return planFlows(api, built.cases, { perGroup: 1, max: 10, resolve: (s) => schemas.resolve(s) });
}

describe('flows: create → read → update → read → delete → read', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });
  const start = async (fault: ThingsFault) => {
    const server = await startThingsServer(fault);
    close = server.close;
    return server;
  };

  it('takes the item id from the spec\'s link first, and infers it from a created id where the spec has no link', async () => {
    const things = await planOf(SPEC);
    expect(things.flows).toHaveLength(1);
    expect(things.flows[0].steps.map((s) => s.role)).toEqual(['create', 'read-created', 'update', 'read-updated', 'delete', 'read-deleted']);
    expect(things.flows[0].steps[1].bindings[0]).toMatchObject({ parameter: 'thingId', expression: '$response.body#/id', source: 'link' });
    const pets = await planOf('test/specs/petstore-3.0.yaml');
    expect(pets.flows[0].steps.map((s) => s.role)).toEqual(['create', 'read-created', 'delete', 'read-deleted']);
    expect(pets.flows[0].steps[1].bindings[0]).toMatchObject({ parameter: 'petId', expression: '$response.body#/id', source: 'id' });
    const library = await planOf('test/specs/library-3.1/openapi.yaml');
    expect(library.flows[0].steps.map((s) => s.role)).toEqual(['create', 'read-created', 'update', 'read-updated']);
    expect(library.flows[0].steps[1].bindings[0]).toMatchObject({ parameter: 'bookId', source: 'id' });
  });

  it('passes every flow against a conforming stateful server, each flow check proving something', async () => {
    const server = await start('none');
    const result = await runContract({ ...fast, baseUrl: server.baseUrl });
    expect(failedChecks(result)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.flows).toMatchObject({ planned: 2, steps: 12, stepsSent: 12 });
    for (const check of ['resource-availability', 'use-after-free', 'stateful-consistency', 'session-validity']) expect(passedOnce(result, check)).toBe(true);
    const text = renderJson(result) + formatConsoleReport(result, { color: false });
    for (const token of server.issued()) expect(text).not.toContain(token);
  });

  const broken: [ThingsFault, string, string][] = [
    ['created-404', 'resource-availability', 'was not found right after'],
    ['deleted-still-200', 'use-after-free', 'still answers'],
    ['update-ignored', 'stateful-consistency', 'does not return the value the update sent'],
    ['session-dies', 'session-validity', 'had just issued was refused by its first use'],
  ];
  for (const [fault, check, message] of broken) {
    it(`catches a server whose flow breaks (${fault}) with ${check}, the whole sequence as the repro`, async () => {
      const server = await start(fault);
      const result = await runContract({ ...fast, baseUrl: server.baseUrl });
      expect(result.ok).toBe(false);
      expect(failedChecks(result)).toEqual([check]);
      const failing = result.outcomes.find((o) => o.results.some((r) => r.check === check && r.status === 'failed'))!;
      expect(failing.results.find((r) => r.check === check)!.problems[0].message).toContain(message);
      const console = formatConsoleReport(result, { color: false });
      if (failing.flow) {
        expect(failing.flow.steps).toHaveLength(failing.flow.index + 1);
        expect(console).toMatch(/reproduce \(flow flow:\/things\/\d, step \d [a-z-]+\):\n {3} {2}1\. curl --request POST /);
      }
      for (const curl of failing.flow?.steps ?? [failing.curl]) expect(curl).not.toMatch(/tok-[0-9a-f]{24}/);
      const text = renderJson(result) + console;
      for (const token of server.issued()) expect(text).not.toContain(token);
    });
  }

  it("fails the flows of the project's mock, which keeps no state yet (#17): a deleted pet still answers, an updated book reads as before", async () => {
    for (const [spec, check] of [['test/specs/petstore-3.0.yaml', 'use-after-free'], ['test/specs/library-3.1/openapi.yaml', 'stateful-consistency']] as const) {
      const mock = await createMockServer({ spec, seed: 3, tokens: ['mock-token-0123456789abcdef'] });
      try {
        const result = await runContract({ spec: mock.iwkitApi, baseUrl: 'http://mock.invalid', transport: createInjectTransport(mock), token: 'mock-token-0123456789abcdef', seed: 5, cases: 2, ratePerSecond: 10_000, concurrency: 4, maxRequests: 400 });
        expect(failedChecks(result), spec).toEqual([check]);
        expect(result.outcomes.filter((o) => o.results.some((r) => r.status === 'failed' && r.severity === 'error')).every((o) => o.flow !== undefined)).toBe(true);
      } finally {
        await mock.close();
      }
    }
  });

  it('counts flows against --max-requests (a flow is sent whole or not at all) and sends none with flows: 0', async () => {
    const server = await start('none');
    const capped = await runContract({ ...fast, baseUrl: server.baseUrl, maxRequests: 8 });
    expect(capped.requestsSent).toBeLessThanOrEqual(8 + 1);
    const flowSteps = capped.outcomes.filter((o) => o.flow);
    for (const id of new Set(flowSteps.map((o) => o.flow!.id))) {
      const steps = flowSteps.filter((o) => o.flow!.id === id);
      expect(new Set(steps.map((o) => o.sent)).size).toBe(1);
    }
    const none = await runContract({ ...fast, baseUrl: server.baseUrl, flows: 0 });
    expect(none.outcomes.some((o) => o.flow)).toBe(false);
    expect(none.flows).toBeUndefined();
  });
});
