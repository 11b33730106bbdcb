import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { LOGIN, loginHeaders } from './scripting-helpers.js';

// Runs the built CLI (npm test builds dist/ first) in its own process with a small heap, so memory a
// delayed request keeps shows as the process dying rather than as a number that depends on the GC.

let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
});

function startMock(heapMb: number, args: string[]): Promise<string> {
  child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, 'dist/iwkit.mjs', 'mock', '--port', '0', '--log-level', 'silent', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    child!.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child!.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child!.on('exit', (code) => reject(new Error(`mock exited with ${code}: ${out.slice(-500)}`)));
  });
}

function peakRssBytes(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) * 1024;
}

/** About 1 MiB of valid login JSON that parses into ~350,000 objects (some 15 MB of heap). */
function heavyBody(): string {
  const filler = Array.from({ length: 349_000 }, () => '{}').join(',');
  return `{"data":{"code":"heavy","type":"web","client_id":"x"},"p":[${filler}]}`;
}

describe('delayed requests and memory', () => {
  it('keeps no parsed body alive while 20 requests with ~1 MiB bodies wait out their delays, within a 128 MB heap', async () => {
    const base = await startMock(128, ['--admin']);
    const body = heavyBody();
    expect(body.length).toBeGreaterThan(1_000_000);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => fetch(`${base}${LOGIN}`, { method: 'POST', headers: { ...loginHeaders, prefer: 'delay=3000' }, body }).then((r) => r.status)),
    );
    expect(answers).toEqual(Array(20).fill(200));
    expect(child!.exitCode).toBeNull();
    // Twenty retained bodies alone would be ~300 MB; the process stays well under that.
    expect(peakRssBytes(child!.pid!)).toBeLessThan(260 * 1024 * 1024);
  }, 60_000);
});
