import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { shouldUseColor } from '../contract/reporters/console-reporter.js';
import { toolkitError } from '../errors.js';
import { createProxyServer } from '../proxy/create-proxy-server.js';
import type { ProxyServerOptions } from '../proxy/proxy-options.js';
import { proxyConsoleReport, proxyJsonReport, proxyJunitReport } from '../proxy/proxy-report.js';
import { violationLine } from '../proxy/violation.js';
import { collect, flagNames, numberFlag } from './parse-options.js';
import { checkOptions, namingOptions } from '../options/check-options.js';
import { integerOption } from '../options/option-schemas.js';
import { Type } from '@sinclair/typebox';
import { isSpecUrl } from '../openapi/fetch-spec-text.js';
import { listenApp, untilSignalled } from './listen-app.js';
import { runAction } from './run-action.js';

interface ProxyOptions {
  upstream?: string;
  spec?: string;
  port: string;
  host: string;
  mode: string;
  record?: string;
  redact?: string[];
  fallback?: string;
  junit?: string;
  json?: string;
  failOnViolation?: boolean;
  admin?: boolean;
  adminToken?: string;
  ca?: string;
  bodyLimit?: string;
  upstreamTimeout?: string;
  connections?: string;
  maxInFlight?: string;
  responseLimit?: string;
  journalSize?: string;
  maxRecordings?: string;
}

function readCa(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(resolve(file), 'utf8');
  } catch (error) {
    throw toolkitError('IWKIT_ERR_OPTION_INVALID', '--ca', `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function writeReport(file: string, text: string): Promise<void> {
  try {
    await writeFile(resolve(file), text);
  } catch (error) {
    throw toolkitError('IWKIT_ERR_OUTPUT_WRITE', file, error instanceof Error ? error.message : String(error));
  }
}

/** Where to listen: the one flag of iwkit proxy that is not a proxy option. */
const listenFlagSchema = Type.Object({ port: integerOption(0, 65535) });

/** Flag names of the proxy options (each is the option's name in kebab case). */
const proxyFlagNames = flagNames();

/** Registers `iwkit proxy`: a validating, recording proxy in front of one upstream. */
export function registerProxyCommand(program: Command): void {
  program
    .command('proxy')
    .description('forward requests to --upstream, check both sides against the contract, report violations, optionally record fixtures')
    .option('--upstream <url>', 'the server to forward to (http:// or https://); the only host the proxy ever contacts')
    .option('--spec <path>', 'OpenAPI 3.0/3.1 document; default: the embedded login contract')
    .option('--port <n>', 'port to listen on', '4010')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--mode <mode>', 'report (forward invalid requests and flag them) or enforce (answer them with the mock\'s problem)', 'report')
    .option('--record <dir>', 'write each valid answer as a mock fixture under <dir>, with a scenarios.yaml selecting it')
    .option('--redact <name|pointer>', 'another property, header, query or cookie name, or a JSON pointer, whose values are secrets (repeatable)', collect)
    .option('--fallback <mock>', 'mock: answer from the mock when the upstream is unreachable, times out or answers 501')
    .option('--junit <file>', 'write a JUnit XML summary on exit')
    .option('--json <file>', 'write a JSON summary on exit')
    .option('--fail-on-violation', 'exit 1 on SIGINT/SIGTERM when any violation was seen')
    .option('--admin', 'serve the violations journal at GET /__iwkit/violations')
    .option('--admin-token <token>', 'require this token for the violations journal (needed with a non-loopback --host); or IWKIT_ADMIN_TOKEN')
    .option('--ca <file>', 'PEM certificate(s) to trust for an HTTPS upstream (NODE_EXTRA_CA_CERTS works too)')
    .option('--body-limit <bytes>', 'largest request body (default 1048576)')
    .option('--upstream-timeout <ms>', 'time to wait for the upstream (default 30000)')
    .option('--connections <n>', 'keep-alive connections to the upstream (default 64)')
    .option('--max-in-flight <n>', 'requests at the upstream at once; past it a 503 problem (default 1024)')
    .option('--response-limit <bytes>', 'largest answer body checked and recorded; larger ones stream through unchecked (default 8388608)')
    .option('--journal-size <n>', 'violations kept in the journal and failing exchanges in the summary (default 1000)')
    .option('--max-recordings <n>', 'fixture files one recording writes (default 1000)')
    .action(runAction(runProxyCommand));
}

/** The flags as createProxyServer options, unchecked; each violation is printed and counted in `counter`. */
function proxyOptionsOf(opts: ProxyOptions & { upstream: string }, counter: { seen: number }): ProxyServerOptions {
  return {
    upstream: opts.upstream,
    spec: opts.spec ? (isSpecUrl(opts.spec) ? opts.spec : resolve(opts.spec)) : undefined,
    mode: opts.mode as ProxyServerOptions['mode'],
    record: opts.record ? resolve(opts.record) : undefined,
    redact: opts.redact,
    fallback: opts.fallback as ProxyServerOptions['fallback'],
    admin: opts.admin === true || opts.adminToken !== undefined,
    host: opts.host,
    adminToken: opts.adminToken ?? (process.env.IWKIT_ADMIN_TOKEN || undefined),
    ca: readCa(opts.ca),
    bodyLimit: numberFlag(opts.bodyLimit),
    upstreamTimeout: numberFlag(opts.upstreamTimeout),
    connections: numberFlag(opts.connections),
    maxInFlight: numberFlag(opts.maxInFlight),
    responseLimit: numberFlag(opts.responseLimit),
    journalSize: numberFlag(opts.journalSize),
    maxRecordings: numberFlag(opts.maxRecordings),
    onViolation: (v) => {
      counter.seen++;
      process.stderr.write(`${violationLine(v)}\n`);
    },
    onRecord: (o) => {
      if (o.recorded) process.stdout.write(`iwkit proxy recorded ${o.recorded}\n`);
      else process.stderr.write(`iwkit proxy did not record an answer of ${o.operationId}: ${o.skipped}\n`);
    },
  };
}

/** Runs `iwkit proxy` until SIGINT/SIGTERM, then prints and writes the summary; exit 1 with --fail-on-violation when any was seen. */
async function runProxyCommand(opts: ProxyOptions): Promise<number> {
  if (!opts.upstream) throw toolkitError('IWKIT_ERR_OPTION_INVALID', '--upstream', 'is required: the URL of the server to forward to');
  const port = numberFlag(opts.port)!;
  await namingOptions(proxyFlagNames, async () => checkOptions(listenFlagSchema, { port }));
  const counter = { seen: 0 };
  const options = proxyOptionsOf({ ...opts, upstream: opts.upstream }, counter);
  const app = await namingOptions(proxyFlagNames, () => createProxyServer(options));
  const address = await listenApp(app, port, opts.host);
  process.stdout.write(`iwkit proxy listening on ${address} → ${opts.upstream} (${options.mode ?? 'report'} mode${options.record ? `, recording to ${options.record}` : ''}${options.fallback ? ', mock fallback' : ''})\n`);
  await untilSignalled();
  const result = app.proxyResult();
  await app.close();
  process.stdout.write(proxyConsoleReport(result, shouldUseColor(process.stdout)));
  if (opts.junit) await writeReport(opts.junit, proxyJunitReport(result));
  if (opts.json) await writeReport(opts.json, proxyJsonReport(result));
  return opts.failOnViolation && counter.seen > 0 ? 1 : 0;
}
