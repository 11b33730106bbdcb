import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCases } from '../../src/contract/build-cases.js';
import { buildHttpRequest } from '../../src/contract/build-http-request.js';
import { curlCommand, redactRequest } from '../../src/contract/display-request.js';
import { createSchemaValidation } from '../../src/contract/schema-validation.js';
import type { Api } from '../../src/openapi/api-model.js';
import { loadApi } from '../../src/openapi/load-api.js';

describe('buildCases for the login', () => {
  let api: Api;
  beforeAll(async () => {
    api = await loadApi('schema/openapi.yaml');
  });
  const build = (seed: number) => buildCases(api, { cases: 3, seed, now: Date.UTC(2025, 4, 4) }, createSchemaValidation(api.references, false));

  it('builds the spec example, seeded generated requests, security cases and negatives', async () => {
    const { cases } = await build(1);
    const kinds = cases[0].map((c) => c.kind);
    expect(kinds.filter((k) => k === 'example')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'generated')).toHaveLength(3);
    expect(cases[0].filter((c) => c.kind === 'security').map((c) => c.auth)).toEqual(['none', 'invalid']);
    const mutations = cases[0].filter((c) => c.kind === 'negative').map((c) => `${c.mutation!.kind} ${c.mutation!.pointer}`);
    expect(mutations).toEqual(
      expect.arrayContaining(['wrong-type /data/code', 'null-not-allowed /data/code', 'wrong-type /data/type', 'null-not-allowed /data', 'wrong-content-type ', 'malformed-json ', 'missing-body ']),
    );
    // type and client_id may be null, so nulling them is not a negative case.
    expect(mutations).not.toContain('null-not-allowed /data/type');
  });

  it('sends only schema-valid bodies as positive cases and only invalid ones as negatives', async () => {
    const { cases } = await build(2);
    const schema = api.operations[0].requestBody!.content[0].schema;
    const validation = createSchemaValidation(api.references, false);
    for (const c of cases[0]) {
      const body = c.request.body;
      if (c.expectation === 'accept') expect(body && 'value' in body && validation.isValid(schema, body.value), c.name).toBe(true);
      if (c.kind === 'negative' && body && 'value' in body) expect(validation.isValid(schema, body.value), c.name).toBe(false);
    }
  });

  it('sends the requests of <fixtures>/<operationId>/requests/*.json as positive cases, beside the mock\'s response fixtures', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iwkit-fixtures-'));
    try {
      await mkdir(join(dir, 'instagramLogin', 'requests'), { recursive: true });
      await writeFile(join(dir, 'instagramLogin', 'default.json'), JSON.stringify({ status: 200, body: {} }));
      await writeFile(join(dir, 'instagramLogin', 'requests', 'known-code.json'), JSON.stringify({ query: { 'iw-build-id': '1.4.2' }, body: { data: { code: 'AQB-known' } } }));
      const { cases } = await buildCases(api, { cases: 0, seed: 1, now: 0, fixturesDir: dir }, createSchemaValidation(api.references, false));
      const fixture = cases[0].find((c) => c.kind === 'fixture')!;
      expect(fixture).toMatchObject({ name: 'fixture "known-code"', expectation: 'accept', request: { query: { 'iw-build-id': '1.4.2' }, body: { value: { data: { code: 'AQB-known' } } } } });
      expect(cases[0].filter((c) => c.kind === 'fixture')).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('builds the same cases from the same seed and different ones from another', async () => {
    const bodies = async (seed: number) => (await build(seed)).cases[0].filter((c) => c.kind === 'generated').map((c) => JSON.stringify(c.request));
    expect(await bodies(5)).toEqual(await bodies(5));
    expect(await bodies(5)).not.toEqual(await bodies(6));
  });
});

describe('request display', () => {
  it('shows the credential as $IWKIT_TOKEN in a curl line that quotes the body safely', async () => {
    const api = await loadApi('schema/openapi.yaml');
    const op = api.operations[0];
    const built = buildHttpRequest(
      { id: 'x', operation: op, kind: 'example', name: 'x', expectation: 'accept', auth: 'valid', request: { path: {}, query: { 'iw-build-id': "it's 1.2" }, headers: {}, cookies: {}, body: { contentType: 'application/json', value: { data: { code: "o'brien" } } } } },
      { baseUrl: 'https://erp.example/', token: 's3cr3t-token-value', headers: {} },
    );
    expect(built.request.headers['x-session-token']).toBe('s3cr3t-token-value');
    expect(built.request.url).toBe("https://erp.example/api/opendata/instagram/login?iw-build-id=it's%201.2");
    const { display, marked } = redactRequest(built, 's3cr3t-token-value', []);
    expect(display.headers['x-session-token']).toBe('$IWKIT_TOKEN');
    const curl = curlCommand(marked);
    expect(curl).not.toContain('s3cr3t');
    expect(curl).toContain(`--header "x-session-token: $IWKIT_TOKEN"`);
    expect(curl).toContain(`--data-raw '{"data":{"code":"o'\\''brien"}}'`);
  });
});
