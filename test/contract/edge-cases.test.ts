import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerContractCommand } from '../../src/cli/contract-command.js';
import { runContractCli as cli } from '../cli/run-contract-cli.js';
import { buildCases } from '../../src/contract/build-cases.js';
import type { ContractResult } from '../../src/contract/contract-result.js';
import type { ContractCase } from '../../src/contract/contract-types.js';
import { createInjectTransport } from '../../src/contract/inject-transport.js';
import { runContract } from '../../src/contract/run-contract.js';
import { createSchemaValidation } from '../../src/contract/schema-validation.js';
import { isToolkitError } from '../../src/errors.js';
import type { EdgeProfile } from '../../src/fake/edge-profiles.js';
import type { Api } from '../../src/openapi/api-model.js';
import { loadApi } from '../../src/openapi/load-api.js';
import { createMockServer } from '../../src/server/create-mock-server.js';

const TOKEN = 'mock-token-0123456789abcdef';
const NOW = Date.UTC(2025, 4, 4, 9, 42, 0);
const ALL: EdgeProfile[] = ['min', 'max', 'unicode', 'dates', 'nulls', 'random'];

function failuresOf(result: ContractResult): string[] {
  return result.outcomes.flatMap((o) => o.results.filter((r) => r.status === 'failed').map((r) => `${r.check} · ${o.operationId} · ${o.name}: ${JSON.stringify(r.problems)}`));
}

function loginData(c: ContractCase): Record<string, unknown> | undefined {
  const body = c.request.body;
  return body && 'value' in body ? ((body.value as { data?: Record<string, unknown> }).data ?? undefined) : undefined;
}

describe('edge cases in the contract runner', () => {
  let api: Api;
  beforeAll(async () => {
    api = await loadApi('schema/openapi.yaml');
  });

  it('builds one valid boundary request per profile: a 10,000-character code, a null client_id, unicode in type, an empty body', async () => {
    const schemas = createSchemaValidation(api.references, false);
    const { cases, warnings } = await buildCases(api, { cases: 0, seed: 4, now: NOW, edge: ALL, kinds: ['edge'] }, schemas);
    expect(warnings).toEqual([]);
    const edge = cases.flat();
    expect(edge.map((c) => c.profile)).toEqual(ALL);
    expect(edge.every((c) => c.kind === 'edge' && c.expectation === 'accept' && c.auth === 'valid')).toBe(true);
    const media = api.operations[0].requestBody!.content[0];
    for (const c of edge) expect(schemas.isValid(media.schema, (c.request.body as { value: unknown }).value)).toBe(true);
    const by = Object.fromEntries(edge.map((c) => [c.profile, c]));
    expect((loginData(by.max)!.code as string).length).toBe(10_000);
    expect(loginData(by.nulls)).toMatchObject({ type: null, client_id: null });
    expect(loginData(by.unicode)!.type).toMatch(/[^\x00-\x7f]/);
    expect((by.min.request.body as { value: unknown }).value).toEqual({});
    expect(by.min.request.query).toEqual({});
    // Query parameters travel in the URL: their edge values stay short enough for it.
    expect(Object.keys(by.max.request.query).sort()).toEqual(['iw-build-id', 'iw-package-id']);
    for (const value of Object.values(by.max.request.query)) expect((value as string).length).toBe(512);
  });

  it('builds no edge case unless profiles are asked for, and the same cases for the same seed', async () => {
    const schemas = createSchemaValidation(api.references, false);
    const plain = await buildCases(api, { cases: 1, seed: 4, now: NOW }, schemas);
    expect(plain.cases.flat().some((c) => c.kind === 'edge')).toBe(false);
    const a = await buildCases(api, { cases: 0, seed: 4, now: NOW, edge: ['random', 'unicode'], kinds: ['edge'] }, schemas);
    const b = await buildCases(api, { cases: 0, seed: 4, now: NOW, edge: ['random', 'unicode'], kinds: ['edge'] }, schemas);
    expect(JSON.stringify(a.cases.flat().map((c) => c.request))).toBe(JSON.stringify(b.cases.flat().map((c) => c.request)));
  });

  it('rejects an unknown profile with IWKIT_ERR_OPTION_INVALID before sending anything', async () => {
    const error = await runContract({ spec: api, baseUrl: 'http://mock.invalid', transport: async () => { throw new Error('nothing may be sent'); }, edge: ['max', 'huge' as EdgeProfile] }).catch((e: unknown) => e);
    expect(isToolkitError(error)).toBe(true);
    expect((error as { code: string; message: string }).code).toBe('IWKIT_ERR_OPTION_INVALID');
    expect((error as { message: string }).message).toContain('huge');
  });
});

