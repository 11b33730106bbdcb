import { createServer } from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool, util } from 'undici';
import { combineRounds, runLoad, type LoadFigures } from './load.js';
import { loginExample, loginHeaders, loginPath, repeatedBody } from './login-request.js';
import { repoRoot, spawnServer, type ServerProcess } from './spawn-server.js';

// The validating proxy's cost: the bare-Fastify baseline answered directly, and the same baseline behind
// `iwkit proxy` (request and response validation on), in one run, alternating rounds so drift hits both.
// Goals: at most +1 ms at p50, at least 0.5× the baseline's throughput.
// A third server, the pass-through floor (node:http + the same undici pool, no checks, no Fastify), shows
// what any Node proxy costs on this machine: on 2 cores shared by autocannon, the baseline and the proxy,
// a second HTTP hop alone takes much of the baseline's throughput, whatever the proxy does.

/** How long and how hard the proxy benchmark drives each server. */
export interface ProxyBenchSettings {
  durationS: number;
  rounds: number;
  connections: number;
  warmS: number;
  /** Requests per load run (the smoke run bounds them). */
  amount?: number;
}

const defaults: ProxyBenchSettings = {
  durationS: Number(process.env.IWKIT_BENCH_DURATION ?? 5),
  rounds: Number(process.env.IWKIT_BENCH_ROUNDS ?? 3),
  connections: Number(process.env.IWKIT_BENCH_CONNECTIONS ?? 10),
  warmS: Number(process.env.IWKIT_BENCH_WARM ?? 3),
};
const self = fileURLToPath(import.meta.url);

/** The proxy benchmark's figures. */
export interface ProxyBenchResult {
  baseline: LoadFigures;
  proxy: LoadFigures;
  passthrough: LoadFigures;
  addedP50Ms: number;
  throughputRatio: number;
  /** The pass-through floor's throughput against the baseline's: the ceiling for any proxy on this machine. */
  passthroughRatio: number;
  violations: number;
  /** 1-minute load average before and after the run (other work on the machine skews the figures). */
  loadAverage: { before: number; after: number };
  settings: ProxyBenchSettings;
}

/** The pass-through floor: forwards to IWKIT_BENCH_UPSTREAM with no checks, reading and writing as plainly as Node allows. */
async function runPassthrough(upstream: string): Promise<void> {
  const pool = new Pool(upstream, { connections: 64, pipelining: 1 });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = { ...req.headers };
      delete headers.host;
      delete headers.connection;
      const out: Buffer[] = [];
      let status = 502;
      let answer: Record<string, string | string[] | undefined> = {};
      pool.dispatch({ method: req.method as 'POST', path: req.url ?? '/', headers: headers as Record<string, string>, body: Buffer.concat(chunks) }, {
        onConnect() {},
        onHeaders(code, raw) {
          status = code;
          const type = util.parseHeaders(raw as unknown as Buffer[])['content-type'];
          answer = type === undefined ? {} : { 'content-type': type };
          return true;
        },
        onData(chunk) {
          out.push(chunk);
          return true;
        },
        onComplete() {
          const body = Buffer.concat(out);
          res.writeHead(status, { ...answer, 'content-length': String(body.length) });
          res.end(body);
        },
        onError() {
          res.writeHead(502).end();
        },
      });
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address() as { port: number };
  process.stdout.write(`passthrough listening on http://127.0.0.1:${address.port}\n`);
  process.once('SIGTERM', () => server.close(() => void pool.close()));
}

async function assertConforming(proxy: ServerProcess): Promise<void> {
  const res = await fetch(`${proxy.url}${loginPath}`, { method: 'POST', headers: loginHeaders(), body: repeatedBody });
  await res.arrayBuffer();
  if (res.status !== 200 || res.headers.get('iwkit-violations') !== null) {
    throw new Error(`the proxied login is not a clean 200: ${res.status} ${res.headers.get('iwkit-violations') ?? ''}`);
  }
}

