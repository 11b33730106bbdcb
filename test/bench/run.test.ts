import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The bench itself must keep running: its smoke mode drives every row with a few hundred requests on
// loopback and writes the same results file as `npm run bench`. No figure is held to a threshold here.

const run = promisify(execFile);

describe('npm run bench:smoke', () => {
  it('measures every row of the performance table and writes them to its results file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iwkit-bench-'));
    try {
      const out = join(dir, 'results.json');
      const { stdout } = await run(process.execPath, ['dist/bench/run.js', '--smoke', '--out', out], { timeout: 110_000 });
      expect(stdout).toContain('repeated');
      const results = JSON.parse(await readFile(out, 'utf8'));
      for (const row of ['repeated', 'no-query', 'fresh', 'verbatim', 'stateful']) {
        expect(results.scenarios[row].mock.requests, row).toBeGreaterThan(0);
        expect(results.scenarios[row].baseline.requests, row).toBeGreaterThan(0);
        expect(Number.isFinite(results.scenarios[row].ratio.throughput), row).toBe(true);
        expect(results.scenarios[row].mock.serverCpuMs, row).toBeGreaterThanOrEqual(0);
      }
      expect(results.startup.ratio).toBeGreaterThan(0);
      expect(results.peakRss.mockMb).toBeGreaterThan(0);
      expect(results.contract.casesSent).toBe(100);
      expect(results.contract.checksFailed).toBe(0);
      expect(results.contract.cpuUsPerCase.runner).toBeGreaterThan(0);
      // Warm-up runs until two agree within 10% (at most six), then three measured runs whose median is the figure.
      expect(results.contract.warmupCasesPerSecond.length).toBeGreaterThanOrEqual(2);
      expect(results.contract.warmupCasesPerSecond.length).toBeLessThanOrEqual(6);
      expect(results.contract.warmupCasesPerSecond[0]).toBe(results.contract.firstRunCasesPerSecond);
      expect(results.contract.measuredCasesPerSecond).toHaveLength(3);
      expect([...results.contract.measuredCasesPerSecond].sort((a: number, b: number) => a - b)[1]).toBe(results.contract.casesPerSecond);
      expect(results.proxy.proxy.requests).toBeGreaterThan(0);
      expect(results.prism).toMatch(/skipped/);
      expect(results.targets.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['repeated login (iw-build-id query)', 'contract runner against the mock']));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
