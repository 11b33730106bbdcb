import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scrubSecrets, secretForms } from '../../src/redact.js';
import { runContractCli } from '../cli/run-contract-cli.js';

// A server may echo a credential back in any encoding: raw, inside JSON (where `"` and `\` are
// escaped), percent-encoded in a URL or a form, base64 in a Basic header. None of them, of a token
// of any length, may reach the console, the JUnit or the JSON report, or a curl line.

function encodings(secret: string): Record<string, string> {
  return {
    raw: secret,
    json: JSON.stringify(secret).slice(1, -1),
    'json with escaped slashes': JSON.stringify(secret).slice(1, -1).replace(/\//g, '\\/'),
    'encodeURIComponent': encodeURIComponent(secret),
    'form (+ for spaces)': new URLSearchParams([['', secret]]).toString().slice(1),
    'lower-case percent escapes': encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
    base64: Buffer.from(secret).toString('base64'),
  };
}

describe('scrubSecrets', () => {
  const token = 'to"k\\en/with spaces&+=é';
  for (const [name, form] of Object.entries(encodings(token))) {
    it(`hides the ${name} form of a token`, () => {
      const text = `before ${form} after`;
      expect(scrubSecrets(text, [token])).toBe('before [redacted] after');
    });
  }

  it('hides a Basic credential given as user:password, its base64 and the password alone', () => {
    const basic = 'alice:s3cr"et';
    const encoded = Buffer.from(basic).toString('base64');
    const secrets = [`Basic ${encoded}`];
    expect(scrubSecrets(`auth ${encoded} / ${basic} / pw=s3cr"et / ${JSON.stringify(basic)}`, secrets)).not.toMatch(/s3cr|YWxpY2/);
  });

  it('hides a token of one to three characters where it stands alone, and leaves it inside longer words', () => {
    expect(scrubSecrets('{"echo":"q"} Bearer q', ['q'])).toBe('{"echo":"[redacted]"} Bearer [redacted]');
    expect(scrubSecrets('token=ab&x=1; "ab"', ['ab'])).toBe('token=[redacted]&x=1; "[redacted]"');
    expect(scrubSecrets('{"v":"a\\"b"}', ['a"b'])).toBe('{"v":"[redacted]"}');
    expect(scrubSecrets('tab cabin abacus', ['ab'])).toBe('tab cabin abacus');
  });

  it('hides the start of a secret that an excerpt cut off', () => {
    expect(scrubSecrets('{"echo":"long-secret-va…', ['long-secret-value-123'])).toBe('{"echo":"[redacted]…');
  });

  it('lists each form once, raw first', () => {
    const forms = secretForms('a b');
    expect(forms[0]).toBe('a b');
    expect(new Set(forms).size).toBe(forms.length);
    expect(forms).toEqual(expect.arrayContaining(['a%20b', 'a+b', Buffer.from('a b').toString('base64')]));
  });
});

/** A target that echoes the request's credential header back in every encoding, in the body and in headers. */
function echoTarget(header: string): (headers: IncomingHttpHeaders) => { body: string; headers: Record<string, string> } {
  return (headers) => {
    const value = String(headers[header] ?? '');
    const bare = value.replace(/^Basic\s+/i, '');
    const decoded = /^Basic /i.test(value) ? Buffer.from(bare, 'base64').toString('utf8') : value;
    const echo = Object.fromEntries(Object.entries({ ...encodings(value), ...encodings(decoded) }).map(([k, v], i) => [`e${i}_${k.replace(/\W/g, '')}`, v]));
    // Headers reach the JSON report whole, where the body excerpt is cut: each form gets one.
    return {
      body: JSON.stringify({ id: 'not-a-number', echo, text: `you sent ${value} (${encodeURIComponent(value)})` }),
      headers: Object.fromEntries(Object.values(echo).map((v, i) => [`x-echo-${i}`, v])),
    };
  };
}

let dir: string;
const servers: Server[] = [];

async function listen(answer: ReturnType<typeof echoTarget>): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    const { body, headers } = answer(req.headers);
    res.writeHead(200, { 'content-type': 'application/json', ...headers });
    res.end(body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iwkit-secrets-'));
});
afterAll(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await rm(dir, { recursive: true, force: true });
});

async function runEchoed(args: string[], env: NodeJS.ProcessEnv, header: string, name: string): Promise<string[]> {
  const baseUrl = await listen(echoTarget(header));
  const junit = join(dir, `${name}.xml`);
  const json = join(dir, `${name}.json`);
  const run = await runContractCli(['--base-url', baseUrl, '--cases', '2', '--max-requests', '6', '--rate', '1000/s', '--seed', '5', '--junit', junit, '--json', json, ...args], { CI: '1', ...env });
  expect(run.code).toBe(1);
  const report = await readFile(json, 'utf8');
  const curls = (JSON.parse(report) as { outcomes: { curl: string }[] }).outcomes.map((o) => o.curl).join('\n');
  // The echo did reach the reports, scrubbed: every echoed header is there, hidden.
  expect(report).toContain('"x-echo-0": "[redacted]"');
  return [run.stdout + run.stderr, await readFile(junit, 'utf8'), report, curls];
}

describe('the contract runner against a target that echoes the credential', () => {
  it('keeps every encoding of a token holding " and \\ out of the console, JUnit, JSON report and curl lines', async () => {
    const token = 'tok"en\\with/odd chars+&=';
    const outputs = await runEchoed([], { IWKIT_TOKEN: token }, 'x-session-token', 'quoted');
    for (const [name, form] of Object.entries(encodings(token))) {
      for (const output of outputs) expect(output.includes(form), `${name} form ${form}`).toBe(false);
    }
  });

  it('keeps a two-character token out of every output', async () => {
    const outputs = await runEchoed([], { IWKIT_TOKEN: 'q7' }, 'x-session-token', 'short');
    for (const output of outputs) expect(output).not.toMatch(/(?<![A-Za-z0-9])q7(?![A-Za-z0-9])/);
  });

  it('keeps a Basic credential from --header out of every output, encoded and decoded', async () => {
    const basic = 'alice:pa"ss/w0rd';
    const header = `Basic ${Buffer.from(basic).toString('base64')}`;
    const outputs = await runEchoed(['--header', `Authorization: ${header}`], { IWKIT_TOKEN: 'basic-run-token-31' }, 'authorization', 'basic');
    for (const form of [...Object.values(encodings(basic)), ...Object.values(encodings(header)), ...Object.values(encodings('pa"ss/w0rd'))]) {
      for (const output of outputs) expect(output.includes(form), `form ${form}`).toBe(false);
    }
  });
});