/** Runs the proxy benchmark and returns its figures. */
export async function benchProxy(settings: ProxyBenchSettings = defaults): Promise<ProxyBenchResult> {
  const { durationS, rounds, connections, warmS, amount } = settings;
  const baseline = await spawnServer({ name: 'baseline', script: join(repoRoot, 'dist', 'bench', 'baseline-server.js'), env: { IWKIT_BENCH_BODY: JSON.stringify(loginExample(repoRoot)) } });
  const proxy = await spawnServer({ name: 'proxy', script: join(repoRoot, 'dist', 'iwkit.mjs'), args: ['proxy', '--upstream', baseline.url, '--port', '0'] });
  const passthrough = await spawnServer({ name: 'passthrough', script: self, env: { IWKIT_BENCH_ROLE: 'passthrough', IWKIT_BENCH_UPSTREAM: baseline.url } });
  const before = loadavg()[0];
  try {
    await assertConforming(proxy);
    const request = [{ method: 'POST', path: loginPath, headers: loginHeaders(), body: repeatedBody }];
    // Warm all three (JIT of the validators, keep-alive pools) before measuring.
    if (warmS > 0) for (const server of [baseline, proxy, passthrough]) await runLoad({ url: server.url, durationS: warmS, connections, requests: request });
    const figures = { baseline: [] as LoadFigures[], proxy: [] as LoadFigures[], passthrough: [] as LoadFigures[] };
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? [baseline, proxy, passthrough] : [passthrough, proxy, baseline];
      for (const server of order) figures[server.name as keyof typeof figures].push(await runLoad({ url: server.url, durationS, connections, requests: request, amount }));
    }
    const b = combineRounds(figures.baseline);
    const p = combineRounds(figures.proxy);
    const t = combineRounds(figures.passthrough);
    return {
      baseline: b, proxy: p, passthrough: t, addedP50Ms: p.p50Ms - b.p50Ms, throughputRatio: p.requestsPerSecond / b.requestsPerSecond,
      passthroughRatio: t.requestsPerSecond / b.requestsPerSecond, violations: p.non2xx + p.errors, loadAverage: { before, after: loadavg()[0] }, settings,
    };
  } finally {
    await Promise.all([proxy.stop(), passthrough.stop(), baseline.stop()]);
  }
}

/** The report lines. */
export function formatProxyBench(r: ProxyBenchResult): string {
  const line = (name: string, f: LoadFigures): string => `  ${name.padEnd(18)} ${String(f.requestsPerSecond).padStart(7)} req/s   p50 ${f.p50Ms} ms   p99 ${f.p99Ms} ms   errors ${f.errors}   non-2xx ${f.non2xx}`;
  const p50Met = r.addedP50Ms <= 1;
  const ratioMet = r.throughputRatio >= 0.5;
  return [
    `iwkit proxy benchmark · ${r.settings.rounds} rounds × ${r.settings.durationS} s · ${r.settings.connections} connections · repeated login`,
    line('baseline direct', r.baseline),
    line('through the proxy', r.proxy),
    line('pass-through floor', r.passthrough),
    `  p50 latency added: ${r.addedP50Ms.toFixed(1)} ms (goal ≤ +1 ms) ${p50Met ? 'met' : 'NOT met'}`,
    `  throughput ratio:  ${r.throughputRatio.toFixed(2)}× (goal ≥ 0.5×) ${ratioMet ? 'met' : 'NOT met'}; a proxy with no checks at all: ${r.passthroughRatio.toFixed(2)}×`,
    `  load average:      ${r.loadAverage.before.toFixed(2)} before, ${r.loadAverage.after.toFixed(2)} after (${availableParallelism()} cores)`,
    '',
  ].join('\n');
}

if (process.env.IWKIT_BENCH_ROLE === 'passthrough') await runPassthrough(process.env.IWKIT_BENCH_UPSTREAM!);
else if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').slice(-2).join('/'))) {
  process.stdout.write(formatProxyBench(await benchProxy()));
}
