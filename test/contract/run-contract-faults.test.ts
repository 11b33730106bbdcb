import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src/openapi/api-model.js';
import { loadApi } from '../../src/openapi/load-api.js';
import type { ContractResult } from '../../src/contract/contract-result.js';
import type { ContractOptions } from '../../src/contract/run-contract.js';
import { runContract } from '../../src/contract/run-contract.js';
import { type Fault, SERVER_TOKEN, startLoginServer } from './login-test-server.js';

const closers: (() => Promise<void>)[] = [];
let api: Api;
beforeAll(async () => {
  api = await loadApi('schema/openapi.yaml');
});
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function runAgainst(fault: Fault, options: Partial<ContractOptions> = {}): Promise<ContractResult> {
  const server = await startLoginServer(fault);
  closers.push(server.close);
  return runContract({ spec: api, baseUrl: server.baseUrl, token: SERVER_TOKEN, seed: 1, cases: 2, ratePerSecond: 1000, concurrency: 4, timeoutMs: 2000, ...options });
}

function failedChecks(result: ContractResult): Set<string> {
  return new Set(result.outcomes.flatMap((o) => o.results.filter((r) => r.status === 'failed' && r.severity === 'error').map((r) => r.check)));
}

function problemsOf(result: ContractResult, check: string) {
  return result.outcomes.flatMap((o) => o.results.filter((r) => r.check === check && r.status === 'failed').flatMap((r) => r.problems));
}

