import { fork } from 'node:child_process';
import { once } from 'node:events';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { loginHeaders, loginPath } from './login-request.js';
import type { ProbeResult } from './login-probe.js';
import { readProcMemory, sampleMemory } from './proc-memory.js';
import { repoRoot, spawnServer, type ServerProcess } from './spawn-server.js';

// `npm run attack`: the hardening issue's mock attacks (1, 2, 3, 5) at full scale against the built CLI,
// each on a fresh mock. Per attack: RSS before, peak and after, and how a valid login fared meanwhile.

const MiB = 1024 * 1024;

/** Sends a valid login every 250 ms from a child process until stopped (see login-probe.ts). */
function probeLogins(base: string): { stop(): Promise<ProbeResult> } {
  const child = fork(join(repoRoot, 'dist', 'bench', 'login-probe.js'), [base], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const done = once(child, 'message') as Promise<[ProbeResult]>;
  return {
    async stop() {
      child.send('stop');
      const [result] = await done;
      return result;
    },
  };
}

async function startMock(args: string[] = []): Promise<ServerProcess> {
  return spawnServer({ name: 'mock', script: join(repoRoot, 'dist', 'iwkit.mjs'), args: ['mock', '--port', '0', '--host', '127.0.0.1', '--log-level', 'silent', '--admin', ...args] });
}

/** Sends one request with node:http (no pooling); resolves with its status, or the error code. */
function send(base: string, path: string, headers: Record<string, string>, body: string, hold?: ClientRequest[]): Promise<string> {
  return new Promise((resolve) => {
    const req = httpRequest(`${base}${path}`, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent: false });
    hold?.push(req);
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(String(res.statusCode)));
      res.on('error', () => resolve(String(res.statusCode)));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end(body);
  });
}

