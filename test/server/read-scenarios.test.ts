import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src/openapi/api-model.js';
import { loadApi } from '../../src/openapi/load-api.js';
import { createMockServer } from '../../src/server/create-mock-server.js';
import { readScenarioFile } from '../../src/server/read-scenarios.js';

let api: Api;
let dir: string;
beforeAll(async () => {
  api = await loadApi('schema/openapi.yaml');
  dir = await mkdtemp(join(tmpdir(), 'iwkit-scenarios-'));
});

async function file(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

const start = (scenarios: string) => createMockServer({ spec: api, fixturesDir: 'fixtures', scenarios });

describe('scenario files', () => {
  it('names file, line and column of an unknown operationId in YAML', async () => {
    const path = await file('bad-op.yaml', 'rules:\n  - name: a\n    operationId: instagramLogout\n    respond:\n      status: 401\n');
    await expect(start(path)).rejects.toMatchObject({
      code: 'IWKIT_ERR_SCENARIO_INVALID',
      message: expect.stringMatching(/bad-op\.yaml:3:18 \(rules\[0\]\.operationId\): unknown operationId "instagramLogout" \(known: instagramLogin\)/),
    });
  });

  it('names the line of an unknown fixture, a body field the request schema lacks and a bad regex', async () => {
    const fixture = await file('bad-fixture.yaml', 'rules:\n  - operationId: instagramLogin\n    respond: { fixture: missing-3fa }\n');
    await expect(start(fixture)).rejects.toMatchObject({ message: expect.stringMatching(/bad-fixture\.yaml:3:25 .*no fixture or example "missing-3fa"/) });
    const field = await file('bad-field.yaml', 'rules:\n  - operationId: instagramLogin\n    match:\n      body:\n        /data/cdoe: x\n    respond: { status: 401 }\n');
    await expect(start(field)).rejects.toMatchObject({ message: expect.stringMatching(/bad-field\.yaml:5:21 .*has no field \/data\/cdoe/) });
    const regex = await file('bad-regex.yaml', 'rules:\n  - operationId: instagramLogin\n    match:\n      headers:\n        x-case: { regex: "([" }\n    respond: { status: 401 }\n');
    await expect(start(regex)).rejects.toMatchObject({ message: expect.stringMatching(/bad-regex\.yaml:5:17 .*bad regex/) });
  });

  it('explains a malformed matcher, an unknown key and a YAML syntax error with their positions', async () => {
    const matcher = await file('bad-matcher.yaml', 'rules:\n  - operationId: instagramLogin\n    match:\n      body:\n        /data/code: { like: x }\n    respond: { status: 401 }\n');
    await expect(start(matcher)).rejects.toMatchObject({ message: expect.stringMatching(/bad-matcher\.yaml:5:21 .*a matcher is a value to equal/) });
    const key = await file('bad-key.yaml', 'rules:\n  - operationId: instagramLogin\n    respnd: { status: 401 }\n');
    await expect(start(key)).rejects.toMatchObject({ code: 'IWKIT_ERR_SCENARIO_INVALID', message: expect.stringMatching(/bad-key\.yaml:\d+:\d+/) });
    const syntax = await file('bad-syntax.yaml', 'rules:\n  - operationId: [unclosed\n');
    await expect(start(syntax)).rejects.toMatchObject({ code: 'IWKIT_ERR_SCENARIO_INVALID', message: expect.stringMatching(/bad-syntax\.yaml:\d+:\d+/) });
  });

  it('refuses a fixture whose status differs from the rule status, and a delay range that runs backwards', async () => {
    const status = await file('bad-status.yaml', 'rules:\n  - operationId: instagramLogin\n    respond: { fixture: vpn, status: 401 }\n');
    await expect(start(status)).rejects.toMatchObject({ message: expect.stringContaining('fixture "vpn" answers 200, not 401') });
    const delay = await file('bad-delay.json', JSON.stringify({ rules: [{ operationId: 'instagramLogin', respond: { delay: [800, 200] } }] }, null, 2));
    await expect(start(delay)).rejects.toMatchObject({ message: expect.stringMatching(/bad-delay\.json:\d+:\d+ .*low to high/) });
  });

  it('reads JSON rules as a bare list and a JS module exporting rules, naming module positions by path', async () => {
    const json = await file('list.json', JSON.stringify([{ name: 'j', operationId: 'instagramLogin', respond: { status: 503 } }]));
    expect((await readScenarioFile(json)).data).toEqual([{ name: 'j', operationId: 'instagramLogin', respond: { status: 503 } }]);
    const module = await file('rules.mjs', 'export default { rules: [{ name: "m", operationId: "instagramLogin", respond: { delay: "soon" } }] };\n');
    await expect(start(module)).rejects.toMatchObject({ message: expect.stringMatching(/rules\.mjs \(rules\[0\]\.respond\.delay\): a delay is milliseconds/) });
    const good = await file('good.mjs', 'export const rules = [{ name: "m", operationId: "instagramLogin", match: { body: { "/data/code": "m" } }, respond: { status: 503 } }];\n');
    const app = await start(good);
    const res = await app.inject({ method: 'POST', url: '/api/opendata/instagram/login', headers: { 'x-session-token': 't' }, payload: { data: { code: 'm' } } });
    expect(res.statusCode).toBe(503);
    await app.close();
  });

  it('refuses a missing file and an unknown extension with a coded error', async () => {
    await expect(start(join(dir, 'missing.yaml'))).rejects.toMatchObject({ code: 'IWKIT_ERR_SCENARIO_INVALID', message: expect.stringContaining('cannot read') });
    await expect(start(await file('rules.txt', 'x'))).rejects.toMatchObject({ code: 'IWKIT_ERR_SCENARIO_INVALID' });
  });
});
