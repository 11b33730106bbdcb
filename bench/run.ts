import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseBenchOptions, type BenchOptions } from './bench-options.js';
import { measureContractRunner, type ContractFigures } from './contract-throughput.js';
import { compareStartTimes, sendOnce } from './first-response.js';
import { formatLoadTable, formatTargets, times, type TargetCheck } from './format-report.js';
import { combineRounds, cpuPerRequestRatio, runLoad, type LoadFigures } from './load.js';
import { loginExample, loginHeaders, loginPath, loginPathWithQuery, repeatedBody } from './login-request.js';
import { sampleMemory } from './proc-memory.js';
import { benchProxy, formatProxyBench } from './proxy.js';
import { comparePrism, findPrism, spawnPrism, type PrismFigures } from './prism.js';
import { scenarios, type MockKind, type Scenario } from './scenarios.js';
import { repoRoot, serverSpecs, spawnServer, type ServerProcess, type SpawnSpec } from './spawn-server.js';
import type { SoakRequest } from './instrumented-mock.js';
import { summarizeProfile, type ProfileSummary } from './summarize-profile.js';

// `npm run bench`: the iwkit mock against a bare Fastify route, each in its own process, driven alike.

const mb = (bytes: number | undefined): number | undefined => (bytes === undefined ? undefined : Math.round((bytes / 1024 / 1024) * 10) / 10);
const log = (text: string): void => void process.stderr.write(`${text}\n`);

/** Checks a server answers the scenario's request with a 200 before it is measured. */
async function assertAnswers(server: ServerProcess, scenario: Scenario): Promise<void> {
  const r = scenario.requests[0];
  const built = r.setupRequest ? r.setupRequest({ ...r }, {}) : r;
  const body = typeof built.body === 'string' ? built.body : repeatedBody;
  const res = await sendOnce(server.url + (r.path ?? loginPath), { method: r.method ?? 'POST', headers: r.headers ?? loginHeaders(), body });
  if (res.status !== 200) throw new Error(`${server.name} answered ${res.status} in scenario ${scenario.name}: ${res.body.slice(0, 300)}`);
}

interface ScenarioResult {
  description: string;
  baseline: LoadFigures;
  mock: LoadFigures;
  rounds: { baseline: LoadFigures[]; mock: LoadFigures[] };
  /** `cpuPerRequest`: the baseline's CPU per request over the mock's, the throughput ratio two idle cores would give. */
  ratio: { throughput: number; p99: number; cpuPerRequest?: number };
}

/** Runs one scenario: baseline and its mock take turns for `rounds` rounds. */
async function measureScenario(options: BenchOptions, scenario: Scenario, baseline: ServerProcess, mock: ServerProcess): Promise<ScenarioResult> {
  const rounds = { baseline: [] as LoadFigures[], mock: [] as LoadFigures[] };
  for (let round = 0; round < options.rounds; round++) {
    // Alternate who goes first so drift over time (thermal, other load) hits both alike.
    const order = round % 2 === 0 ? [baseline, mock] : [mock, baseline];
    for (const server of order) {
      const figures = await runLoad({ url: server.url, durationS: options.durationS, connections: options.connections, requests: scenario.requests, amount: options.amount, pid: server.pid });
      (server === baseline ? rounds.baseline : rounds.mock).push(figures);
      log(`${scenario.name.padEnd(9)} round ${round + 1} ${server.name.padEnd(8)} ${figures.requestsPerSecond} req/s p99 ${figures.p99Ms} ms`);
    }
  }
  const b = combineRounds(rounds.baseline);
  const m = combineRounds(rounds.mock);
  return { description: scenario.description, baseline: b, mock: m, rounds, ratio: { throughput: m.requestsPerSecond / b.requestsPerSecond, p99: m.p99Ms / Math.max(b.p99Ms, 1), cpuPerRequest: cpuPerRequestRatio(b, m) } };
}

/** Prism against the mock on the login as users send it; a reason string when Prism is not there. */
async function measurePrism(options: BenchOptions, mock: ServerProcess): Promise<PrismFigures | string> {
  if (options.smoke) return 'skipped in the smoke run';
  const binary = findPrism();
  if (!binary) return 'skipped: Prism is not installed (npm run bench:prism-install, or IWKIT_BENCH_PRISM=<prism binary>)';
  const prism = await spawnPrism(binary);
  try {
    const scenario = scenarios.find((sc) => sc.name === 'repeated')!;
    await assertAnswers(prism, scenario);
    log('prism: Prism and the mock take turns on the repeated login');
    return await comparePrism(prism, mock, { rounds: options.rounds, durationS: options.durationS, connections: options.connections, requests: scenario.requests });
  } finally {
    await prism.stop();
  }
}

