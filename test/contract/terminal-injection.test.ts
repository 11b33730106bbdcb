import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeControls, excerpt, textExcerpt } from '../../src/contract/excerpt.js';
import { runContractCli } from '../cli/run-contract-cli.js';

// A hostile target writes terminal escapes into its answers to rewrite the CI log: clear the screen,
// set the window title, print a fake verdict. Nothing it sends may reach the console as a control byte.

const ESC = '\u001b';
const BEL = '\u0007';
const ATTACK = `${ESC}]0;owned${BEL}${ESC}[2J${ESC}[H\r\n\u009b2J\u007f\u202e\nALL CHECKS PASSED\n`;
// Every control byte but newline and tab, C1 included (U+0080–U+009F, which UTF-8 terminals may act on).
const CONTROL_BYTES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

type Answer = { status: number; headers: Record<string, string>; body: Buffer };

const answers: Record<string, Answer> = {
  'raw escapes in a JSON-typed body': { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(`{"id":42,"x":"${ATTACK}"}`) },
  'C1 controls and bidi overrides inside valid JSON strings': {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify({ id: 'not-a-number \u009b2J \u0085 \u202e ALL CHECKS PASSED', sessionid: 1 })),
  },
  'escapes in a text body of an undocumented status': { status: 418, headers: { 'content-type': 'text/plain' }, body: Buffer.from(ATTACK) },
  'C1 bytes in a header value': {
    status: 500,
    // Latin-1 bytes 0x9b and 0x85: Node reads header values as Latin-1, so they arrive as C1 characters.
    headers: { 'content-type': 'application/json', 'x-note': Buffer.from([0x61, 0x9b, 0x32, 0x4a, 0x85, 0x62]).toString('latin1') },
    body: Buffer.from('{"error":"x"}'),
  },
};

let dir: string;
const servers: Server[] = [];

async function listen(answer: Answer): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(answer.status, { ...answer.headers, 'content-length': answer.body.length });
    res.end(answer.body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iwkit-terminal-'));
});
afterAll(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await rm(dir, { recursive: true, force: true });
});

describe('the contract runner against a target that answers with terminal escapes', () => {
  for (const [name, answer] of Object.entries(answers)) {
    it(`prints no control byte but newline and tab for ${name}, in the console, JUnit and JSON reports`, async () => {
      const baseUrl = await listen(answer);
      const junit = join(dir, `${name.replace(/\W+/g, '-')}.xml`);
      const json = join(dir, `${name.replace(/\W+/g, '-')}.json`);
      const run = await runContractCli(
        ['--base-url', baseUrl, '--cases', '2', '--max-requests', '6', '--rate', '1000/s', '--seed', '3', '--junit', junit, '--json', json],
        { CI: '1', IWKIT_TOKEN: 'terminal-token-77a1' },
      );

      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/FAILED/);
      expect(run.stdout).not.toMatch(CONTROL_BYTES);
      // The fake verdict stays inside an excerpt: it never starts a line of its own.
      expect(run.stdout.split('\n').filter((line) => line.startsWith('ALL CHECKS PASSED'))).toEqual([]);
      expect(await readFile(junit, 'utf8')).not.toMatch(CONTROL_BYTES);
      expect(await readFile(json, 'utf8')).not.toMatch(CONTROL_BYTES);
    });
  }

  it('shows what the target sent as visible escapes, so a reader still sees the attack', async () => {
    const baseUrl = await listen(answers['raw escapes in a JSON-typed body']);
    const run = await runContractCli(['--base-url', baseUrl, '--cases', '1', '--max-requests', '3', '--rate', '1000/s', '--seed', '3'], { CI: '1' });
    expect(run.stdout).toContain('\\x1b]0;owned\\x07\\x1b[2J');
  });
});

describe('excerpts', () => {
  it('write C0 and C1 controls, DEL and bidi overrides as visible escapes and keep tab', () => {
    expect(escapeControls(`a${ESC}[2J\u009b\u007f\u202e\tb\n`)).toBe('a\\x1b[2J\\u009b\\x7f\\u202e\tb\\n');
    expect(textExcerpt(`x${BEL}y`)).toBe('x\\x07y');
    expect(excerpt({ s: '\u009b31m' })).toBe('{"s":"\\u009b31m"}');
  });
});
