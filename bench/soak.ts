import autocannon, { type AutocannonRequest } from 'autocannon';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchToken, freshBody, loginHeaders, loginPath, repeatedBody } from './login-request.js';
import type { SoakRequest, SoakStats } from './instrumented-mock.js';
import { repoRoot, spawnServer, type ServerProcess } from './spawn-server.js';

// `npm run soak`: a long run at high concurrency with valid, invalid and scenario requests mixed.
// Reports unexpected answers (must be 0), RSS after warm-up and at the end (growth < 10%), and event-loop delay.

interface Expected {
  label: string;
  status: number;
  scenario: string;
  /** Share of the connections this kind gets. */
  weight: number;
}

/** One kind of request of the mix and what it must get. */
interface MixKind {
  expected: Expected;
  request: AutocannonRequest;
}

/** What one kind of request got during the soak. */
interface KindTally {
  ok: number;
  unexpected: number;
  sample?: string;
  errors: number;
  timeouts: number;
  requests: number;
}

function buildMix(): MixKind[] {
  const post = (headers: Record<string, string>, body: string, path = loginPath): AutocannonRequest => ({ method: 'POST', path, headers, body });
  const fresh = (headers: Record<string, string>): AutocannonRequest => ({ ...post(headers, freshBody()), setupRequest: (r) => ({ ...r, body: freshBody() }) });
  const kinds: [Expected, AutocannonRequest][] = [
    [{ label: 'repeated login', status: 200, scenario: 'fixture:default', weight: 4 }, post(loginHeaders(), repeatedBody)],
    [{ label: 'new login', status: 200, scenario: 'fixture:default', weight: 4 }, fresh(loginHeaders())],
    [{ label: 'Prefer example=missing-2fa', status: 200, scenario: 'fixture:missing-2fa', weight: 1 }, post(loginHeaders({ prefer: 'example=missing-2fa' }), repeatedBody)],
    [{ label: 'Prefer example=invalid-session', status: 200, scenario: 'fixture:invalid-session', weight: 1 }, post(loginHeaders({ prefer: 'example=invalid-session' }), repeatedBody)],
    [{ label: '__example=vpn', status: 200, scenario: 'fixture:vpn', weight: 1 }, post(loginHeaders(), repeatedBody, `${loginPath}?__example=vpn`)],
    [{ label: 'Prefer dynamic=false', status: 200, scenario: 'example:default', weight: 1 }, post(loginHeaders({ prefer: 'dynamic=false' }), repeatedBody)],
    [{ label: 'new login, Prefer example=google', status: 200, scenario: 'fixture:google', weight: 2 }, fresh(loginHeaders({ prefer: 'example=google' }))],
    [{ label: 'code of the wrong type', status: 400, scenario: 'problem:400', weight: 1 }, post(loginHeaders(), '{"data":{"code":42,"type":7}}')],
    [{ label: 'malformed JSON', status: 400, scenario: 'problem:400', weight: 1 }, post(loginHeaders(), '{"data":{"code":')],
    [{ label: 'prototype payload', status: 400, scenario: 'problem:400', weight: 1 }, post(loginHeaders(), '{"__proto__":{"x":1}}')],
    [{ label: 'no credential', status: 401, scenario: 'problem:401', weight: 1 }, post({ 'content-type': 'application/json' }, repeatedBody)],
    [{ label: 'unknown path', status: 404, scenario: 'problem:404', weight: 1 }, post(loginHeaders(), repeatedBody, '/api/opendata/nope')],
    [{ label: 'wrong method', status: 405, scenario: 'problem:405', weight: 1 }, { method: 'GET', path: loginPath, headers: { 'x-session-token': benchToken } }],
    [{ label: 'wrong content type', status: 415, scenario: 'problem:415', weight: 1 }, post(loginHeaders({ 'content-type': 'text/plain' }), repeatedBody)],
    [{ label: 'Prefer code=404 (undeclared)', status: 400, scenario: 'problem:400', weight: 1 }, post(loginHeaders({ prefer: 'code=404' }), repeatedBody)],
    [{ label: 'Prefer example=nope', status: 400, scenario: 'problem:400', weight: 1 }, post(loginHeaders({ prefer: 'example=nope' }), repeatedBody)],
  ];
  return kinds.map(([expected, request]) => ({ expected, request }));
}

// One autocannon run per kind, all at once: autocannon attributes answers to the wrong request of a
// mixed list when the server closes a connection (Fastify does after a body it cannot parse).
async function driveKind(url: string, kind: MixKind, connections: number, durationS: number): Promise<KindTally> {
  const tally: KindTally = { ok: 0, unexpected: 0, errors: 0, timeouts: 0, requests: 0 };
  const { expected } = kind;
  const request: AutocannonRequest = {
    ...kind.request,
    onResponse: (status, _body, _context, headers) => {
      const scenario = headers['iwkit-scenario'];
      if (status === expected.status && scenario === expected.scenario) tally.ok++;
      else {
        tally.unexpected++;
        tally.sample ??= `${status} ${String(scenario)}`;
      }
    },
  };
  const result = await autocannon({ url, connections, duration: durationS, requests: [request], timeout: 10 });
  tally.errors = result.errors;
  tally.timeouts = result.timeouts;
  tally.requests = result.latency.totalCount;
  return tally;
}

