import { parseCookie } from 'cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { CheckResult, HttpResponse, ParsedResponse, TransportFailure } from '../contract/contract-types.js';
import { parseResponse, summariseResponse } from '../contract/parse-response.js';
import type { SchemaValidation } from '../contract/schema-validation.js';
import type { Api } from '../openapi/api-model.js';
import type { CompiledOperation } from '../mock/compile-operation.js';
import { problem, type Problem } from '../mock/problem.js';
import { sendProblem } from '../server/send-problem.js';
import { checkRequest, type ProxiedRequest, type RequestVerdict } from './check-request.js';
import { checkResponse, type RequestStanding } from './check-response.js';
import { curlLine, displayRequest } from './curl-line.js';
import type { SecretRules } from './find-secrets.js';
import { clientResponseHeaders, upstreamRequestHeaders } from './forward-headers.js';
import type { ProxyBounds, ProxyServerOptions } from './proxy-options.js';
import type { ExchangeStats } from './proxy-report.js';
import { readBody, teeBody, type TeedBody } from './read-body.js';
import type { Recorder } from './recorder.js';
import type { UpstreamAnswer, UpstreamClient } from './upstream-client.js';
import { violationsHeader, type Violation, type ViolationJournal } from './violation.js';

/** Everything the exchange handler shares across requests. */
export interface ProxyContext {
  api: Api;
  options: ProxyServerOptions;
  bounds: ProxyBounds;
  upstream: URL;
  client: UpstreamClient;
  schemas: SchemaValidation;
  rules: SecretRules;
  journal: ViolationJournal;
  stats: ExchangeStats;
  recorder?: Recorder;
  fallback?: FastifyInstance;
  log: (violation: Violation) => void;
  notFound?: (method: string, path: string) => Problem;
}

type Headers = Record<string, string | string[] | undefined>;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function decoded(body: Buffer, encoding: string | undefined, limit: number): Buffer {
  const kind = encoding?.trim().toLowerCase();
  if (!kind || kind === 'identity' || body.length === 0) return body;
  try {
    if (kind === 'gzip' || kind === 'x-gzip') return gunzipSync(body, { maxOutputLength: limit });
    if (kind === 'deflate') return inflateSync(body, { maxOutputLength: limit });
    if (kind === 'br') return brotliDecompressSync(body, { maxOutputLength: limit });
  } catch {
    // An undecodable body is checked as sent; the schema check then says it does not parse.
  }
  return body;
}

function requestResult(verdict: RequestVerdict | undefined, undocumented: boolean): CheckResult[] {
  if (undocumented) return [{ check: 'undocumented-request', severity: 'error', status: 'failed', problems: [{ message: 'no operation of the contract takes this method and path', expected: 'a declared operation', actual: 'undocumented' }] }];
  if (!verdict) return [];
  if (!verdict.problem) return [{ check: 'request-validation', severity: 'error', status: 'passed', problems: [], ...(verdict.note ? { note: verdict.note } : {}) }];
  const errors = verdict.problem.errors ?? [];
  const problems = errors.length > 0
    ? errors.map((e) => ({ message: `${e.in}: ${e.message}`, pointer: e.pointer, expected: 'a value the contract accepts', actual: `answered ${verdict.problem!.status} by the mock` }))
    : [{ message: verdict.problem.detail, expected: 'a request the contract accepts', actual: String(verdict.problem.status) }];
  return [{ check: 'request-validation', severity: 'error', status: 'failed', problems }];
}

// A body announced this small is read whole before it is forwarded: one write to the upstream and the
// request checked before it leaves. Larger or chunked bodies stream through, copied for the checks.
const wholeBodyBytes = 64 * 1024;

// Request targets that the WHATWG URL parser would leave as they are: no dot segment, nothing it would
// percent-encode. Others go through URL, which keeps them under the upstream's base path.
const plainTarget = /^[A-Za-z0-9\-._~!$&()*+,;=:@/?%]*$/;
const dotSegment = /(?:^|\/)(?:\.|%2e){1,2}(?:[/?]|$)/i;

/** The path (and query) the upstream gets, below its base path. */
export function upstreamTarget(rawUrl: string): string {
  if (plainTarget.test(rawUrl) && !dotSegment.test(rawUrl)) return rawUrl;
  const url = new URL(rawUrl, 'http://upstream.invalid');
  return `${url.pathname}${url.search}`;
}

const noCookies: Record<string, string | undefined> = Object.freeze({}) as Record<string, string | undefined>;

