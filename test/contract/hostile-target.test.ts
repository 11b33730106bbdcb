import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runContractCommand, type CommandIo } from '../../src/cli/contract-command.js';
import type { ContractResult } from '../../src/contract/contract-result.js';

// Targets that break HTTP itself rather than the contract: the runner must report each one as a
// failure within its --timeout, keep its memory bounded, and exit 1 — never hang or crash.

const TIMEOUT_MS = 500;
const TOKEN = 'hostile-target-token-8d1e';
const HUNDRED_MB = 100 * 1024 * 1024;

type Behaviour = (socket: Socket) => void;

/** Reads the request head, then misbehaves; a hostile target ignores what it was asked. */
function onRequest(act: (socket: Socket) => void): Behaviour {
  return (socket) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString('latin1');
      if (!seen.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      socket.resume();
      act(socket);
    };
    socket.on('data', onData);
  };
}

function trickle(socket: Socket, head: string, byte: string): void {
  socket.write(head);
  const timer = setInterval(() => {
    if (socket.destroyed) clearInterval(timer);
    else socket.write(byte);
  }, 50);
  socket.once('close', () => clearInterval(timer));
}

const behaviours: Record<string, Behaviour> = {
  // Accepts the connection and reads the request, then says nothing, ever.
  'stalls forever': (socket) => socket.resume(),
  'trickles a header one byte at a time': onRequest((socket) => trickle(socket, 'HTTP/1.1 200 OK\r\nx-slow: ', 'a')),
  'trickles the body one byte at a time': onRequest((socket) =>
    trickle(socket, 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{"id":', '1'),
  ),
  'sends a 100 MB body': onRequest((socket) => {
    socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${HUNDRED_MB}\r\n\r\n`);
    const chunk = Buffer.alloc(64 * 1024, 0x31);
    let sent = 0;
    const pump = (): void => {
      while (sent < HUNDRED_MB && !socket.destroyed) {
        sent += chunk.length;
        if (!socket.write(chunk)) {
          socket.once('drain', pump);
          return;
        }
      }
      socket.end();
    };
    pump();
  }),
  'resets the connection': onRequest((socket) => socket.resetAndDestroy()),
  'closes the connection before answering': onRequest((socket) => socket.destroy()),
  'cuts the body off': onRequest((socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{"id":42,"sess')),
  'answers with invalid HTTP': onRequest((socket) => socket.end('HELLO THERE\r\nthis is not http at all\r\n\r\n')),
  'answers with a malformed status line and headers': onRequest((socket) => socket.end('HTTP/1.1 abc OK\r\nno colon here\r\ncontent-length: -5\r\n\r\n{}')),
};

const servers: Server[] = [];
const sockets = new Set<Socket>();
let dir: string;

async function listen(behaviour: Behaviour): Promise<string> {
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
    behaviour(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Runs `iwkit contract` (the command, in process) with a short timeout; returns exit code, console text and the JSON report. */
async function runAgainst(baseUrl: string, name: string): Promise<{ code: number; out: string; result: ContractResult }> {
  let out = '';
  const sink = { write: (text: string) => (out += text), isTTY: false };
  const io: CommandIo = { stdout: sink, stderr: sink, env: { CI: '1', NO_COLOR: '1' } };
  const json = join(dir, `${name.replace(/\W+/g, '-')}.json`);
  const code = await runContractCommand(
    { baseUrl, token: TOKEN, timeout: String(TIMEOUT_MS), cases: '2', maxRequests: '8', rate: '1000/s', concurrency: '2', seed: '7', json },
    io,
  );
  return { code, out, result: JSON.parse(await readFile(json, 'utf8')) as ContractResult };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iwkit-hostile-'));
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await rm(dir, { recursive: true, force: true });
});

describe('the contract runner against a hostile target', () => {
  for (const [name, behaviour] of Object.entries(behaviours)) {
    it(`reports a target that ${name} as failing every case it sent, within the timeout, and exits 1`, async () => {
      const baseUrl = await listen(behaviour);
      const { code, out, result } = await runAgainst(baseUrl, name);

      expect(code).toBe(1);
      expect(result.ok).toBe(false);
      const sent = result.outcomes.filter((o) => o.sent);
      expect(sent.length).toBeGreaterThan(0);
      for (const outcome of sent) {
        const failures = outcome.results.filter((r) => r.status === 'failed' && r.severity === 'error');
        expect(failures.length, `case ${outcome.id} is reported as a failure`).toBeGreaterThan(0);
        // The deadline holds: --timeout, not the target, bounds each case (with room for a loaded machine).
        expect(outcome.elapsedMs, `case ${outcome.id} ended near its ${TIMEOUT_MS} ms deadline`).toBeLessThan(TIMEOUT_MS * 10);
      }
      expect(out).toMatch(/fail/i);
      expect(out).not.toContain(TOKEN);
    });
  }

  it('reads at most the body cap of a 100 MB answer, so memory stays bounded', async () => {
    const baseUrl = await listen(behaviours['sends a 100 MB body']);
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);
    const { code, result } = await runAgainst(baseUrl, 'memory');
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);

    expect(code).toBe(1);
    const sent = result.outcomes.filter((o) => o.sent);
    expect(sent.length).toBeGreaterThan(1);
    for (const outcome of sent) {
      expect(outcome.response?.bodyProblem ?? outcome.transportError?.kind, `case ${outcome.id}`).toBeDefined();
      if (outcome.response) expect(outcome.response.bodyBytes).toBeLessThanOrEqual(10 * 1024 * 1024);
    }
    // Each answer is 100 MB: reading them whole would add hundreds of MB; the 10 MiB cap keeps it to a few buffers.
    expect(peak - before, `RSS grew by ${Math.round((peak - before) / 1024 / 1024)} MB over ${sent.length} answers of 100 MB`).toBeLessThan(HUNDRED_MB);
  });
});