async function measureLoad(options: BenchOptions, specs: { baseline: SpawnSpec; mock: SpawnSpec; stateful: SpawnSpec }) {
  const baseline = await spawnServer(specs.baseline);
  const mocks: Record<MockKind, ServerProcess> = { mock: await spawnServer(specs.mock), stateful: await spawnServer(specs.stateful) };
  const memory = { baseline: sampleMemory(baseline.pid), mock: sampleMemory(mocks.mock.pid), stateful: sampleMemory(mocks.stateful.pid) };
  const results: Record<string, ScenarioResult> = {};
  let prism: PrismFigures | string | undefined;
  let peakRss: { baselineMb?: number; mockMb?: number; statefulMb?: number } = {};
  try {
    for (const scenario of scenarios) {
      await assertAnswers(baseline, scenario);
      await assertAnswers(mocks[scenario.mock], scenario);
    }
    if (options.warmupS > 0) {
      log(`warm-up ${options.warmupS} s per server and scenario`);
      for (const scenario of scenarios) {
        for (const server of [baseline, mocks[scenario.mock]]) {
          await runLoad({ url: server.url, durationS: options.warmupS / scenarios.length, connections: options.connections, requests: scenario.requests });
        }
      }
    }
    for (const scenario of scenarios) results[scenario.name] = await measureScenario(options, scenario, baseline, mocks[scenario.mock]);
    prism = await measurePrism(options, mocks.mock);
  } finally {
    peakRss = { baselineMb: mb(memory.baseline.stop().peakBytes), mockMb: mb(memory.mock.stop().peakBytes), statefulMb: mb(memory.stateful.stop().peakBytes) };
    await Promise.all([baseline.stop(), mocks.mock.stop(), mocks.stateful.stop()]);
  }
  return { scenarios: results, peakRss, prism };
}

async function measureContract(options: BenchOptions, spec: SpawnSpec): Promise<(ContractFigures & { mockPeakRssMb?: number }) | undefined> {
  if (options.contractCases === 0) return undefined;
  const mock = await spawnServer(spec);
  const memory = sampleMemory(mock.pid);
  try {
    log(`contract runner: ${options.contractCases} cases, concurrency ${options.contractConcurrency}`);
    const figures = await measureContractRunner(mock.url, options.contractCases, options.contractConcurrency, mock.pid);
    return { ...figures, mockPeakRssMb: mb(memory.stop().peakBytes) };
  } finally {
    memory.stop();
    await mock.stop();
  }
}

/** Sends an IPC request to the instrumented mock and waits for its answer. */
function ask(server: ServerProcess, message: SoakRequest): Promise<unknown> {
  return new Promise((resolve) => {
    server.child.once('message', resolve);
    server.child.send(message);
  });
}

/**
 * Profiles the mock: its start (the CLI under --cpu-prof until the first 200), then each scenario's
 * load phase alone (the instrumented mock, profiled in process once warmed up).
 */