function stats(server: ServerProcess, request: SoakRequest): Promise<SoakStats> {
  return new Promise((resolve) => {
    server.child.once('message', (message) => resolve(message as SoakStats));
    server.child.send(request);
  });
}

const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { duration: { type: 'string' }, connections: { type: 'string' }, warmup: { type: 'string' } },
  });
  const durationS = Number(values.duration ?? 60);
  const connections = Number(values.connections ?? 200);
  const warmupS = Number(values.warmup ?? Math.min(10, durationS / 6));
  if (!(durationS > warmupS && connections > 0 && warmupS >= 0)) throw new Error('usage: npm run soak -- [--duration S] [--connections N] [--warmup S] (duration > warmup)');

  const server = await spawnServer({ name: 'mock', script: join(repoRoot, 'dist', 'bench', 'instrumented-mock.js'), nodeFlags: ['--expose-gc'], ipc: true });
  try {
    const atStart = await stats(server, { type: 'stats', resetDelay: true, gc: true });
    const mix = buildMix();
    const totalWeight = mix.reduce((n, k) => n + k.expected.weight, 0);
    const share = (k: MixKind): number => Math.max(1, Math.round((connections * k.expected.weight) / totalWeight));
    process.stderr.write(`soak: ${durationS} s, ${mix.reduce((n, k) => n + share(k), 0)} connections over ${mix.length} kinds of request, warm-up ${warmupS} s\n`);

    let afterWarmup: SoakStats | undefined;
    const timeline: { atS: number; rssMb: number }[] = [];
    const started = Date.now();
    const warmupTimer = setTimeout(() => {
      void stats(server, { type: 'stats', resetDelay: true, gc: true }).then((s) => (afterWarmup = s));
    }, warmupS * 1000);
    const sampler = setInterval(() => {
      void stats(server, { type: 'stats', resetDelay: false, gc: false }).then((s) => timeline.push({ atS: Math.round((Date.now() - started) / 1000), rssMb: mb(s.rssBytes) }));
    }, 5000);
    const tallies = await Promise.all(mix.map((k) => driveKind(server.url, k, share(k), durationS)));
    clearTimeout(warmupTimer);
    clearInterval(sampler);
    const atEnd = await stats(server, { type: 'stats', resetDelay: false, gc: true });
    const warm = afterWarmup ?? atStart;

    const elapsedS = (Date.now() - started) / 1000;
    const sum = (pick: (t: KindTally) => number): number => tallies.reduce((n, t) => n + pick(t), 0);
    const answers = sum((t) => t.unexpected);
    const errors = sum((t) => t.errors);
    const timeouts = sum((t) => t.timeouts);
    const unexpected = answers + errors + timeouts;
    const total = sum((t) => t.requests);
    const growth = (atEnd.rssBytes - warm.rssBytes) / warm.rssBytes;
    const lines = [
      `requests      ${total} in ${elapsedS.toFixed(1)} s (${Math.round(total / elapsedS)} req/s)`,
      `unexpected    ${unexpected} (wrong answers ${answers}, socket errors ${errors}, timeouts ${timeouts})`,
      ...mix.map((k, i) => {
        const t = tallies[i];
        const bad = [t.unexpected ? `${t.unexpected} wrong (e.g. ${t.sample})` : '', t.errors ? `${t.errors} errors` : '', t.timeouts ? `${t.timeouts} timeouts` : ''].filter(Boolean).join(', ');
        return `  ${k.expected.label.padEnd(34)} ${String(share(k)).padStart(3)} conn ${String(t.ok).padStart(8)} × ${k.expected.status}${bad ? `  ${bad}` : ''}`;
      }),
      `RSS           start ${mb(atStart.rssBytes)} MB, after warm-up ${mb(warm.rssBytes)} MB, end ${mb(atEnd.rssBytes)} MB: ${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)}% after warm-up`,
      `heap used     after warm-up ${mb(warm.heapUsedBytes)} MB, end ${mb(atEnd.heapUsedBytes)} MB (after a full GC)`,
      `RSS timeline  ${timeline.map((t) => `${t.atS}s ${t.rssMb}`).join(', ')}`,
      `event loop    delay after warm-up: mean ${atEnd.delay.mean} ms, p50 ${atEnd.delay.p50} ms, p99 ${atEnd.delay.p99} ms, max ${atEnd.delay.max} ms`,
    ];
    const ok = unexpected === 0 && growth < 0.1;
    lines.push(ok ? 'soak passed: 0 unexpected answers, RSS growth under 10%' : 'soak FAILED: unexpected answers or RSS growth of 10% or more');
    process.stdout.write(`${lines.join('\n')}\n`);
    process.exitCode = ok ? 0 : 1;
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
