import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContractResult } from '../../src/contract/contract-result.js';
import { groupFailures } from '../../src/contract/group-failures.js';
import { formatConsoleReport } from '../../src/contract/reporters/console-reporter.js';
import { runContract, type ContractOptions } from '../../src/contract/run-contract.js';
import { SERVER_TOKEN, startLoginServer, type Fault } from './login-test-server.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

const base = { spec: 'schema/openapi.yaml', seed: 3, cases: 2, ratePerSecond: 1000, concurrency: 4, timeoutMs: 2000 } as const;

async function against(fault: Fault, options: Partial<ContractOptions> = {}): Promise<ContractResult> {
  const server = await startLoginServer(fault);
  closers.push(server.close);
  return runContract({ ...base, baseUrl: server.baseUrl, token: SERVER_TOKEN, ...options });
}

// A single-page app's catch-all: every path and method gets the same HTML page.
async function htmlCatchAll(): Promise<string> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>app</title><div id="root"></div>'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const summaryWarnings = (text: string): number => Number(/ · (\d+) warnings? · /.exec(text)![1]);

describe('failure causes and warnings', () => {
  it('groups the failures of an HTML catch-all into one cause per check, each listing its cases', async () => {
    const result = await runContract({ ...base, baseUrl: await htmlCatchAll(), token: SERVER_TOKEN });
    const groups = groupFailures(result);
    const keys = groups.map((g) => `${g.check}/${g.severity}`);
    expect(new Set(keys).size).toBe(keys.length);
    const rejection = groups.find((g) => g.check === 'negative-data-rejection' && g.severity === 'error')!;
    const negatives = result.outcomes.filter((o) => o.kind === 'negative' && o.mutation?.kind !== 'wrong-content-type');
    expect(negatives.length).toBeGreaterThan(5);
    expect(rejection.outcomes.map((o) => o.id).sort()).toEqual(negatives.map((o) => o.id).sort());
    expect(rejection.result.problems[0]).toMatchObject({ message: 'invalid input was accepted with status 200', actual: '200' });
    expect(groups.find((g) => g.check === 'ignored-auth')!.outcomes.map((o) => o.name).sort()).toEqual(['invalid credential', 'no credential']);

    const text = formatConsoleReport(result, { color: false });
    expect(text).toMatch(new RegExp(`^\\d+\\) ✘ negative-data-rejection · instagramLogin · ${negatives.length} cases$`, 'm'));
    expect(text).toMatch(new RegExp(`^Failures \\(${groups.filter((g) => g.severity === 'error').length} causes\\)$`, 'm'));
  });

  it('warns by default, and fails under --strict, when a server accepts JSON sent with an undocumented Content-Type', async () => {
    const lenient = await against('any-content-type');
    expect(lenient.ok).toBe(true);
    const flagged = (r: ContractResult) =>
      r.outcomes.flatMap((o) => o.results.filter((x) => x.check === 'negative-data-rejection' && x.status === 'failed').map((x) => ({ kind: o.mutation?.kind, severity: x.severity })));
    expect(flagged(lenient)).toEqual([{ kind: 'wrong-content-type', severity: 'warning' }]);
    expect(lenient.totals.warnings).toBe(1);

    const strict = await against('any-content-type', { strict: true });
    expect(flagged(strict)).toEqual([{ kind: 'wrong-content-type', severity: 'error' }]);
    expect(strict.ok).toBe(false);

    // The server that refuses it passes in both modes.
    expect((await against('none', { strict: true })).ok).toBe(true);
  });

  it('counts every warning it prints in the summary line', async () => {
    const server = await startLoginServer('any-content-type');
    closers.push(server.close);
    // No token: the run warns that valid requests could not be tested.
    const noToken = await runContract({ ...base, baseUrl: server.baseUrl });
    const text = formatConsoleReport(noToken, { color: false });
    const printed = text.split('\n').filter((line) => line.startsWith('warning: ')).length;
    expect(printed).toBeGreaterThan(0);
    expect(summaryWarnings(text)).toBe(printed + noToken.totals.warnings);
    expect(text).not.toMatch(/ 0 warnings/);

    const warned = formatConsoleReport(await against('any-content-type'), { color: false });
    expect(warned).toMatch(/checks: \d+ passed, 0 failed, 1 warned, \d+ skipped · 1 warning · /);

    const clean = formatConsoleReport(await against('none'), { color: false });
    expect(summaryWarnings(clean)).toBe(0);
    expect(clean).toMatch(/checks: \d+ passed, 0 failed, \d+ skipped · 0 warnings · /);
  });
});
