import type { Command } from 'commander';
import { resolve } from 'node:path';
import { isToolkitError, toolkitError } from '../errors.js';
import { Type } from '@sinclair/typebox';
import type { EdgeProfile } from '../fake/edge-profiles.js';
import { defaultLimits, limitsWith, type MockLimits } from '../mock/limits.js';
import { basePathsOf } from '../mock/route-table.js';
import { adminPrefix } from '../server/admin-routes.js';
import { createMockServer, type MockServer, type MockServerOptions } from '../server/create-mock-server.js';
import { isLoopbackHost } from '../server/is-loopback-host.js';
import { resolveMockSources } from '../server/mock-sources.js';
import type { LogFormat } from '../server/request-log.js';
import { watchMockServer } from '../server/watch-reload.js';
import { checkOptions, renamedOptionError } from '../options/check-options.js';
import { integerOption, oneOf } from '../options/option-schemas.js';
import { checkMockServerOptions } from '../server/mock-server-options.js';
import { isSpecUrl } from '../openapi/fetch-spec-text.js';
import { collect, flagNames, numberFlag } from './parse-options.js';
import { openStateStore } from '../server/open-state-store.js';
import { listenApp, untilSignalled } from './listen-app.js';
import { runAction } from './run-action.js';

/** The flags of `iwkit mock` as commander hands them over (defaults applied). */
export interface MockOptions {
  spec?: string;
  fixtures?: string;
  port: string;
  host: string;
  seed?: string;
  token?: string[];
  cors: boolean;
  docs: boolean;
  logLevel: string;
  scenarios?: string | false;
  delay?: string;
  errorRate?: string;
  admin?: boolean;
  adminToken?: string;
  watch?: boolean;
  edge?: string;
  strictSpec?: boolean;
  maxConnections?: string;
  requestTimeout?: string;
  connectionTimeout?: string;
  keepAliveTimeout?: string;
  maxLargeBodies?: string;
  maxDelayed?: string;
  maxOverrides?: string;
  maxOverrideBytes?: string;
  maxJournalBytes?: string;
  logFormat: string;
  bodyLimit?: string;
  stateful?: boolean;
  state?: string;
  sessionTtl?: string;
  stateTimeout?: string;
  stateFile?: string;
  maxStateItems?: string;
  maxStateBytes?: string;
}

/** The resource-bound flags: flag name and the limit it sets (see the README's Limits table). */
const limitFlags: [flag: string, limit: keyof MockLimits & keyof MockOptions, help: string][] = [
  ['max-connections', 'maxConnections', 'open connections at once; past it a 503 problem'],
  ['request-timeout', 'requestTimeout', 'ms to receive a whole request; past it a 408 problem and the socket closes'],
  ['connection-timeout', 'connectionTimeout', 'ms a socket may stay silent (keep it above the longest delay)'],
  ['keep-alive-timeout', 'keepAliveTimeout', 'ms an idle keep-alive connection is kept'],
  ['max-large-bodies', 'maxLargeBodies', 'request bodies of 64 KiB or more parsed at once; the others wait unread'],
  ['max-delayed', 'maxDelayed', 'requests waiting out a delay at once; past it a 503 problem'],
  ['max-overrides', 'maxOverrides', 'run-time overrides at once; past it a 409 problem'],
  ['max-override-bytes', 'maxOverrideBytes', 'bytes of all overrides together; past it a 413 problem'],
  ['max-journal-bytes', 'maxJournalBytes', 'bytes of journal kept; the oldest entries are dropped past it'],
  ['max-state-items', 'maxStateItems', 'stored state entries per client with --stateful; past it a 507 problem'],
  ['max-state-bytes', 'maxStateBytes', 'bytes of stored state per client with --stateful; past it a 507 problem'],
];

/** A duration flag (`--session-ttl`, `--state-timeout`): milliseconds, or a number with ms, s, m or h; the option schema checks the range. */
function parseDuration(raw: string | undefined, flag: string, examples: string): number | undefined {
  if (raw === undefined) return undefined;
  const match = /^(\d+)(ms|s|m|h)?$/.exec(raw.trim());
  if (!match) throw toolkitError('IWKIT_ERR_OPTION_INVALID', flag, `expected a duration such as ${examples}, got "${raw}"`);
  return Number(match[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 'ms') as 'ms'];
}

