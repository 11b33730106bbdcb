import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runContract } from '../../src/contract/run-contract.js';
import { createProxyServer } from '../../src/proxy/create-proxy-server.js';
import { secretEncodings } from '../../src/proxy/secret-stand-ins.js';
import { createMockServer } from '../../src/server/create-mock-server.js';
import { independentAjv } from '../openapi/independent-ajv.js';
import { json, loginPath, session, startUpstream, type TestUpstream } from './upstreams.js';

// Every secret the client sends and the upstream answers; none may reach the recording in any encoding.
const requestToken = 'reqtok-4f1e9d8c7b6a5f4e3d2c1b0a9f8e7d6c';
const cookieSecret = 'cookie-sec-0a1b2c3d4e5f6a7b8c9d';
const querySecret = 'qsecret-9e8d7c6b5a4f3e2d1c0b';
const bodyPassword = 'pw-secret-Zx9!Qw8@Er7#Ty6$';
const sessionSecret = 'sess-7d1f0c2a9be34a56b1e0f7c3d2a1b9e8';
const setCookieSecret = 'setck-5b4a3c2d1e0f9a8b7c6d';
const basicPair = 'alice:basic-pass-3e4r5t6y7u';
const secrets = [requestToken, cookieSecret, querySecret, bodyPassword, sessionSecret, setCookieSecret, basicPair, 'basic-pass-3e4r5t6y7u'];

const requests = [
  { code: 'alpha', body: { data: { code: 'alpha', type: 'web', client_id: 'c1', password: bodyPassword } } },
  { code: 'twofa', body: { data: { code: 'twofa', type: 'web', client_id: 'c1' } } },
];

function upstreamAnswer(req: { body: string; headers: Record<string, unknown> }, res: import('node:http').ServerResponse): void {
  const code = (JSON.parse(req.body) as { data: { code: string } }).data.code;
  if (code === 'alpha') {
    // Echoes the client's token in a field not named secret: it must still be replaced, by the same stand-in.
    return json(res, 200, session({ selectedcustomer: { id: 7, slackchannel: '#acme', displayname: `owner ${requestToken}`, deleted: false, created: '2025-01-02T10:00:00Z', updated: '2025-03-04T11:30:00Z' } }), { 'set-cookie': `sid=${setCookieSecret}; HttpOnly` });
  }
  if (code === 'twofa') return json(res, 200, { sessionid: requestToken, valid: true, missing2fa: true });
  return json(res, 418, { nope: true });
}

const headers = {
  'content-type': 'application/json',
  'x-session-token': requestToken,
  cookie: `sid=${cookieSecret}; theme=dark`,
  authorization: `Basic ${Buffer.from(basicPair).toString('base64')}`,
};

describe('recording through the proxy', () => {
  let dir: string;
  let up: TestUpstream;
  const upstreamBodies = new Map<string, unknown>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'iwkit-record-'));
    up = await startUpstream((req, res) => upstreamAnswer(req, res));
    const outcomes: unknown[] = [];
    const app = await createProxyServer({ upstream: up.url, record: dir, onRecord: (o) => outcomes.push(o) });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    for (const r of requests) {
      const res = await fetch(`${url}${loginPath}?api_key=${querySecret}`, { method: 'POST', headers, body: JSON.stringify(r.body) });
      expect(res.status).toBe(200);
      upstreamBodies.set(r.code, await res.json());
    }
    // An answer that breaks the contract is reported, never recorded.
    const bad = await fetch(`${url}${loginPath}`, { method: 'POST', headers, body: JSON.stringify({ data: { code: 'teapot' } }) });
    expect(bad.headers.get('iwkit-violations')).toContain('status');
    // A second answer of the same shape is kept once.
    await fetch(`${url}${loginPath}`, { method: 'POST', headers, body: JSON.stringify(requests[1].body) });
    while (outcomes.length < 3) await new Promise((r) => setTimeout(r, 20));
    await app.close();
    await up.close();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one fixture per distinct answer, named by status and the request field that told it apart, and a rules file selecting each', async () => {
    expect((await readdir(join(dir, 'instagramLogin'))).sort()).toEqual(['200-alpha.json', '200-twofa.json']);
    const rules = load(await readFile(join(dir, 'scenarios.yaml'), 'utf8')) as { rules: { match: unknown; respond: unknown }[] };
    expect(rules.rules.map((r) => [r.match, r.respond])).toEqual([
      [{ body: { '/data/code': 'alpha' } }, { fixture: '200-alpha' }],
      [{ body: { '/data/code': 'twofa' } }, { fixture: '200-twofa' }],
    ]);
  });

  it('writes no byte of any secret sent or received, raw, JSON-escaped, base64 or URL-encoded', async () => {
    const files = [join(dir, 'scenarios.yaml'), ...(await readdir(join(dir, 'instagramLogin'))).map((f) => join(dir, 'instagramLogin', f))];
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      for (const secret of secrets) for (const form of secretEncodings(secret)) expect(text, `${secret} in ${file}`).not.toContain(form);
    }
  });

  it('replaces each secret by a schema-valid stand-in, the same one wherever the secret appeared', async () => {
    const alpha = JSON.parse(await readFile(join(dir, 'instagramLogin', '200-alpha.json'), 'utf8'));
    const twofa = JSON.parse(await readFile(join(dir, 'instagramLogin', '200-twofa.json'), 'utf8'));
    expect(typeof alpha.body.sessionid).toBe('string');
    expect(alpha.body.sessionid).not.toBe(sessionSecret);
    const echoed = alpha.body.selectedcustomer.displayname.replace('owner ', '');
    expect(twofa.body.sessionid).toBe(echoed);
    const { id: _i, sessionid: _s, selectedcustomer: _c, ...rest } = alpha.body;
    const { id: _i2, sessionid: _s2, selectedcustomer: _c2, ...original } = session();
    expect(rest).toEqual(original);
    const document = load(await readFile('schema/openapi.yaml', 'utf8')) as { components: unknown };
    const validate = independentAjv().compile({ components: document.components, $ref: '#/components/schemas/Session' });
    expect(validate(alpha.body), JSON.stringify(validate.errors)).toBe(true);
  });

  it('replays the recording from the mock: the same requests get the recorded bodies, and the contract runner passes against it', async () => {
    const mock = await createMockServer({ fixturesDir: dir, seed: 3, tokens: ['any-token'] });
    try {
      for (const r of requests) {
        const res = await mock.inject({ method: 'POST', url: loginPath, headers: { 'content-type': 'application/json', 'x-session-token': 'any-token' }, payload: r.body });
        expect(res.statusCode).toBe(200);
        const recorded = JSON.parse(await readFile(join(dir, 'instagramLogin', `200-${r.code}.json`), 'utf8')).body;
        const answered = res.json() as Record<string, unknown>;
        for (const [k, v] of Object.entries(recorded as Record<string, unknown>)) expect(answered[k]).toEqual(v);
        if (r.code === 'alpha') expect(answered).toEqual(recorded);
      }
      await mock.listen({ port: 0, host: '127.0.0.1' });
      const baseUrl = `http://127.0.0.1:${(mock.server.address() as AddressInfo).port}`;
      const result = await runContract({ spec: 'schema/openapi.yaml', baseUrl, token: 'any-token', seed: 5, cases: 2, ratePerSecond: 1000, concurrency: 2, timeoutMs: 3000 });
      expect(result.outcomes.flatMap((o) => o.results.filter((x) => x.status === 'failed' && x.severity === 'error'))).toEqual([]);
      expect(result.ok).toBe(true);
    } finally {
      await mock.close();
    }
  });
});
