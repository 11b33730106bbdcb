import type { Command } from 'commander';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { allChecks } from '../contract/checks/all-checks.js';
import type { ContractResult, ContractRunFailure } from '../contract/contract-result.js';
import { scrubSecrets } from '../contract/redact.js';
import { createProgressLine, formatConsoleReport, shouldUseColor } from '../contract/reporters/console-reporter.js';
import { renderJson, renderJsonFailure } from '../contract/reporters/json-reporter.js';
import { renderJunit, renderJunitFailure } from '../contract/reporters/junit-reporter.js';
import { contractDefaults, runContract, type ContractOptions } from '../contract/run-contract.js';
import { isToolkitError, toolkitError } from '../errors.js';
import { isSpecUrl, specLabel } from '../openapi/fetch-spec-text.js';
import { isHeaderName, isHeaderValue } from '../mock/header-text.js';
import { edgeProfiles, parseEdgeProfiles } from '../fake/edge-profiles.js';
import { packagedSpecPath } from '../openapi/package-root.js';
import { collect, flagNames, numberFlag } from './parse-options.js';
import { namingOptions } from '../options/check-options.js';
import { prepareReportFile, writeReportFile } from './report-file.js';
import { runAction } from './run-action.js';
import { registerMergeCommand } from './contract-merge-command.js';

/** The raw options commander hands to the contract action. */
export interface ContractCliOptions {
  baseUrl?: string;
  spec?: string;
  token?: string;
  header?: string[];
  checks?: string;
  excludeChecks?: string;
  operation?: string[];
  cases?: string;
  seed?: string;
  timeout?: string;
  maxResponseTime?: string;
  rate?: string;
  maxRequests?: string;
  concurrency?: string;
  strict?: boolean;
  strictSpec?: boolean;
  fixtures?: string;
  edge?: string;
  junit?: string;
  json?: string;
  authFrom?: string;
  authBody?: string;
  authToken?: string;
  authHeader?: string;
  shard?: string;
  /** `--flows N`; commander sets `false` for `--no-flows`. */
  flows?: string | boolean;
}

/** Where the command writes: the process streams, or test doubles. */
export interface CommandIo {
  stdout: NodeJS.WriteStream | { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stderr: NodeJS.WriteStream | { write(text: string): unknown; isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
}

const HEADER = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*:\s*(.*)$/;

function parseHeaders(raw: string[] = []): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of raw) {
    const m = HEADER.exec(line);
    // The value may be a secret: the error names only the expected shape.
    if (!m) throw toolkitError('IWKIT_ERR_OPTION_INVALID', '--header', `expected "Name: value" (header ${Object.keys(headers).length + 1} is malformed)`);
    const value = m[2].trim();
    // Node would refuse to send it, and every case would then look like a transport failure of the target.
    if (!isHeaderName(m[1]) || !isHeaderValue(value)) {
      throw toolkitError('IWKIT_ERR_OPTION_INVALID', '--header', `header "${m[1]}" cannot be sent (names are tokens; values hold no line breaks, control or non-Latin-1 characters)`);
    }
    headers[m[1]] = value;
  }
  return headers;
}

/** Flag names of runContract's options, where a flag is not the option's name in kebab case. */
const contractFlagNames = flagNames({
  'auth.from': '--auth-from',
  'auth.body': '--auth-body',
  'auth.token': '--auth-token',
  'auth.header': '--auth-header',
  timeoutMs: '--timeout',
  maxResponseTimeMs: '--max-response-time',
  ratePerSecond: '--rate',
  headers: '--header',
  operations: '--operation',
  fixturesDir: '--fixtures',
});

/** Parses `--rate` as `N`, `N/s` or `N/m` into requests per second. */
export function parseRate(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(s|sec|second|m|min|minute))?\s*$/i.exec(raw);
  const value = m ? Number(m[1]) / (m[2] && m[2].toLowerCase().startsWith('m') ? 60 : 1) : NaN;
  if (!(value > 0)) throw toolkitError('IWKIT_ERR_OPTION_INVALID', '--rate', `expected a rate like 5/s or 120/m, got "${raw}"`);
  return value;
}

function list(raw: string | undefined): string[] | undefined {
  return raw === undefined ? undefined : raw.split(',').map((s) => s.trim()).filter(Boolean);
}

interface Report {
  file: string;
  render(result: ContractResult): string;
  renderFailure(failure: ContractRunFailure): string;
}

function reportsOf(opts: ContractCliOptions): Report[] {
  if (opts.junit && opts.json && resolve(opts.junit) === resolve(opts.json)) {
    throw toolkitError('IWKIT_ERR_OPTION_INVALID', '--json', 'names the same file as --junit');
  }
  return [
    ...(opts.junit ? [{ file: opts.junit, render: renderJunit, renderFailure: renderJunitFailure }] : []),
    ...(opts.json ? [{ file: opts.json, render: renderJson, renderFailure: renderJsonFailure }] : []),
  ];
}