/** One request on its way through the proxy: what the steps below share. */
interface Exchange {
  request: FastifyRequest;
  reply: FastifyReply;
  op: CompiledOperation | undefined;
  params: Record<string, string>;
  started: number;
  method: string;
  rawUrl: string;
  path: string;
  headers: Headers;
  query: Record<string, unknown>;
  bodyPresent: boolean;
  /** The whole body, read before forwarding. */
  bytes?: Buffer;
  /** The body streaming through, copied for the checks. */
  teed?: TeedBody;
  verdict?: RequestVerdict;
  forwarded: Record<string, string | string[]>;
}

function bodyOf(ex: Exchange): Buffer | undefined {
  return ex.bytes ?? ex.teed?.bytes();
}

function bodyLimitProblem(bounds: ProxyBounds): Problem {
  return problem(413, `the request body exceeds bodyLimit (${bounds.bodyLimit} bytes)`, [{ in: 'body', pointer: '', message: 'bodyLimit' }], { limit: 'bodyLimit' });
}

function refuseTooLarge(reply: FastifyReply, bounds: ProxyBounds): FastifyReply {
  reply.header('connection', 'close');
  return sendProblem(reply, bodyLimitProblem(bounds));
}

function viewOf(ex: Exchange): ProxiedRequest {
  const cookie = single(ex.headers.cookie);
  return { params: ex.params, query: ex.query, headers: ex.headers, cookies: cookie ? parseCookie(cookie) : noCookies, body: bodyOf(ex) };
}

/** The request as reports show it (secrets redacted); built only when something is reported. */
function displayOf(ctx: ProxyContext, ex: Exchange) {
  const url = new URL(`${ctx.upstream.pathname.replace(/\/+$/, '')}${ex.rawUrl}`, ctx.upstream.origin);
  return displayRequest(ex.method, url, ex.forwarded, bodyOf(ex), { headers: ctx.rules.headers, query: ctx.rules.query, values: [] });
}

/** Journals and logs every failed result, counts the exchange, keeps its outcome when it failed; the violations. */
function journalExchange(ctx: ProxyContext, ex: Exchange, results: CheckResult[], status: number | undefined, parsed: ParsedResponse | undefined, elapsedMs: number): Violation[] {
  const operationId = ex.op?.operation.operationId ?? 'undocumented';
  if (!ctx.stats.count(operationId, ex.method, ex.op?.operation.path ?? ex.path, results)) return [];
  const display = displayOf(ctx, ex);
  const curl = curlLine(display);
  const at = new Date().toISOString();
  const violations: Violation[] = [];
  for (const r of results) {
    if (r.status !== 'failed') continue;
    for (const p of r.problems) {
      const v = ctx.journal.add({ at, check: r.check, severity: r.severity, ...(ex.op ? { operationId } : {}), method: ex.method, path: ex.path, ...(status !== undefined ? { status } : {}), ...(p.pointer !== undefined ? { pointer: p.pointer } : {}), message: p.message, ...(p.expected !== undefined ? { expected: p.expected } : {}), ...(p.actual !== undefined ? { actual: p.actual } : {}), curl });
      violations.push(v);
      ctx.log(v);
    }
  }
  ctx.stats.keep({
    id: `${operationId}/exchange/${ctx.stats.exchanges}`, operationId, method: ex.method, path: ex.path, kind: 'example', name: `${ex.method} ${ex.path}${status !== undefined ? ` → ${status}` : ''}`,
    expectation: 'accept', auth: 'valid', request: display, curl, sent: true, elapsedMs, startedAt: at, results,
    ...(parsed ? { response: summariseResponse(parsed, []) } : {}),
  });
  return violations;
}

/** Answers from the fallback mock, saying why in `iwkit-scenario`. */
async function answerFallback(ctx: ProxyContext, ex: Exchange, reason: string): Promise<FastifyReply> {
  const { request, reply } = ex;
  const answer = await ctx.fallback!.inject({ method: request.method as 'GET', url: request.url, headers: request.headers as Record<string, string>, ...(ex.bytes ? { payload: ex.bytes } : {}) });
  const headers = clientResponseHeaders(answer.headers as Headers, true);
  headers['iwkit-scenario'] = `fallback:${reason}:${String(answer.headers['iwkit-scenario'] ?? 'mock')}`;
  reply.hijack();
  reply.raw.writeHead(answer.statusCode, { ...headers, 'content-length': String(answer.rawPayload.length) });
  reply.raw.end(request.method === 'HEAD' ? undefined : answer.rawPayload);
  return reply;
}

/** The problem for an upstream that timed out (504) or could not be reached (502). */
function transportProblem(ctx: ProxyContext, failure: TransportFailure): Problem {
  if (failure.kind === 'timeout') return problem(504, `the upstream did not answer within upstreamTimeout (${ctx.bounds.upstreamTimeout} ms)`, [{ in: 'request', pointer: '', message: 'upstreamTimeout' }], { limit: 'upstreamTimeout' });
  return problem(502, `the upstream ${ctx.upstream.origin} could not be reached: ${failure.kind}`, [{ in: 'request', pointer: '', message: failure.message }]);
}