describe('edge cases against the project\'s own mock', () => {
  let app: Awaited<ReturnType<typeof createMockServer>>;
  beforeAll(async () => {
    app = await createMockServer({ seed: 7, tokens: [TOKEN] });
  });
  afterAll(async () => {
    await app.close();
  });

  it('sends every profile as a positive case and finds zero failures', async () => {
    const result = await runContract({
      spec: app.iwkitApi,
      baseUrl: 'http://mock.invalid',
      transport: createInjectTransport(app),
      token: TOKEN,
      seed: 21,
      cases: 1,
      edge: ALL,
      ratePerSecond: 10_000,
      concurrency: 4,
    });
    expect(failuresOf(result)).toEqual([]);
    expect(result.ok).toBe(true);
    const edge = result.outcomes.filter((o) => o.kind === 'edge');
    expect(edge.map((o) => o.profile).sort()).toEqual([...ALL].sort());
    for (const o of edge) {
      expect(o.sent).toBe(true);
      expect(o.response?.status).toBe(200);
      const verdicts = Object.fromEntries(o.results.map((r) => [r.check, r.status]));
      expect(verdicts).toMatchObject({ 'positive-data-acceptance': 'passed', 'not-a-server-error': 'passed', 'response-schema-conformance': 'passed' });
    }
    const max = edge.find((o) => o.profile === 'max')!;
    expect(max.request.bodyExcerpt).toMatch(/"code":"[A-Z0-9]{100}/);
    expect(result.operations[0].checks['positive-data-acceptance'].passed).toBeGreaterThanOrEqual(ALL.length);
  });

  it('sends a 10,000-character code and a null client_id the mock accepts', async () => {
    const schemas = createSchemaValidation(app.iwkitApi.references, false);
    const { cases } = await buildCases(app.iwkitApi, { cases: 0, seed: 3, now: NOW, edge: ['max', 'nulls'], kinds: ['edge'] }, schemas);
    for (const c of cases.flat()) {
      const res = await app.inject({ method: 'POST', url: '/api/opendata/instagram/login', headers: { 'x-session-token': TOKEN, 'content-type': 'application/json' }, payload: JSON.stringify((c.request.body as { value: unknown }).value) });
      expect(res.statusCode, c.name).toBe(200);
    }
    expect(cases.flat().map((c) => loginData(c))).toEqual([
      expect.objectContaining({ code: expect.stringMatching(/^.{10000}$/) }),
      expect.objectContaining({ client_id: null }),
    ]);
  });

  it('counts edge cases against --max-requests like every other case', async () => {
    const result = await runContract({ spec: app.iwkitApi, baseUrl: 'http://mock.invalid', transport: createInjectTransport(app), token: TOKEN, seed: 5, cases: 0, edge: ALL, maxRequests: 3, ratePerSecond: 10_000 });
    expect(result.requestsSent).toBe(3);
    const edge = result.outcomes.filter((o) => o.kind === 'edge');
    expect(edge.length).toBe(ALL.length);
    expect(edge.filter((o) => !o.sent).every((o) => /request budget reached/.test(o.notSentReason ?? ''))).toBe(true);
    expect(edge.some((o) => !o.sent)).toBe(true);
  });
});

describe('iwkit contract --edge', () => {
  it('exits 2 with IWKIT_ERR_OPTION_INVALID for an unknown profile, naming it and the known ones', async () => {
    const run = await cli(['--base-url', 'http://127.0.0.1:9', '--edge', 'min,biggest']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('IWKIT_ERR_OPTION_INVALID');
    expect(run.stderr).toContain('biggest');
    expect(run.stderr).toContain('min, max, unicode, dates, nulls, random');
  });

  it('lists the profiles in its help', () => {
    const program = new Command('iwkit');
    registerContractCommand(program, { stdout: { write: () => true }, stderr: { write: () => true }, env: {} });
    // Commander wraps help lines; whitespace is collapsed before matching.
    const help = program.commands.find((c) => c.name() === 'contract')!.helpInformation().replace(/\s+/g, ' ');
    expect(help).toMatch(/--edge <profiles> also send valid boundary requests .*\(min, max, unicode, dates, nulls, random\)/);
  });
});