function tally(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${k}×${n}`).join(' ');
}

/** Runs `pool` workers over `total` jobs. */
async function pooled(total: number, pool: number, job: (i: number) => Promise<string>): Promise<string[]> {
  const out: string[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: pool }, async () => {
    while (next < total) out.push(await job(next++));
  }));
  return out;
}

interface AttackReport {
  name: string;
  rss: { before: number; peak: number; after: number };
  probe: ProbeResult;
  seconds: number;
  outcome: string;
}

async function runAttack(name: string, args: string[], attack: (base: string) => Promise<string>): Promise<AttackReport> {
  const mock = await startMock(args);
  try {
    await fetch(`${mock.url}${loginPath}`, { method: 'POST', headers: loginHeaders(), body: JSON.stringify({ data: { code: 'warm' } }) });
    const before = readProcMemory(mock.pid)?.rssBytes ?? 0;
    const memory = sampleMemory(mock.pid, 100);
    const probe = probeLogins(mock.url);
    const started = performance.now();
    const outcome = await attack(mock.url);
    const seconds = (performance.now() - started) / 1000;
    const probed = await probe.stop();
    const sampled = memory.stop();
    await new Promise((r) => setTimeout(r, 1000));
    const after = readProcMemory(mock.pid)?.rssBytes ?? 0;
    if (mock.child.exitCode !== null) return { name, rss: { before, peak: sampled.peakBytes ?? 0, after }, probe: probed, seconds, outcome: `${outcome}; MOCK DIED (exit ${mock.child.exitCode})` };
    return { name, rss: { before, peak: sampled.peakBytes ?? 0, after }, probe: probed, seconds, outcome };
  } finally {
    await mock.stop();
  }
}

/** 1: 200 concurrent logins, each `Prefer: delay=60000` with a ~1 MiB valid body; held 20 s, then dropped. */
async function delayedBodies(base: string): Promise<string> {
  const filler = Array.from({ length: 349_000 }, () => '{}').join(',');
  const body = `{"data":{"code":"heavy","type":"web","client_id":"x"},"p":[${filler}]}`;
  const held: ClientRequest[] = [];
  const answers: string[] = [];
  const pending = Array.from({ length: 200 }, () => send(base, loginPath, loginHeaders({ prefer: 'delay=60000' }), body, held).then((s) => answers.push(s)));
  await new Promise((r) => setTimeout(r, 20_000));
  const early = tally(answers);
  for (const req of held) req.destroy();
  await Promise.all(pending);
  return `${(body.length / MiB).toFixed(2)} MiB bodies; answered within 20 s: ${early || 'none'} (the rest were waiting out their delay and were dropped)`;
}

/** 2: ~200 POSTs of ~1 MB overrides. */
async function bigOverrides(base: string): Promise<string> {
  const pad = 'x'.repeat(1_000_000);
  const statuses = await pooled(200, 8, (i) => send(base, '/__iwkit/overrides', { 'content-type': 'application/json' }, JSON.stringify({ name: `big-${i}`, operationId: 'instagramLogin', match: { headers: { 'x-attack': 'yes' } }, respond: { status: 500, body: { pad } } })));
  return `override answers: ${tally(statuses)}`;
}

/** 3: 2,000 sockets: half announce 1,000 body bytes and send 4, half send a chunked body that never ends. */
async function slowBodies(base: string): Promise<string> {
  const url = new URL(base);
  const head = (extra: string) => `POST ${loginPath} HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\nx-session-token: t\r\n${extra}\r\n`;
  const started = performance.now();
  const outcomes: Promise<string>[] = [];
  const sockets: Socket[] = [];
  for (let i = 0; i < 2000; i++) {
    outcomes.push(new Promise((resolve) => {
      const socket = connect(Number(url.port), url.hostname);
      sockets.push(socket);
      let received = '';
      socket.on('connect', () => socket.write(i % 2 === 0 ? `${head('content-length: 1000\r\n')}{"da` : `${head('transfer-encoding: chunked\r\n')}4\r\n{"da\r\n`));
      socket.on('data', (chunk) => (received += chunk.toString('latin1')));
      socket.on('error', (error: NodeJS.ErrnoException) => (received ||= error.code ?? 'error'));
      socket.on('close', () => resolve(`${received.slice(0, 12).trim() || 'closed'}@${Math.round((performance.now() - started) / 1000)}s`));
    }));
    if (i % 200 === 199) await new Promise((r) => setTimeout(r, 50));
  }
  // Each endless chunked body keeps trickling, as an attacker would, until the mock closes it.
  const trickle = setInterval(() => {
    for (let i = 1; i < sockets.length; i += 2) if (sockets[i].writable) sockets[i].write('1\r\nx\r\n');
  }, 1000);
  const deadline = setTimeout(() => {
    for (const s of sockets) s.destroy();
  }, 75_000);
  const results = await Promise.all(outcomes);
  clearInterval(trickle);
  clearTimeout(deadline);
  const byStatus = tally(results.map((r) => r.split('@')[0]));
  const last = Math.max(...results.map((r) => Number(r.split('@')[1].replace('s', ''))));
  return `2,000 slow sockets closed by the mock: ${byStatus}; the last closed after ${last} s`;
}

/** 5: 1,100 logins with 64 KB bodies, then GET /__iwkit/journal. */
async function journalBytes(base: string): Promise<string> {
  const filler = Array.from({ length: 21_000 }, () => '{}').join(',');
  const body = `{"data":{"code":"j","type":"web","client_id":"x"},"p":[${filler}]}`;
  const statuses = await pooled(1100, 16, () => send(base, loginPath, loginHeaders(), body));
  const started = performance.now();
  const res = await fetch(`${base}/__iwkit/journal`);
  const text = await res.text();
  const ms = performance.now() - started;
  const entries = (JSON.parse(text) as { entries: unknown[] }).entries.length;
  return `${(body.length / 1024).toFixed(0)} KB bodies: ${tally(statuses)}; GET journal ${res.status}: ${(text.length / MiB).toFixed(1)} MiB, ${entries} entries, ${ms.toFixed(0)} ms`;
}

function mb(bytes: number): string {
  return `${(bytes / MiB).toFixed(0)} MB`;
}

async function main(): Promise<void> {
  const attacks: [string, string[], (base: string) => Promise<string>][] = [
    ['1 delayed ~1 MiB bodies', process.env.ATTACK_ARGS ? process.env.ATTACK_ARGS.split(' ') : [], delayedBodies],
    ['2 ~1 MB overrides', [], bigOverrides],
    ['3 half-sent / endless bodies', [], slowBodies],
    ['5 journal of 64 KB bodies', [], journalBytes],
  ];
  const only = process.argv[2];
  for (const [name, args, attack] of attacks) {
    if (only && !name.startsWith(only)) continue;
    const report = await runAttack(name, args, attack);
    const { rss, probe } = report;
    const verdict = probe.failures.length === 0 && probe.worstMs < 1000 ? 'ok' : 'FAILED';
    process.stdout.write(
      `attack ${report.name} (${report.seconds.toFixed(1)} s)\n` +
        `  RSS before ${mb(rss.before)}, peak ${mb(rss.peak)}, after ${mb(rss.after)}\n` +
        `  concurrent valid logins: ${probe.count}, worst ${probe.worstMs.toFixed(0)} ms, not 200: ${probe.failures.length ? tally(probe.failures) : 'none'} [${verdict}]\n` +
        `  ${report.outcome}\n`,
    );
  }
}

await main();