/** Step 1: the bounds a request can break before its body is read (maxInFlight, an announced bodyLimit). */
function refuseOverBounds(ctx: ProxyContext, ex: Exchange, length: number): FastifyReply | undefined {
  if (ctx.client.inFlight >= ctx.bounds.maxInFlight) {
    ex.reply.header('retry-after', '1');
    return sendProblem(ex.reply, problem(503, `the proxy has maxInFlight (${ctx.bounds.maxInFlight}) requests at the upstream already`, [], { limit: 'maxInFlight' }));
  }
  if (length > ctx.bounds.bodyLimit) return refuseTooLarge(ex.reply, ctx.bounds);
  return undefined;
}

/** Step 2: reads a small (or, when it must be checked first, any) body whole, or starts streaming it; a reply when that failed. */
async function takeBody(ctx: ProxyContext, ex: Exchange, length: number, buffered: boolean): Promise<FastifyReply | undefined> {
  if (!ex.bodyPresent) return undefined;
  const whole = buffered || ex.request.raw.readableEnded || (length > 0 && length <= wholeBodyBytes && ex.headers['transfer-encoding'] === undefined);
  if (!whole) {
    ex.teed = teeBody(ex.request.raw, ctx.bounds.bodyLimit);
    return undefined;
  }
  const read = await readBody(ex.request.raw, ctx.bounds.bodyLimit);
  if ('tooLarge' in read) return refuseTooLarge(ex.reply, ctx.bounds);
  if ('aborted' in read) return ex.reply.hijack();
  ex.bytes = read.bytes;
  return undefined;
}

/** Step 3 (enforce mode): answers an undocumented or invalid request with the mock's problem instead of forwarding it. */
function refuseInvalid(ctx: ProxyContext, ex: Exchange): FastifyReply {
  const { op, verdict, reply } = ex;
  const refusal = op ? verdict!.problem! : (ctx.notFound?.(ex.method, ex.path) ?? problem(404, `no operation takes ${ex.method} ${ex.path}`));
  reply.header('iwkit-violations', violationsHeader(journalExchange(ctx, ex, requestResult(verdict, !op), undefined, undefined, 0)));
  // The mock's own challenge (an http scheme's); an API key has none, as the mock answers it.
  if (verdict?.challenge) reply.header('www-authenticate', verdict.challenge);
  return sendProblem(reply, refusal);
}

/** Step 5: checks the answer (and a streamed request, now complete) and journals what broke the contract. */
function judge(ctx: ProxyContext, ex: Exchange, answer: UpstreamAnswer): { violations: Violation[]; checked: HttpResponse; parsed?: ParsedResponse } {
  const { op } = ex;
  if (op && ex.teed) ex.verdict = checkRequest(op, viewOf(ex), ex.teed.bytes() !== undefined, ctx.bounds.bodyLimit);
  const elapsedMs = performance.now() - ex.started;
  const verdict = ex.verdict;
  const standing: RequestStanding = !verdict || !verdict.problem ? 'valid' : verdict.credentialed ? 'invalid' : 'uncredentialed';
  const checked: HttpResponse = { status: answer.status, headers: answer.headers, body: decoded(answer.body, single(answer.headers['content-encoding']), ctx.bounds.responseLimit), ...(answer.rest ? { bodyProblem: 'too-large' as const } : {}) };
  const judgement = op ? checkResponse(op.operation, ex.method, standing, checked, ctx.schemas, elapsedMs, answer.rest ? 'response-schema-conformance' : undefined) : undefined;
  const requestResults = requestResult(verdict, !op);
  const results = judgement ? (requestResults.length > 0 ? [...requestResults, ...judgement.results] : judgement.results) : requestResults;
  return { violations: journalExchange(ctx, ex, results, answer.status, judgement?.parsed, elapsedMs), checked, parsed: judgement?.parsed };
}