/** An --auth-body file is a few fields: read at most this much. */
const MAX_AUTH_BODY_BYTES = 1024 * 1024;

/** Reads `--auth-body`: inline JSON (starting with `{` or `[`) or a JSON file. */
export async function readAuthBody(raw: string | undefined): Promise<unknown> {
  if (raw === undefined) return undefined;
  let text = raw;
  if (!/^\s*[[{]/.test(raw)) {
    try {
      const info = await stat(raw);
      if (info.size > MAX_AUTH_BODY_BYTES) throw new Error(`larger than ${MAX_AUTH_BODY_BYTES} bytes`);
      text = await readFile(raw, 'utf8');
    } catch (error) {
      throw toolkitError('IWKIT_ERR_OPTION_INVALID', '--auth-body', `cannot read ${raw}: ${(error as Error).message}`);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // The body may hold a secret: the error names only where JSON broke.
    throw toolkitError('IWKIT_ERR_OPTION_INVALID', '--auth-body', `not JSON (${(error as Error).message.replace(/"[^"]*"/g, '…')})`);
  }
}

function flowsOf(raw: string | boolean | undefined): number | undefined {
  if (raw === false) return 0;
  if (raw === undefined || raw === true) return undefined;
  return numberFlag(raw);
}

async function contractOptions(opts: ContractCliOptions, spec: string, token: string | undefined, env: CommandIo['env'], onEvent: ContractOptions['onEvent']): Promise<ContractOptions> {
  const authBody = await readAuthBody(opts.authBody);
  if (!opts.authFrom && (opts.authBody !== undefined || opts.authToken !== undefined || opts.authHeader !== undefined)) {
    throw toolkitError('IWKIT_ERR_OPTION_INVALID', '--auth-body/--auth-token/--auth-header', 'only apply with --auth-from <operationId>');
  }
  const flows = flowsOf(opts.flows);
  return {
    ...(opts.authFrom
      ? {
          auth: {
            from: opts.authFrom,
            ...(authBody !== undefined ? { body: authBody } : {}),
            ...(opts.authToken !== undefined ? { token: opts.authToken } : {}),
            ...(opts.authHeader !== undefined ? { header: opts.authHeader } : {}),
          },
          env,
        }
      : {}),
    ...(opts.shard !== undefined ? { shard: opts.shard } : {}),
    ...(flows !== undefined ? { flows } : {}),
    spec,
    baseUrl: opts.baseUrl ?? '',
    ...(token ? { token } : {}),
    headers: parseHeaders(opts.header),
    ...(opts.checks !== undefined ? { checks: list(opts.checks) } : {}),
    ...(opts.excludeChecks !== undefined ? { excludeChecks: list(opts.excludeChecks) } : {}),
    ...(opts.operation ? { operations: opts.operation } : {}),
    cases: numberFlag(opts.cases),
    seed: numberFlag(opts.seed),
    timeoutMs: numberFlag(opts.timeout),
    maxResponseTimeMs: numberFlag(opts.maxResponseTime),
    ratePerSecond: parseRate(opts.rate),
    maxRequests: numberFlag(opts.maxRequests),
    concurrency: numberFlag(opts.concurrency),
    strict: Boolean(opts.strict),
    ...(opts.strictSpec ? { strictSpec: true } : {}),
    ...(opts.fixtures ? { fixturesDir: resolve(opts.fixtures) } : {}),
    ...(opts.edge !== undefined ? { edge: parseEdgeProfiles(opts.edge, '--edge') } : {}),
    ...(onEvent ? { onEvent } : {}),
  };
}

// A CI step uploads the report whatever happened: a run that ends in a toolkit error still writes one, holding the error.
async function writeFailureReports(reports: Report[], failure: ContractRunFailure, io: CommandIo): Promise<void> {
  for (const report of reports) {
    try {
      await writeReportFile(report.file, report.renderFailure(failure));
    } catch (error) {
      // The run's own error is the one to exit with; this one is only told.
      io.stderr.write(`${isToolkitError(error) ? `${error.code}: ` : ''}${(error as Error).message}\n`);
    }
  }
}

/** Runs `iwkit contract` with parsed options; returns the exit code (0 all passed, 1 contract failures). Toolkit errors are thrown, after the reports asked for are written with the error. */
export async function runContractCommand(opts: ContractCliOptions, io: CommandIo): Promise<number> {
  // Not a commander requiredOption: that would also be demanded of `iwkit contract merge`.
  if (opts.baseUrl === undefined) throw toolkitError('IWKIT_ERR_OPTION_INVALID', '--base-url', 'required: the server under test, e.g. --base-url https://erp.example');
  const reports = reportsOf(opts);
  // Before anything is sent: a report that cannot be written must not cost the target a whole run.
  for (const report of reports) await prepareReportFile(report.file);
  const started = Date.now();
  const token = opts.token ?? (io.env.IWKIT_TOKEN ? io.env.IWKIT_TOKEN : undefined);
  const spec = opts.spec ? (isSpecUrl(opts.spec) ? opts.spec : resolve(opts.spec)) : packagedSpecPath();
  const progress = createProgressLine(io.stderr as NodeJS.WriteStream, io.env);
  let result: ContractResult;
  try {
    result = await namingOptions(contractFlagNames, async () => runContract(await contractOptions(opts, spec, token, io.env, progress.onEvent)));
  } catch (error) {
    progress.clear();
    const secrets = token ? [token, Buffer.from(token).toString('base64')] : [];
    const code = isToolkitError(error) ? error.code : 'IWKIT_UNEXPECTED';
    const message = scrubSecrets(error instanceof Error ? error.message : String(error), secrets);
    // specLabel masks a password in any URL: a refused --base-url may carry one.
    const failure = { baseUrl: specLabel(opts.baseUrl ?? ''), spec: specLabel(spec), startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, error: { code, message } };
    await writeFailureReports(reports, failure, io);
    throw error;
  }
  progress.clear();
  io.stdout.write(formatConsoleReport(result, { color: shouldUseColor(io.stdout, io.env) }));
  for (const report of reports) await writeReportFile(report.file, report.render(result));
  return result.ok ? 0 : 1;
}

/** Registers `iwkit contract`: check a running server against the spec. */
export function registerContractCommand(program: Command, io: CommandIo = { stdout: process.stdout, stderr: process.stderr, env: process.env }): void {
  const d = contractDefaults;
  const contract = program.command('contract');
  registerMergeCommand(contract, io);
  contract
    .description('check a running server against the spec; exit 0 all passed, 1 contract failures, 2 toolkit error')
    .option('--base-url <url>', 'the server under test, e.g. https://erp.example (required)')
    .option('--spec <path|url>', 'OpenAPI 3.0/3.1 document, a path or an http(s) URL; default: the embedded IW-ERP login contract')
    .option('--token <value>', 'credential for secured operations (prefer the IWKIT_TOKEN environment variable)')
    .option('--header <header>', 'extra request header "Name: value" (repeatable)', collect)
    .option('--checks <names>', `only these checks, comma-separated (${allChecks.map((c) => c.name).join(', ')})`)
    .option('--exclude-checks <names>', 'skip these checks, comma-separated')
    .option('--operation <operationId>', 'only this operation (repeatable)', collect)
    .option('--cases <n>', 'generated valid requests per operation', String(d.cases))
    .option('--seed <n>', 'seed for generated requests (default: random, printed in the report)')
    .option('--timeout <ms>', 'deadline per request', String(d.timeoutMs))
    .option('--max-response-time <ms>', 'fail responses slower than this (max-response-time check)')
    .option('--rate <n/s>', 'at most this many requests per second (or per minute: 60/m)', `${d.ratePerSecond}/s`)
    .option('--max-requests <n>', 'send at most this many requests in the whole run', String(d.maxRequests))
    .option('--concurrency <n>', 'requests in flight at once', String(d.concurrency))
    .option('--strict', 'every documented response property required, undocumented properties are failures; an accepted body in an undocumented media type fails')
    .option('--strict-spec', 'refuse a spec with any problem instead of testing what can be loaded and warning')
    .option('--fixtures <dir>', 'also send the requests in <dir>/<operationId>/requests/*.json ({ path?, query?, headers?, cookies?, body? })')
    .option('--edge <profiles>', `also send valid boundary requests built with these edge profiles, comma-separated (${edgeProfiles.join(', ')})`)
    .option('--auth-from <operationId>', "log in through this operation first, send the token it returns as every secured operation's credential, log in again once on a 401")
    .option('--auth-body <json|file>', 'the login request body, inline JSON or a JSON file; "$NAME" reads an environment variable (default: the example, else generated)')
    .option('--auth-token <pointer>', 'JSON pointer of the token in the login response (default: a property named like a token, e.g. /sessionid)')
    .option('--auth-header <name>', "send the token in this header (default: where each operation's security scheme puts it)")
    .option('--shard <i/n>', 'run share i of n of the cases and flows (stable for a given --seed); merge the JSON reports with `iwkit contract merge`')
    .option('--flows <n>', `flows (create → read → update → read → delete → read) per resource, from the spec's links and inferred ones`, String(d.flows))
    .option('--no-flows', 'send no flows')
    .option('--junit <file>', 'write a JUnit XML report')
    .option('--json <file>', 'write a JSON report of every case, result and timing')
    .action(runAction(async (opts: ContractCliOptions) => runContractCommand(opts, io)));
}