/** `--session-ttl`: milliseconds, or a number with s, m or h. */
function parseSessionTtl(raw: string | undefined): number | undefined {
  return parseDuration(raw, '--session-ttl', '30m, 90s or 5000 (ms)');
}

function addLimitFlags(command: Command): void {
  for (const [flag, key, help] of limitFlags) command.option(`--${flag} <n>`, `${help} (default ${defaultLimits[key]})`);
}

function parseLimits(opts: MockOptions): Partial<MockLimits> {
  const limits: Partial<MockLimits> = {};
  for (const [, key] of limitFlags) {
    const value = numberFlag(opts[key]);
    if (value !== undefined) limits[key] = value;
  }
  return limits;
}

/** Warnings beyond this many are counted, not listed: a large imperfect document can have hundreds. */
const LISTED_WARNINGS = 20;
/** Routes listed by name at start. */
const LISTED_ROUTES = 40;

function warningLines(warnings: string[]): string {
  if (warnings.length === 0) return '';
  const listed = warnings.slice(0, LISTED_WARNINGS).map((w) => `  ${w}\n`).join('');
  const more = warnings.length > LISTED_WARNINGS ? `  … and ${warnings.length - LISTED_WARNINGS} more\n` : '';
  return `iwkit: ${warnings.length} warning${warnings.length === 1 ? '' : 's'} about the spec (served anyway; --strict-spec refuses instead):\n${listed}${more}`;
}

