import { parseArgs } from 'node:util';
import { measureContractRunner } from './contract-throughput.js';
import { loginExample } from './login-request.js';
import { repoRoot, serverSpecs, spawnServer } from './spawn-server.js';

// The bench's contract row alone, repeated, with CPU time per case on each side: the runner (this
// process) and the mock (its child). On a shared machine CPU per case compares runs where cases/s cannot.
// node dist/bench/contract-cpu.js [--cases 2000] [--concurrency 16] [--runs 5] [--mock-flags="--cpu-prof --cpu-prof-dir DIR"]

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
      const figures = await measureContractRunner(mock.url, cases, concurrency, mock.pid);
      const ms = (us: number | undefined): string => (us === undefined ? 'n/a' : (us / 1000).toFixed(3));
      process.stdout.write(
        `run ${run + 1}: ${figures.casesSent} cases in ${figures.durationMs} ms: ${figures.casesPerSecond} cases/s warm (warm-up ${figures.warmupCasesPerSecond.join(' → ')}); ` +
          `CPU per case: runner ${ms(figures.cpuUsPerCase.runner)} ms, mock ${ms(figures.cpuUsPerCase.mock)} ms (${figures.checksFailed} failed checks)\n`,
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
