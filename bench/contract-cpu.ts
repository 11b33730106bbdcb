import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { measureContractRunner } from './contract-throughput.js';
import { loginExample } from './login-request.js';
import { repoRoot, serverSpecs, spawnServer } from './spawn-server.js';

// The bench's contract row alone, repeated, with CPU time per case on each side: the runner (this
// process) and the mock (its child). On a shared machine CPU per case compares runs where cases/s cannot.
// node dist/bench/contract-cpu.js [--cases 2000] [--concurrency 16] [--runs 5] [--mock-flags="--cpu-prof --cpu-prof-dir DIR"]

/** CPU time (user + system) of a process from /proc/<pid>/stat, in ms; undefined off Linux. */
function procCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat(5), here 11 and 12 after the name; in clock ticks (100 Hz).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { cases: { type: 'string' }, concurrency: { type: 'string' }, runs: { type: 'string' }, 'mock-flags': { type: 'string' } },
  });
  const cases = Number(values.cases ?? 2000);
  const concurrency = Number(values.concurrency ?? 16);
  const runs = Number(values.runs ?? 5);
  const nodeFlags = values['mock-flags'] ? values['mock-flags'].split(' ') : undefined;
  const { mock: spec } = serverSpecs({ seed: 1, body: JSON.stringify(loginExample(repoRoot)), ...(nodeFlags ? { nodeFlags } : {}) });
  const mock = await spawnServer(spec);
  try {
    for (let run = 0; run < runs; run++) {
      const runner0 = process.cpuUsage();
      const mock0 = procCpuMs(mock.pid);
      const figures = await measureContractRunner(mock.url, cases, concurrency);
      const runner = process.cpuUsage(runner0);
      const mock1 = procCpuMs(mock.pid);
      const runnerMs = (runner.user + runner.system) / 1000 / figures.casesSent;
      const mockMs = mock0 !== undefined && mock1 !== undefined ? (mock1 - mock0) / figures.casesSent : NaN;
      process.stdout.write(
        `run ${run + 1}: ${figures.casesSent} cases in ${figures.durationMs} ms: ${figures.casesPerSecond} cases/s; ` +
          `CPU per case: runner ${runnerMs.toFixed(3)} ms, mock ${mockMs.toFixed(3)} ms (${figures.checksFailed} failed checks)\n`,
      );
    }
  } finally {
    await mock.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`contract-cpu failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