describe('runContract against misbehaving servers', () => {
  it('passes a conforming server with zero failures and zero warnings', async () => {
    const result = await runAgainst('none');
    expect(result.ok).toBe(true);
    expect(result.totals.failed).toBe(0);
    expect(result.totals.warnings).toBe(0);
    expect(result.requestsSent).toBe(result.outcomes.length);
  });

  it('catches a property of the wrong type with response-schema-conformance at its pointer', async () => {
    const result = await runAgainst('wrong-type');
    expect(result.ok).toBe(false);
    expect(problemsOf(result, 'response-schema-conformance')[0]).toMatchObject({ pointer: '/id', actual: '"42"' });
  });

  it('catches a malformed date-time with response-schema-conformance', async () => {
    const result = await runAgainst('bad-date-time');
    const problem = problemsOf(result, 'response-schema-conformance')[0];
    expect(problem).toMatchObject({ pointer: '/start', expected: 'string (date-time)', actual: '"yesterday at noon"' });
  });

  it('catches a null object with response-schema-conformance', async () => {
    const result = await runAgainst('null-object');
    expect(problemsOf(result, 'response-schema-conformance').map((p) => p.pointer)).toContain('/selectedcustomer');
  });

  it('catches an undocumented content type with content-type-conformance', async () => {
    const result = await runAgainst('wrong-content-type');
    expect(failedChecks(result)).toEqual(new Set(['content-type-conformance']));
    expect(problemsOf(result, 'content-type-conformance')[0]).toMatchObject({ expected: 'application/json', actual: 'text/html' });
  });

  it('catches a 500 with not-a-server-error', async () => {
    const result = await runAgainst('server-error');
    expect(failedChecks(result)).toContain('not-a-server-error');
    expect(problemsOf(result, 'not-a-server-error')[0]).toMatchObject({ actual: '500' });
  });

  it('catches a server that accepts invalid input with negative-data-rejection', async () => {
    const result = await runAgainst('accepts-invalid');
    expect(failedChecks(result)).toEqual(new Set(['negative-data-rejection']));
    const broken = result.outcomes.filter((o) => o.results.some((r) => r.check === 'negative-data-rejection' && r.status === 'failed')).map((o) => o.mutation?.kind);
    expect(broken).toEqual(expect.arrayContaining(['wrong-type', 'null-not-allowed', 'wrong-content-type', 'malformed-json', 'missing-body']));
  });

  it('catches a server that ignores auth with ignored-auth, for both a missing and an invalid credential', async () => {
    const result = await runAgainst('ignores-auth');
    expect(failedChecks(result)).toEqual(new Set(['ignored-auth']));
    const cases = result.outcomes.filter((o) => o.results.some((r) => r.check === 'ignored-auth' && r.status === 'failed')).map((o) => o.name);
    expect(cases.sort()).toEqual(['invalid credential', 'no credential']);
  });

  it('catches a slow server with max-response-time', async () => {
    const result = await runAgainst('slow', { maxResponseTimeMs: 150, checks: ['max-response-time', 'response-schema-conformance'] });
    expect(failedChecks(result)).toEqual(new Set(['max-response-time']));
  });

  it('catches garbage JSON with response-schema-conformance', async () => {
    const result = await runAgainst('garbage-json');
    expect(failedChecks(result)).toEqual(new Set(['response-schema-conformance']));
    expect(problemsOf(result, 'response-schema-conformance')[0].message).toMatch(/not valid JSON/);
  });

  it('catches a reset connection with response-received and stops sending after five in a row', async () => {
    const result = await runAgainst('reset', { concurrency: 1 });
    expect(failedChecks(result)).toEqual(new Set(['response-received']));
    expect(result.outcomes.find((o) => o.transportError)?.transportError?.kind).toBe('reset');
    expect(result.requestsSent).toBe(5);
    expect(result.stoppedEarly).toMatch(/stopped answering/);
    expect(result.ok).toBe(false);
  });

  it('turns a server that never answers into timeouts, not a hang', async () => {
    const result = await runAgainst('never-answers', { timeoutMs: 200, concurrency: 5 });
    expect(failedChecks(result)).toEqual(new Set(['response-received']));
    expect(result.outcomes.filter((o) => o.transportError?.kind === 'timeout').length).toBeGreaterThanOrEqual(5);
    expect(result.casesNotSent).toBeGreaterThan(0);
  });

  it('passes a missing property without --strict and fails it with --strict', async () => {
    expect((await runAgainst('missing-property')).ok).toBe(true);
    const strict = await runAgainst('missing-property', { strict: true });
    expect(failedChecks(strict)).toEqual(new Set(['response-schema-conformance']));
    expect(problemsOf(strict, 'response-schema-conformance')[0]).toMatchObject({ pointer: '/ip', actual: 'missing' });
  });

  it('reports an undocumented property only under --strict', async () => {
    expect((await runAgainst('extra-property')).ok).toBe(true);
    const strict = await runAgainst('extra-property', { strict: true });
    expect(problemsOf(strict, 'response-schema-conformance')[0]).toMatchObject({ pointer: '/internal_debug', message: expect.stringMatching(/not documented/) });
  });

  it('caps the body read and reports a body over the cap', async () => {
    const result = await runAgainst('huge-body', { maxBodyBytes: 4096 });
    expect(failedChecks(result)).toEqual(new Set(['response-schema-conformance']));
    expect(problemsOf(result, 'response-schema-conformance')[0].message).toMatch(/read cap/);
  });

  it('stops at --max-requests and says how many cases were not sent', async () => {
    const server = await startLoginServer('none');
    closers.push(server.close);
    const result = await runContract({ spec: 'schema/openapi.yaml', baseUrl: server.baseUrl, token: SERVER_TOKEN, seed: 1, cases: 2, ratePerSecond: 1000, maxRequests: 4 });
    expect(result.requestsSent).toBe(4);
    expect(server.requests()).toBe(4);
    expect(result.casesNotSent).toBe(result.casesPlanned - 4);
    expect(result.outcomes.find((o) => !o.sent)?.notSentReason).toMatch(/--max-requests 4/);
  });

  it('throws IWKIT_ERR_TARGET_UNREACHABLE when nothing listens at the start', async () => {
    const server = await startLoginServer('none');
    await server.close();
    await expect(runContract({ spec: 'schema/openapi.yaml', baseUrl: server.baseUrl, token: SERVER_TOKEN })).rejects.toMatchObject({ code: 'IWKIT_ERR_TARGET_UNREACHABLE' });
  });

  it('rejects an unknown check name with IWKIT_ERR_OPTION_INVALID', async () => {
    await expect(runContract({ spec: 'schema/openapi.yaml', baseUrl: 'http://127.0.0.1:1', checks: ['no-such-check'] })).rejects.toMatchObject({ code: 'IWKIT_ERR_OPTION_INVALID' });
  });
});
