import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractResult } from '../../src/contract/contract-result.js';
import { formatConsoleReport } from '../../src/contract/reporters/console-reporter.js';
import { renderJson } from '../../src/contract/reporters/json-reporter.js';
import { renderJunit } from '../../src/contract/reporters/junit-reporter.js';
import { runContract } from '../../src/contract/run-contract.js';
import { SERVER_TOKEN, startLoginServer } from './login-test-server.js';

type Node = Record<string, unknown>;
const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

describe('reporters', () => {
  let result: ContractResult;
  let close: () => Promise<void>;
  const header = 'Authorization';
  const headerSecret = 'Bearer other-secret-value-778899';

  beforeAll(async () => {
    // This server echoes the token back in a cookie, a header and the body, and breaks the schema (id is a string).
    const server = await startLoginServer('echo-secrets');
    close = server.close;
    result = await runContract({
      spec: 'schema/openapi.yaml',
      baseUrl: server.baseUrl,
      token: SERVER_TOKEN,
      headers: { [header]: headerSecret },
      seed: 4,
      cases: 2,
      ratePerSecond: 1000,
      concurrency: 4,
    });
  });
  afterAll(async () => close());

  it('writes JUnit XML that parses and whose counts equal the console summary', () => {
    const xml = renderJunit(result);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as Node;
    const suites = doc.testsuites as Node;
    const suiteList = asList(suites.testsuite as Node | Node[]);
    const cases = suiteList.flatMap((s) => asList(s.testcase as Node | Node[]));
    const failures = cases.filter((c) => c.failure !== undefined).length;
    const skipped = cases.filter((c) => c.skipped !== undefined).length;

    const summary = /(\d+) checks: (\d+) passed, (\d+) failed, (?:\d+ warned, )?(\d+) skipped/.exec(formatConsoleReport(result, { color: false }));
    expect(summary).not.toBeNull();
    const [, total, , failed, skippedCount] = summary!.map(Number);
    expect(Number(suites.tests)).toBe(total);
    expect(cases.length).toBe(total);
    expect(Number(suites.failures)).toBe(failed);
    expect(failures).toBe(failed);
    expect(Number(suites.skipped)).toBe(skippedCount);
    expect(skipped).toBe(skippedCount);
    expect(failed).toBeGreaterThan(0);
  });

  it('names JUnit test cases by operationId, check and case, with the failure message and details', () => {
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(renderJunit(result)) as Node;
    const suite = asList((doc.testsuites as Node).testsuite as Node | Node[])[0];
    expect(suite.name).toBe('instagramLogin');
    const failing = asList(suite.testcase as Node | Node[]).find((c) => c.failure !== undefined)!;
    expect(failing.classname).toBe('instagramLogin');
    expect(failing.name).toMatch(/^response-schema-conformance · /);
    const failure = failing.failure as Node;
    expect(failure.message).toBeTruthy();
    expect(String(failure['#text'])).toContain('reproduce: curl');
  });

  it('groups failures with one cause and prints pointer, expected, actual, status, body excerpt and a curl line', () => {
    const text = formatConsoleReport(result, { color: false });
    const groups = text.match(/^\d+\) ✘ response-schema-conformance · instagramLogin · (\d+) cases/gm) ?? [];
    expect(groups).toHaveLength(1);
    expect(text).toContain('/id: Expected integer');
    expect(text).toContain('expected: integer');
    expect(text).toContain('actual:   "broken"');
    expect(text).toMatch(/response: 200 application\/json, \d+ bytes: \{/);
    expect(text).toMatch(/reproduce: curl --request POST 'http:\/\/127\.0\.0\.1:\d+\/api\/opendata\/instagram\/login.*' .*--header "x-session-token: \$IWKIT_TOKEN"/);
    expect(text).not.toMatch(/\u001b\[/);
  });

  it('uses colour only when asked', () => {
    expect(formatConsoleReport(result, { color: true })).toMatch(/\u001b\[31m/);
  });

  it('writes a JSON report with every case sent, every check result and timings', () => {
    const json = JSON.parse(renderJson(result)) as ContractResult & { failureGroups: unknown[] };
    expect(json.outcomes).toHaveLength(result.outcomes.length);
    expect(json.outcomes.every((o) => o.sent && typeof o.elapsedMs === 'number' && o.results.length > 0)).toBe(true);
    expect(json.outcomes[0].request).toMatchObject({ method: 'POST' });
    expect(json.failureGroups.length).toBeGreaterThan(0);
    expect(json.requestsSent).toBe(result.requestsSent);
  });

  it('never prints a secret in the console, JUnit or JSON output', () => {
    const outputs = [formatConsoleReport(result, { color: false }), renderJunit(result), renderJson(result), JSON.stringify(result)];
    for (const output of outputs) {
      expect(output).not.toContain(SERVER_TOKEN);
      expect(output).not.toContain('other-secret-value-778899');
    }
    expect(renderJson(result)).toContain('$IWKIT_TOKEN');
    expect(renderJson(result)).toContain('[redacted]');
  });
});