const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function startLines(app: MockServer, address: string, options: MockServerOptions, rulesFile: string | undefined, adminServed: boolean, watching: boolean): string {
  const api = app.iwkitApi;
  const lines = [`iwkit mock of ${api.title} ${api.version} listening on ${address}`];
  // A 400-operation document would bury the rest of the banner: the first few, then a count.
  for (const op of api.operations.slice(0, LISTED_ROUTES)) lines.push(`  ${op.method.toUpperCase().padEnd(7)} ${address}${op.path}  (${op.operationId})`);
  if (api.operations.length > LISTED_ROUTES) lines.push(`  … and ${api.operations.length - LISTED_ROUTES} more operations (all at ${address}/docs)`);
  for (const base of basePathsOf(api.servers)) lines.push(`  base    every path is also served under ${address}${base} (the first server URL's path)`);
  if (rulesFile) lines.push(`  rules   ${rulesFile}`);
  if (options.delay !== undefined) lines.push(`  delay   ${String(options.delay)} ms on every answer`);
  if (options.errorRate) lines.push(`  errors  ${options.errorRate * 100}% of answers are 500/503`);
  if (adminServed) lines.push(`  admin   ${address}${adminPrefix}/${options.adminToken ? ' (token required)' : ''}`);
  if (options.edge) lines.push(`  edge    generated data follows the ${options.edge} profile`);
  if (options.docs !== false) lines.push(`  docs    ${address}/docs  (raw spec: ${address}/openapi.json)`);
  if (watching) lines.push('  watch   reloading spec, fixtures and rules on change');
  if (options.stateful) {
    const store = typeof options.state === 'object' ? options.state.name : typeof options.state === 'string' ? options.state.replace(/\/\/[^@/]*@/, '//***@') : 'memory';
    lines.push(`  state   sessions and resources persist in ${store}${options.stateFile ? `; every client starts from ${options.stateFile}` : ''}`);
    for (const line of app.iwkitState) lines.push(`          ${line}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Where `iwkit mock` writes and what ends it: the process and its signals, or a test's doubles. */
export interface MockCommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  /** Resolves when the mock should close (SIGINT or SIGTERM for the process). */
  stopped(): Promise<void>;
}

function processIo(): MockCommandIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    stopped: untilSignalled,
  };
}

/** The flags that are not server options (where to listen, how much to log), declared as one schema too. */
const listenFlagsSchema = Type.Object({ port: integerOption(0, 65535), logLevel: oneOf(levels) });

/** Flag names of the server options, where a flag is not the option's name in kebab case. */
const mockFlagNames = flagNames({ stateTimeoutMs: '--state-timeout', fixturesDir: '--fixtures', tokens: '--token', logger: '--log-level' });

/** The server options the flags (and IWKIT_MOCK_TOKENS / IWKIT_ADMIN_TOKEN) ask for, and the port to listen on. */
export function mockServerOptions(opts: MockOptions, env: NodeJS.ProcessEnv): { options: MockServerOptions; port: number } {
  try {
    const port = numberFlag(opts.port)!;
    checkOptions(listenFlagsSchema, { port, logLevel: opts.logLevel });
    const options = serverOptionsOf(opts, env);
    checkMockServerOptions(options);
    return { options, port };
  } catch (error) {
    throw renamedOptionError(error, mockFlagNames);
  }
}

/** The flags as createMockServer options, unchecked. */
function serverOptionsOf(opts: MockOptions, env: NodeJS.ProcessEnv): MockServerOptions {
  const admin = opts.admin === true || opts.adminToken !== undefined;
  return {
    // A spec from a URL is loaded once here (it is not watched); a path is loaded, and watched, by the server.
    spec: opts.spec ? (isSpecUrl(opts.spec) ? opts.spec : resolve(opts.spec)) : undefined,
    fixturesDir: opts.fixtures ? resolve(opts.fixtures) : undefined,
    scenarios: opts.scenarios === false ? false : opts.scenarios ? resolve(opts.scenarios) : undefined,
    seed: numberFlag(opts.seed),
    tokens: opts.token ?? (env.IWKIT_MOCK_TOKENS ? env.IWKIT_MOCK_TOKENS.split(',') : undefined),
    cors: opts.cors,
    docs: opts.docs,
    logger: opts.logLevel === 'silent' ? false : opts.logLevel,
    logFormat: opts.logFormat as LogFormat,
    ...(opts.bodyLimit !== undefined ? { bodyLimit: numberFlag(opts.bodyLimit) } : {}),
    delay: opts.delay,
    errorRate: numberFlag(opts.errorRate),
    admin,
    adminToken: opts.adminToken ?? (env.IWKIT_ADMIN_TOKEN || undefined),
    host: opts.host,
    ...(opts.edge !== undefined ? { edge: opts.edge.trim() as EdgeProfile } : {}),
    // The journal is only readable through the admin API: without it, recording would be wasted work.
    journal: admin,
    strictSpec: opts.strictSpec === true,
    limits: parseLimits(opts),
    ...(opts.stateful || opts.state || opts.stateFile ? { stateful: true, state: opts.state ?? 'memory', sessionTtl: parseSessionTtl(opts.sessionTtl), stateTimeoutMs: parseDuration(opts.stateTimeout, '--state-timeout', '1s or 250 (ms)') } : {}),
    ...(opts.stateFile ? { stateFile: resolve(opts.stateFile) } : {}),
  };
}

interface RunningMock {
  app: MockServer;
  address: string;
  close(): Promise<void>;
}

/** Starts the mock once, listening. */
async function listenOnce(options: MockServerOptions, port: number, host: string): Promise<RunningMock> {
  const app = await createMockServer(options);
  const address = await listenApp(app, port, host);
  return { app, address, close: () => app.close() };
}

/** Starts the mock under `--watch`: one state store for every reload, so sessions and items survive a change. */
async function listenWatched(options: MockServerOptions, port: number, host: string, io: MockCommandIo): Promise<RunningMock> {
  if (options.stateful) {
    const limits = limitsWith(options.limits);
    options.state = await openStateStore(options.state, { maxItems: limits.maxStateItems, maxBytes: limits.maxStateBytes }, options.stateTimeoutMs);
  }
  const watched = await watchMockServer(options, {
    port,
    host,
    onReload: (outcome) => {
      if (outcome.ok) io.stdout.write('iwkit: reloaded spec, fixtures and rules\n');
      else {
        const { error } = outcome;
        const text = isToolkitError(error) ? `${error.code}: ${error.message}` : `iwkit: reload failed: ${error.message}`;
        io.stderr.write(`${text}\niwkit: still serving the last good version\n`);
      }
    },
  });
  return { app: watched.current(), address: watched.address, close: () => watched.close() };
}

/** `iwkit mock` in-process: serves until `io.stopped()` resolves, then closes; returns the exit code (0). */
export async function runMockCommand(opts: MockOptions, io: MockCommandIo): Promise<number> {
  const { options, port } = mockServerOptions(opts, io.env);
  const adminServed = options.admin === true && (options.adminToken !== undefined || isLoopbackHost(opts.host));
  if (options.admin && !adminServed) {
    io.stderr.write(`iwkit: the admin API is off: --host ${opts.host} is not a loopback address and no --admin-token is set\n`);
  }
  const rulesFile = resolveMockSources(options).scenariosFile;
  const running = opts.watch ? await listenWatched(options, port, opts.host, io) : await listenOnce(options, port, opts.host);
  io.stderr.write(warningLines(running.app.iwkitApi.warnings));
  io.stdout.write(startLines(running.app, running.address, options, rulesFile, adminServed, opts.watch === true));
  await io.stopped();
  // Stopping is the user's wish: a close that fails (a socket already gone) still ends with 0, as before.
  await running.close().catch(() => undefined);
  return 0;
}

/** Registers `iwkit mock`: serve a spec on a local port. */
export function registerMockCommand(program: Command): void {
  program
    .command('mock')
    .description('serve a mock of the spec (default: the embedded IW-ERP login contract)')
    .option('--spec <path|url>', 'OpenAPI 3.0/3.1 document (YAML or JSON), a path or an http(s) URL; default: the embedded login contract')
    .option('--fixtures <dir>', 'fixture folder with <operationId>/<name>.json|.js; default: the embedded fixtures with the default spec')
    .option('--port <n>', 'port to listen on', '4010')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--seed <n>', 'seed generated data: identical bodies across restarts')
    .option('--token <value>', 'accept only this credential value (repeatable); default: any non-empty value', collect)
    .option('--no-cors', 'do not answer CORS preflights or send CORS headers')
    .option('--no-docs', 'do not serve /docs, /openapi.json and /openapi.yaml')
    .option('--log-level <level>', `request log level (${levels.join(', ')})`, 'info')
    .option('--scenarios <file>', 'scenario rules (YAML, JSON or JS module); default: scenarios.yaml in the fixtures folder, if any')
    .option('--no-scenarios', 'load no scenario rules, not even the default scenarios.yaml')
    .option('--delay <ms>', 'delay every answer: milliseconds (800) or a range (200-800)')
    .option('--error-rate <fraction>', 'answer this share of requests with a 500 or 503 problem, e.g. 0.05')
    .option('--admin', `serve the run-time control API and request journal under ${adminPrefix}/`)
    .option('--admin-token <token>', 'require this token for the admin API (needed with a non-loopback --host); or IWKIT_ADMIN_TOKEN')
    .option('--watch', 'reload spec, fixtures and rules when they change, keeping connections')
    .option('--edge <profile>', 'edge-case profile for all generated data: min, max, unicode, dates, nulls or random')
    .option('--strict-spec', 'refuse a spec with any problem instead of serving what can be served and warning')
    // Console and request-size flags (issue 13: readable log, body limit).
    .option('--log-format <format>', "request log: text (one readable line per request) or json (pino's JSON lines)", 'text')
    .option('--body-limit <bytes>', 'largest accepted request body in bytes (default 1048576); larger bodies get a 413 problem')
    // State (issue 17): sessions and resources that persist, in memory or shared by replicas through Redis.
    .option('--stateful', 'keep state: a login issues sessions protected operations require; created items persist')
    .option('--state <store>', 'where state lives with --stateful: memory (default) or redis://host:port/db (shared by replicas)')
    .option('--session-ttl <duration>', 'how long a session lives after its login: 30m (default), 90s, 5000 (ms)')
    .option('--state-timeout <duration>', 'with --state redis://: how long one Redis command may take before the request answers 503: 1s (default), 250 (ms)')
    .option('--state-file <file>', 'JSON of starting items by collection path, e.g. {"/pets": [...]}, checked at start; every client starts from it (implies --stateful)')
    .action(runAction((opts: MockOptions) => runMockCommand(opts, processIo())));
  addLimitFlags(program.commands.find((c) => c.name() === 'mock')!);
}