/** Builds the handler that forwards one request, checks both sides and answers the client. */
export function createExchangeHandler(ctx: ProxyContext) {
  const { bounds, client } = ctx;
  const enforce = ctx.options.mode === 'enforce';
  // A fallback or enforce mode needs the whole body before forwarding; otherwise a large one streams through.
  const buffered = enforce || ctx.fallback !== undefined;

  return async function handleExchange(request: FastifyRequest, reply: FastifyReply, op: CompiledOperation | undefined, params: Record<string, string>): Promise<FastifyReply> {
    const rawUrl = request.raw.url ?? '/';
    const headers = request.headers as Headers;
    const queryAt = rawUrl.indexOf('?');
    const ex: Exchange = {
      request, reply, op, params, started: performance.now(), method: request.method, rawUrl, path: queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt), headers,
      query: (request.query ?? {}) as Record<string, unknown>, bodyPresent: false, forwarded: upstreamRequestHeaders(headers),
    };
    const length = Number(single(headers['content-length']) ?? 0);
    const refused = refuseOverBounds(ctx, ex, length);
    if (refused) return refused;
    ex.bodyPresent = length > 0 || headers['transfer-encoding'] !== undefined;
    const unread = await takeBody(ctx, ex, length, buffered);
    if (unread) return unread;

    // Step 3: the request checked before it leaves, unless its body is still streaming (then after the answer).
    if (op && !ex.teed) ex.verdict = checkRequest(op, viewOf(ex), ex.bodyPresent, bounds.bodyLimit);
    if (enforce && (!op || ex.verdict?.problem)) return refuseInvalid(ctx, ex);

    // Step 4: forward.
    const answer = await client.send({ method: ex.method, path: upstreamTarget(rawUrl), headers: ex.forwarded, body: ex.bytes ?? ex.teed?.stream });
    if ('failure' in answer) {
      if (ex.teed?.tooLarge) return refuseTooLarge(reply, bounds);
      if (ctx.fallback) return answerFallback(ctx, ex, answer.failure.kind);
      return sendProblem(reply, transportProblem(ctx, answer.failure));
    }
    if (answer.status === 501 && ctx.fallback && !answer.rest) {
      return answerFallback(ctx, ex, 'not-implemented');
    }

    const { violations, checked, parsed } = judge(ctx, ex, answer);
    // Step 6: record a valid answer, then write it back.
    if (ctx.recorder && op && violations.length === 0 && !answer.rest && answer.status < 500) void record(ctx, op, ex.query, headers, bodyOf(ex), answer, parsed ?? parseResponse(checked));
    return writeAnswer(reply, answer, violations, ex.method);
  };
}

function record(ctx: ProxyContext, op: CompiledOperation, query: Record<string, unknown>, requestHeaders: Headers, body: Buffer | undefined, answer: UpstreamAnswer, parsed: ParsedResponse): Promise<void> {
  let requestBody: unknown;
  try {
    requestBody = body && body.length > 0 ? JSON.parse(body.toString('utf8')) : undefined;
  } catch {
    requestBody = undefined;
  }
  if (parsed.bodyBytes > 0 && !(parsed.json?.ok)) return Promise.resolve();
  return ctx.recorder!.record({ op, query, requestHeaders, requestBody, status: answer.status, responseHeaders: answer.headers, responseBody: parsed.json?.ok ? parsed.json.value : undefined })
    .then((outcome) => {
      if ('skipped' in outcome) ctx.options.onRecord?.({ operationId: op.operation.operationId, skipped: outcome.skipped });
      else ctx.options.onRecord?.({ operationId: op.operation.operationId, recorded: outcome.recorded });
    }, (error: unknown) => ctx.options.onRecord?.({ operationId: op.operation.operationId, skipped: `cannot write: ${error instanceof Error ? error.message : String(error)}` }));
}

async function writeAnswer(reply: FastifyReply, answer: UpstreamAnswer, violations: Violation[], method: string): Promise<FastifyReply> {
  const headers = clientResponseHeaders(answer.headers, !answer.rest);
  if (violations.length > 0) headers['iwkit-violations'] = violationsHeader(violations);
  reply.hijack();
  const res = reply.raw;
  if (!answer.rest) {
    // HEAD and 304 keep the upstream's Content-Length: it describes the body they do not carry.
    const keepLength = method === 'HEAD' || answer.status === 304 || answer.status === 204;
    const length = answer.headers['content-length'];
    if (keepLength) {
      if (length !== undefined && answer.status !== 204) headers['content-length'] = length;
    } else headers['content-length'] = String(answer.body.length);
    res.writeHead(answer.status, headers);
    res.end(answer.body.length > 0 && !keepLength ? answer.body : undefined);
    return reply;
  }
  res.writeHead(answer.status, headers);
  // A client that goes away mid-answer releases the upstream connection rather than leave it paused.
  const gone = new Promise<'gone'>((done) => res.once('close', () => done('gone')));
  try {
    res.write(answer.body);
    for (;;) {
      const next = await answer.rest.next();
      if (next.done) break;
      if (!res.write(next.value) && (await Promise.race([new Promise((done) => res.once('drain', done)), gone])) === 'gone') break;
    }
    if (res.destroyed) void answer.rest.return?.();
    else res.end();
  } catch {
    void answer.rest.return?.();
    res.destroy();
  }
  return reply;
}

