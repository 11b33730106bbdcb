import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleMemory } from './proc-memory.js';
import { repoRoot } from './spawn-server.js';

// `npm run attack` (runner part): a hostile target on loopback answers every request at once with
// 10 MiB of JSON (under the runner's default 10 MiB read cap); the contract runner runs against it in
// a child process, so its own RSS is what is measured, at --concurrency 1 and 8.

const MIB = 1024 * 1024;
const TOKEN = 'attack-runner-token-5f2c';

/** What one runner process did against the target. */
interface RunFigures {
  concurrency: number;
  shape: string;
  bodyBytes: number;
  exitCode: number | null;
  peakRssBytes?: number;
  seconds: number;
  requestsSent: number;
  timedOut: number;
}

/**
 * 10 MiB bodies of three shapes: many small objects in a property (the costliest to parse), the same
 * at the root (every problem is then about the whole body), and one long string.
 */
function bodies(bytes: number): Record<string, Buffer> {
  const item = '{"id":1,"name":"x"},';
  const items = Math.floor((bytes - 40) / item.length);
  const objects = `{"id":42,"sessionid":"s","selectedcustomer":[${item.repeat(items)}{"id":1}]}`;
  const root = `[${item.repeat(items)}{"id":1}]`;
  const string = `{"id":42,"sessionid":"s","ip":"${'a'.repeat(bytes - 40)}"}`;
  return { 'small objects': Buffer.from(objects), 'an array at the root': Buffer.from(root), 'one long string': Buffer.from(string) };
}

function listen(body: Buffer): Promise<Server> {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function runRunner(baseUrl: string, concurrency: number, dir: string): Promise<Omit<RunFigures, 'shape' | 'bodyBytes'>> {
  const json = join(dir, `c${concurrency}.json`);
  const args = ['contract', '--base-url', baseUrl, '--rate', '1000/s', '--concurrency', String(concurrency), '--seed', '7', '--json', json];
  const started = performance.now();
  const child = spawn(process.execPath, [join(repoRoot, 'dist', 'iwkit.mjs'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, CI: '1', NO_COLOR: '1', IWKIT_TOKEN: TOKEN },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const memory = sampleMemory(child.pid!, 20);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-2000)));
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const { peakBytes } = memory.stop();
  const seconds = (performance.now() - started) / 1000;
  let requestsSent = 0;
  let timedOut = 0;
  try {
    const report = JSON.parse(await readFile(json, 'utf8')) as { requestsSent: number; outcomes: { transportError?: { kind: string } }[] };
    requestsSent = report.requestsSent;
    timedOut = report.outcomes.filter((o) => o.transportError?.kind === 'timeout').length;
  } catch {
    process.stderr.write(`runner wrote no JSON report (exit ${exitCode}): ${stderr}\n`);
  }
  return { concurrency, exitCode, ...(peakBytes !== undefined ? { peakRssBytes: peakBytes } : {}), seconds, requestsSent, timedOut };
}

// The growth over a run against a tiny answer is what the 10 MiB answers cost.
function row(f: RunFigures, baselineBytes: number): string {
  const peak = f.peakRssBytes !== undefined ? `${Math.round(f.peakRssBytes / MIB)} MB` : 'n/a';
  const ratio = f.peakRssBytes !== undefined && f.bodyBytes > 1024 ? `${((f.peakRssBytes - baselineBytes) / f.bodyBytes).toFixed(1)}×` : '–';
  return `| ${f.shape} | ${f.concurrency} | ${f.requestsSent} | ${peak} | ${ratio} | ${f.seconds.toFixed(1)} s | ${f.timedOut} | ${f.exitCode} |`;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'iwkit-attack-runner-'));
  const lines = [
    '10 MiB JSON answers to `iwkit contract` (default spec, cases and --timeout; --rate 1000/s), runner in a child process:',
    '',
    '| body | concurrency | requests | peak RSS | (peak − baseline) / body | time | timed out | exit |',
    '|---|---|---|---|---|---|---|---|',
  ];
  let baseline = 0;
  try {
    const shapes = { 'baseline: a 25-byte answer': Buffer.from('{"id":42,"sessionid":"s"}'), ...bodies(10 * MIB - 1024) };
    for (const [shape, body] of Object.entries(shapes)) {
      const server = await listen(body);
      const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      for (const concurrency of [1, 8]) {
        const figures = { shape, bodyBytes: body.length, ...(await runRunner(baseUrl, concurrency, dir)) };
        if (body.length < 1024) baseline = Math.max(baseline, figures.peakRssBytes ?? 0);
        lines.push(row(figures, baseline));
        process.stderr.write(`${row(figures, baseline)}\n`);
      }
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
