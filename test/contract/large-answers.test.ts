import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { boundedJson, excerpt } from '../../src/contract/excerpt.js';
import { createHttpTransport } from '../../src/contract/http-transport.js';
import { runContract } from '../../src/contract/run-contract.js';

// Large answers cost the runner what they weigh, not forty times that, and the time it spends parsing
// them is not blamed on the server. (The full-scale figures: `npm run attack`, bench/attack-runner.ts.)

const MIB = 1024 * 1024;
const servers: Server[] = [];
afterAll(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function busyFor(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // Blocks the event loop, as parsing a large answer does.
  }
}

describe('excerpts of large values', () => {
  const huge = { id: 'x', items: Array.from({ length: 200_000 }, (_, i) => ({ i, token: `secret-${i}` })) };

  it('write only as much JSON as they show, secret properties redacted', () => {
    const text = boundedJson(huge, 100);
    expect(text.length).toBeLessThanOrEqual(101);
    expect(text.startsWith('{"id":"x","items":[{"i":0,"token":"[redacted]"}')).toBe(true);
    expect(text.endsWith('…')).toBe(true);
    expect(excerpt(huge, 80).length).toBeLessThanOrEqual(80);
    expect(excerpt('a'.repeat(5 * MIB), 40)).toBe(`"${'a'.repeat(38)}…`);
  });
});

describe('the HTTP transport deadline', () => {
  it('does not time out a request the server answered at once while this process was too busy to read it', async () => {
    const baseUrl = await listen((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      // The answer is in the socket; then the process blocks, like a run parsing another case's answer.
      res.end('{"ok":true}', () => busyFor(600));
    });
    const transport = createHttpTransport();
    try {
      const response = await transport({ method: 'GET', url: `${baseUrl}/`, headers: {} }, { timeoutMs: 200, maxBodyBytes: MIB });
      expect(response.status).toBe(200);
      expect(response.body.toString()).toBe('{"ok":true}');
    } finally {
      transport.close?.();
    }
  });

  it('still times out a server that never answers', async () => {
    const baseUrl = await listen((req) => req.resume());
    const transport = createHttpTransport();
    try {
      await expect(transport({ method: 'GET', url: `${baseUrl}/`, headers: {} }, { timeoutMs: 150, maxBodyBytes: MIB })).rejects.toMatchObject({ kind: 'timeout' });
    } finally {
      transport.close?.();
    }
  });
});

describe('the contract runner against 10 MiB answers', () => {
  it('completes every case at --concurrency 4 without a time-out and reports bounded excerpts', async () => {
    const item = '{"id":1,"name":"x"},';
    const body = Buffer.from(`{"id":42,"sessionid":"s","selectedcustomer":[${item.repeat(Math.floor((10 * MIB - 2048) / item.length))}{"id":1}]}`);
    const baseUrl = await listen((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    });
    const result = await runContract({
      spec: 'schema/openapi.yaml',
      baseUrl,
      token: 'large-answer-token-2b7c',
      cases: 2,
      maxRequests: 6,
      concurrency: 4,
      ratePerSecond: 1000,
      seed: 9,
    });
    const sent = result.outcomes.filter((o) => o.sent);
    expect(sent).toHaveLength(6);
    for (const outcome of sent) {
      expect(outcome.transportError, outcome.id).toBeUndefined();
      expect(outcome.response?.bodyBytes).toBe(body.length);
      expect(outcome.response!.bodyExcerpt.length).toBeLessThanOrEqual(500);
      const schema = outcome.results.find((r) => r.check === 'response-schema-conformance');
      if (schema?.status !== 'failed') continue;
      for (const p of schema.problems) expect((p.actual ?? '').length).toBeLessThanOrEqual(80);
    }
    expect(sent.some((o) => o.results.some((r) => r.check === 'response-schema-conformance' && r.status === 'failed'))).toBe(true);
  });
});