async function profileMock(options: BenchOptions, seed: number, body: string): Promise<Record<string, ProfileSummary>> {
  const out: Record<string, ProfileSummary> = {};
  const dir = await mkdtemp(join(tmpdir(), 'iwkit-prof-'));
  try {
    const { mock } = serverSpecs({ seed, body, nodeFlags: ['--cpu-prof', '--cpu-prof-dir', dir] });
    await compareStartTimes([mock], 1, loginPathWithQuery, { headers: loginHeaders(), body: repeatedBody });
    const startFile = (await readdir(dir)).find((f) => f.endsWith('.cpuprofile'));
    if (!startFile) throw new Error('the profiled mock wrote no .cpuprofile (did it exit cleanly on SIGTERM?)');
    out.start = summarizeProfile(join(dir, startFile));
    log('profiled start');

    const server = await spawnServer({ name: 'mock', script: join(repoRoot, 'dist', 'bench', 'instrumented-mock.js'), ipc: true, env: { IWKIT_SOAK_SEED: String(seed) } });
    try {
      for (const scenario of scenarios) {
        await runLoad({ url: server.url, durationS: Math.min(2, options.durationS), connections: options.connections, requests: scenario.requests });
        await ask(server, { type: 'profile-start' });
        await runLoad({ url: server.url, durationS: options.durationS, connections: options.connections, requests: scenario.requests });
        const file = join(dir, `${scenario.name}.cpuprofile`);
        await ask(server, { type: 'profile-stop', file });
        out[scenario.name] = summarizeProfile(file);
        log(`profiled ${scenario.name}`);
      }
    } finally {
      await server.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return out;
}

/** The goals of the performance issue, each with what this run measured. */
function checkTargets(load: Awaited<ReturnType<typeof measureLoad>>, startRatio: number, contract: ContractFigures | undefined): TargetCheck[] {
  const s = load.scenarios;
  const ratioTarget = (name: string, scenario: string, goal: number): TargetCheck => ({
    name, target: `≥ ${goal.toFixed(2)}× baseline`, measured: times(s[scenario].ratio.throughput), met: s[scenario].ratio.throughput >= goal,
  });
  const failures = Object.values(s).reduce((n, r) => n + r.mock.errors + r.mock.timeouts + r.mock.non2xx, 0);
  const targets: TargetCheck[] = [
    ratioTarget('repeated login (iw-build-id query)', 'repeated', 0.9),
    ratioTarget('a new code on every request', 'fresh', 0.5),
    ratioTarget('stateful login (memory store)', 'stateful', 0.5),
    { name: 'ready to answer (first 200)', target: '≤ 1.20× baseline', measured: times(startRatio), met: startRatio <= 1.2 },
    { name: 'mock peak RSS under load', target: '≤ 120 MB', measured: `${load.peakRss.mockMb ?? 'n/a'} MB`, met: (load.peakRss.mockMb ?? Infinity) <= 120 },
    { name: 'no errors, timeouts or non-2xx', target: '0', measured: String(failures), met: failures === 0 },
  ];
  if (contract) targets.push({ name: 'contract runner against the mock', target: '≥ 2,000 cases/s', measured: `${contract.casesPerSecond} cases/s`, met: contract.casesPerSecond >= 2000 });
  if (typeof load.prism === 'object') targets.push({ name: 'iwkit against Prism, same request', target: '≥ 15× Prism', measured: times(load.prism.ratio), met: load.prism.ratio >= 15 });
  return targets;
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  const body = JSON.stringify(loginExample(repoRoot));
  const specs = serverSpecs({ seed: options.seed, body });
  const startedAt = new Date().toISOString();

  const load = await measureLoad(options, specs);
  log(`start to first 200: ${options.startRuns} starts per server`);
  const startup = await compareStartTimes([specs.baseline, specs.mock], options.startRuns, loginPathWithQuery, { headers: loginHeaders(), body: repeatedBody });
  const startRatio = startup.mock.medianMs / startup.baseline.medianMs;
  const contract = await measureContract(options, specs.mock);
  log('proxy: the baseline behind iwkit proxy against the baseline directly');
  const proxy = await benchProxy(options.smoke ? { durationS: 1, rounds: 1, connections: options.connections, warmS: 0, amount: options.amount } : undefined);
  const profile = options.profile ? await profileMock(options, options.seed, body) : undefined;

  const targets = checkTargets(load, startRatio, contract);
  const results = {
    startedAt,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version, platform: `${process.platform} ${process.arch}` },
    options,
    scenarios: load.scenarios,
    peakRss: load.peakRss,
    prism: load.prism,
    startup: { ...startup, ratio: startRatio },
    contract,
    proxy,
    targets,
    ...(profile ? { profile } : {}),
  };
  const out = resolve(repoRoot, options.out);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);

  const rows = scenarios.map((sc) => ({ scenario: sc.name, baseline: load.scenarios[sc.name].baseline, mock: load.scenarios[sc.name].mock }));
  const lines = [
    '',
    `iwkit bench — ${results.machine.cpus} cores, Node ${process.version}, ${options.connections} connections, ${options.rounds}×${options.durationS} s per server and scenario`,
    '',
    formatLoadTable(rows),
    '',
    `peak RSS    baseline ${load.peakRss.baselineMb ?? 'n/a'} MB, mock ${load.peakRss.mockMb ?? 'n/a'} MB, stateful mock ${load.peakRss.statefulMb ?? 'n/a'} MB`,
    `first 200   baseline ${startup.baseline.medianMs} ms, mock ${startup.mock.medianMs} ms (median of ${options.startRuns}): ${times(startRatio)}`,
    contract ? `contract    ${contract.casesSent} cases a run: ${contract.casesPerSecond} cases/s warm (median of ${contract.measuredCasesPerSecond.join(', ')}; ${contract.checksFailed} failed checks), first run ${contract.firstRunCasesPerSecond} cases/s (warm-up ${contract.warmupCasesPerSecond.join(' → ')}); CPU per case: runner ${contract.cpuUsPerCase.runner} µs, mock ${contract.cpuUsPerCase.mock ?? 'n/a'} µs` : 'contract    skipped',
    typeof load.prism === 'object'
      ? `prism       Prism ${load.prism.prism.requestsPerSecond} req/s, mock ${load.prism.mock.requestsPerSecond} req/s: ${times(load.prism.ratio)}`
      : `prism       ${load.prism ?? 'skipped'}`,
    '',
    options.smoke ? 'smoke run: bounded request counts, so no figure or mark below is a measurement' : '',
    formatTargets(targets),
    '',
    formatProxyBench(proxy),
    `figures written to ${options.out}`,
  ];
  if (profile) {
    for (const [name, p] of Object.entries(profile)) {
      lines.push('', `profile ${name}: busy ${p.busyMs} ms, idle ${p.idlePercent}%`);
      for (const a of p.areas.slice(0, 8)) lines.push(`  ${String(a.selfPercent).padStart(5)}%  ${a.name}`);
      lines.push('  top self time:');
      for (const f of p.functions.slice(0, 10)) lines.push(`  ${String(f.selfPercent).padStart(5)}%  ${f.name}`);
      lines.push('  top inclusive time (iwkit):');
      for (const f of p.inclusive.filter((e) => e.name.includes('dist/src/')).slice(0, 8)) lines.push(`  ${String(f.totalPercent).padStart(5)}%  ${f.name}`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
