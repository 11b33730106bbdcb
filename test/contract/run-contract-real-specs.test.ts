import { describe, expect, it } from 'vitest';
import type { ContractResult } from '../../src/contract/contract-result.js';
import { createInjectTransport } from '../../src/contract/inject-transport.js';
import { runContract } from '../../src/contract/run-contract.js';
import { createMockServer } from '../../src/server/create-mock-server.js';
import { unreadBodies } from './mock-body-support.js';
import { publicCorpus } from '../openapi/public-corpus.js';

// The runner against iwkit's own mock of each real public document that loads and starts: a bounded run
// (1 generated case per operation, at most 300 requests) must find zero failures, warnings included. Operations whose body
// type the mock cannot read yet (it answers 415) are left out of the run and named in the test's note.

const TOKEN = 'mock-token-0123456789abcdef';
const PUBLIC_SPECS = publicCorpus;
const specs = [
  'tictactoe-3.1.yaml',
  'notion-3.1.json',
  'resend-3.1.yaml',
  'traccar-3.1.yaml',
  'apideck-file-storage-3.0.yaml',
  'apideck-crm-3.0.yaml',
  'svix-3.1.json',
];

/**
 * Valid requests the mock refuses because of its own known gaps (a warning-severity finding, so the run still
 * passes): `x-apideck-metadata` is a header described by `content: application/json`, which the runner sends
 * as JSON text and the mock does not read as JSON yet. Remove an entry once the mock reads it.
 */
const knownMockGaps: Record<string, string[]> = { 'apideck-file-storage-3.0.yaml': ['positive-data-acceptance · filesUpload'] };

function failuresOf(result: ContractResult, tolerated: string[] = []): string[] {
  return result.outcomes.flatMap((o) =>
    o.results
      .filter((r) => r.status === 'failed' && !(r.severity === 'warning' && tolerated.includes(`${r.check} · ${o.operationId}`)))
      .map((r) => `${r.check} · ${o.operationId} · ${o.name} · ${o.request.method} ${o.request.url} → ${o.response?.status} ${o.response?.bodyExcerpt.slice(0, 200)}: ${JSON.stringify(r.problems).slice(0, 300)}`),
  );
}

describe('the runner against the mock of real public specs', () => {
  for (const name of specs) {
    it(`finds zero failures on ${name}`, { timeout: 180_000 }, async (ctx) => {
      const mock = await createMockServer({ spec: `${PUBLIC_SPECS}/${name}`, seed: 3, tokens: [TOKEN] });
      try {
        const api = mock.iwkitApi;
        const unread = await unreadBodies(mock, api, TOKEN);
        const operations = api.operations.map((o) => o.operationId).filter((id) => !unread.has(id));
        const result = await runContract({
          spec: api,
          baseUrl: 'http://mock.invalid',
          transport: createInjectTransport(mock),
          token: TOKEN,
          seed: 5,
          cases: 1,
          ratePerSecond: 100_000,
          concurrency: 4,
          maxRequests: 300,
          operations,
          // The mock keeps no state until --stateful (#17): its flows fail use-after-free, as flows.test.ts shows.
          flows: 0,
        });
        expect(failuresOf(result, knownMockGaps[name])).toEqual([]);
        expect(result.ok).toBe(true);
        expect(result.requestsSent).toBeGreaterThan(0);
        await ctx.annotate(`${name}: ${result.requestsSent} requests, ${result.totals.total} checks, ${result.totals.failed} failures`);
        if (unread.size > 0) await ctx.annotate(`left out (the mock answers 415): ${[...unread].map(([op, type]) => `${op} (${type.split(';')[0]})`).join(', ')}`);
      } finally {
        await mock.close();
      }
    });
  }
});
