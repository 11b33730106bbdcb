import { join } from 'node:path';
import { combineRounds, runLoad, type LoadFigures } from './load.js';
import { loginExample, loginHeaders, loginPath, repeatedBody } from './login-request.js';
import { repoRoot, spawnServer, type ServerProcess } from './spawn-server.js';

// The validating proxy's cost: the bare-Fastify baseline answered directly, and the same baseline behind
// `iwkit proxy` (request and response validation on), in one run, alternating rounds so drift hits both.
// Goals: at most +1 ms at p50, at least 0.5× the baseline's throughput.

const durationS = Number(process.env.IWKIT_BENCH_DURATION ?? 5);
const rounds = Number(process.env.IWKIT_BENCH_ROUNDS ?? 3);
const connections = Number(process.env.IWKIT_BENCH_CONNECTIONS ?? 10);

/** The proxy benchmark's figures. */
export interface ProxyBenchResult {
  baseline: LoadFigures;
  proxy: LoadFigures;
  addedP50Ms: number;
  throughputRatio: number;
  violations: number;
}

async function assertConforming(proxy: ServerProcess): Promise<void> {
  const res = await fetch(`${proxy.url}${loginPath}`, { method: 'POST', headers: loginHeaders(), body: repeatedBody });
  await res.arrayBuffer();
  if (res.status !== 200 || res.headers.get('iwkit-violations') !== null) {
    throw new Error(`the proxied login is not a clean 200: ${res.status} ${res.headers.get('iwkit-violations') ?? ''}`);
  }
}

/** Runs the proxy benchmark and returns its figures. */
export async function benchProxy(): Promise<ProxyBenchResult> {
  const baseline = await spawnServer({ name: 'baseline', script: join(repoRoot, 'dist', 'bench', 'baseline-server.js'), env: { IWKIT_BENCH_BODY: JSON.stringify(loginExample(repoRoot)) } });
  const proxy = await spawnServer({ name: 'proxy', script: join(repoRoot, 'dist', 'iwkit.mjs'), args: ['proxy', '--upstream', baseline.url, '--port', '0'] });
  try {
    await assertConforming(proxy);
    const request = [{ method: 'POST', path: loginPath, headers: loginHeaders(), body: repeatedBody }];
    // Warm both (JIT, keep-alive pool) before measuring.
    for (const server of [baseline, proxy]) await runLoad({ url: server.url, durationS: 1, connections, requests: request });
    const figures = { baseline: [] as LoadFigures[], proxy: [] as LoadFigures[] };
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? [baseline, proxy] : [proxy, baseline];
      for (const server of order) figures[server.name as 'baseline' | 'proxy'].push(await runLoad({ url: server.url, durationS, connections, requests: request }));
    }
    const b = combineRounds(figures.baseline);
    const p = combineRounds(figures.proxy);
    return { baseline: b, proxy: p, addedP50Ms: p.p50Ms - b.p50Ms, throughputRatio: p.requestsPerSecond / b.requestsPerSecond, violations: p.non2xx + p.errors };
  } finally {
    await Promise.all([proxy.stop(), baseline.stop()]);
  }
}

/** The report lines. */
export function formatProxyBench(r: ProxyBenchResult): string {
  const line = (name: string, f: LoadFigures): string => `  ${name.padEnd(18)} ${String(f.requestsPerSecond).padStart(7)} req/s   p50 ${f.p50Ms} ms   p99 ${f.p99Ms} ms   errors ${f.errors}   non-2xx ${f.non2xx}`;
  const p50Met = r.addedP50Ms <= 1;
  const ratioMet = r.throughputRatio >= 0.5;
  return [
    `iwkit proxy benchmark · ${rounds} rounds × ${durationS} s · ${connections} connections · repeated login`,
    line('baseline direct', r.baseline),
    line('through the proxy', r.proxy),
    `  p50 latency added: ${r.addedP50Ms.toFixed(1)} ms (goal ≤ +1 ms) ${p50Met ? 'met' : 'NOT met'}`,
    `  throughput ratio:  ${r.throughputRatio.toFixed(2)}× (goal ≥ 0.5×) ${ratioMet ? 'met' : 'NOT met'}`,
    '',
  ].join('\n');
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').slice(-2).join('/'))) {
  process.stdout.write(formatProxyBench(await benchProxy()));
}
