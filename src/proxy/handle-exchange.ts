import { parseCookie } from 'cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { CaseOutcome, CheckResult, HttpResponse, TransportFailure } from '../contract/contract-types.js';
import { parseResponse, summariseResponse } from '../contract/parse-response.js';
import type { SchemaValidation } from '../contract/schema-validation.js';
import type { Api } from '../openapi/api-model.js';
import type { CompiledOperation } from '../mock/compile-operation.js';
import { problem, type Problem } from '../mock/problem.js';
import { sendProblem } from '../server/send-problem.js';
import { checkRequest, type RequestVerdict } from './check-request.js';
import { checkResponse, type RequestStanding } from './check-response.js';
import { curlLine, displayRequest } from './curl-line.js';
import type { SecretRules } from './find-secrets.js';
import { clientResponseHeaders, upstreamRequestHeaders } from './forward-headers.js';
import type { ProxyBounds, ProxyServerOptions } from './proxy-options.js';
import type { ExchangeStats } from './proxy-report.js';
import { readBody, teeBody } from './read-body.js';
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

/** Builds the handler that forwards one request, checks both sides and answers the client. */
export function createExchangeHandler(ctx: ProxyContext) {
  const { bounds, client } = ctx;
  const enforce = ctx.options.mode === 'enforce';
  // A fallback or enforce mode needs the whole body before forwarding; otherwise it streams through.
  const buffered = enforce || ctx.fallback !== undefined;

  async function answerFallback(request: FastifyRequest, reply: FastifyReply, body: Buffer | undefined, reason: string): Promise<FastifyReply> {
    const answer = await ctx.fallback!.inject({ method: request.method as 'GET', url: request.url, headers: request.headers as Record<string, string>, ...(body ? { payload: body } : {}) });
    const headers = clientResponseHeaders(answer.headers as Headers, true);
    headers['iwkit-scenario'] = `fallback:${reason}:${String(answer.headers['iwkit-scenario'] ?? 'mock')}`;
    reply.hijack();
    reply.raw.writeHead(answer.statusCode, { ...headers, 'content-length': String(answer.rawPayload.length) });
    reply.raw.end(request.method === 'HEAD' ? undefined : answer.rawPayload);
    return reply;
  }

  function transportProblem(failure: TransportFailure): Problem {
    if (failure.kind === 'timeout') return problem(504, `the upstream did not answer within upstreamTimeout (${bounds.upstreamTimeout} ms)`, [{ in: 'request', pointer: '', message: 'upstreamTimeout' }], { limit: 'upstreamTimeout' });
    return problem(502, `the upstream ${ctx.upstream.origin} could not be reached: ${failure.kind}`, [{ in: 'request', pointer: '', message: failure.message }]);
  }

  return async function handleExchange(request: FastifyRequest, reply: FastifyReply, op: CompiledOperation | undefined, params: Record<string, string>): Promise<FastifyReply> {
    const started = performance.now();
    const method = request.method;
    const rawUrl = request.raw.url ?? '/';
    const path = rawUrl.split('?')[0];
    const headers = request.headers as Headers;

    if (client.inFlight >= bounds.maxInFlight) {
      reply.header('retry-after', '1');
      return sendProblem(reply, problem(503, `the proxy has maxInFlight (${bounds.maxInFlight}) requests at the upstream already`, [], { limit: 'maxInFlight' }));
    }
    const length = Number(single(headers['content-length']) ?? 0);
    if (length > bounds.bodyLimit) {
      reply.header('connection', 'close');
      return sendProblem(reply, problem(413, `the request body exceeds bodyLimit (${bounds.bodyLimit} bytes)`, [{ in: 'body', pointer: '', message: 'bodyLimit' }], { limit: 'bodyLimit' }));
    }
    const bodyPresent = length > 0 || headers['transfer-encoding'] !== undefined;

    let bytes: Buffer | undefined;
    let teed: ReturnType<typeof teeBody> | undefined;
    if (bodyPresent && (buffered || request.raw.readableEnded)) {
      const read = await readBody(request.raw, bounds.bodyLimit);
      if ('tooLarge' in read) {
        reply.header('connection', 'close');
        return sendProblem(reply, problem(413, `the request body exceeds bodyLimit (${bounds.bodyLimit} bytes)`, [{ in: 'body', pointer: '', message: 'bodyLimit' }], { limit: 'bodyLimit' }));
      }
      if ('aborted' in read) return reply.hijack();
      bytes = read.bytes;
    } else if (bodyPresent) teed = teeBody(request.raw, bounds.bodyLimit);

    const query = (request.query ?? {}) as Record<string, unknown>;
    let cookies: Record<string, string | undefined> | undefined;
    const view = () => ({ params, query, headers, cookies: (cookies ??= headers.cookie ? parseCookie(single(headers.cookie)!) : {}), body: bytes ?? teed?.bytes() });
    let verdict = op && !teed ? checkRequest(op, view(), bodyPresent) : undefined;
    const forwarded = upstreamRequestHeaders(headers);
    const target = new URL(rawUrl, ctx.upstream.origin);
    const display = () => displayRequest(method, new URL(`${ctx.upstream.pathname.replace(/\/+$/, '')}${rawUrl}`, ctx.upstream.origin), forwarded, bytes ?? teed?.bytes(), { headers: ctx.rules.headers, query: ctx.rules.query, values: [] });

    const finish = (results: CheckResult[], status: number | undefined, response: HttpResponse | undefined, elapsedMs: number): Violation[] => {
      const failed = results.filter((r) => r.status === 'failed');
      const operationId = op?.operation.operationId ?? 'undocumented';
      let curl: string | undefined;
      const curlOnce = (): string => (curl ??= curlLine(display()));
      const violations: Violation[] = [];
      for (const r of failed) {
        for (const p of r.problems) {
          const v = ctx.journal.add({ at: new Date().toISOString(), check: r.check, severity: r.severity, ...(op ? { operationId } : {}), method, path, ...(status !== undefined ? { status } : {}), ...(p.pointer !== undefined ? { pointer: p.pointer } : {}), message: p.message, ...(p.expected !== undefined ? { expected: p.expected } : {}), ...(p.actual !== undefined ? { actual: p.actual } : {}), curl: curlOnce() });
          violations.push(v);
          ctx.log(v);
        }
      }
      ctx.stats.add(operationId, method, op?.operation.path ?? path, results, (): CaseOutcome => {
        const d = display();
        return {
          id: `${operationId}/exchange/${ctx.stats.exchanges}`, operationId, method, path, kind: 'example', name: `${method} ${path}${status !== undefined ? ` → ${status}` : ''}`,
          expectation: 'accept', auth: 'valid', request: d, curl: curlOnce(), sent: true, elapsedMs, startedAt: new Date().toISOString(), results,
          ...(response ? { response: summariseResponse(parseResponse(response), []) } : {}),
        };
      });
      return violations;
    };

    if (enforce && (!op || verdict?.problem)) {
      const refusal = op ? verdict!.problem! : (ctx.notFound?.(method, path) ?? problem(404, `no operation takes ${method} ${path}`));
      if (!op) reply.header('iwkit-violations', violationsHeader(finish(requestResult(undefined, true), undefined, undefined, 0)));
      else reply.header('iwkit-violations', violationsHeader(finish(requestResult(verdict, false), undefined, undefined, 0)));
      if (refusal.status === 401) reply.header('www-authenticate', 'ApiKey');
      return sendProblem(reply, refusal);
    }

    const answer = await client.send({ method, path: `${target.pathname}${target.search}`, headers: forwarded, body: bytes ?? teed?.stream });
    if ('failure' in answer) {
      if (teed?.tooLarge) {
        reply.header('connection', 'close');
        return sendProblem(reply, problem(413, `the request body exceeds bodyLimit (${bounds.bodyLimit} bytes)`, [{ in: 'body', pointer: '', message: 'bodyLimit' }], { limit: 'bodyLimit' }));
      }
      if (ctx.fallback) return answerFallback(request, reply, bytes, answer.failure.kind);
      return sendProblem(reply, transportProblem(answer.failure));
    }
    if (answer.status === 501 && ctx.fallback && !answer.rest) return answerFallback(request, reply, bytes, 'not-implemented');

    if (op && teed) verdict = checkRequest(op, view(), bodyPresent && teed.bytes() !== undefined);
    const elapsedMs = performance.now() - started;
    const standing: RequestStanding = !verdict || !verdict.problem ? 'valid' : verdict.credentialed ? 'invalid' : 'uncredentialed';
    const checked: HttpResponse = { status: answer.status, headers: answer.headers, body: decoded(answer.body, single(answer.headers['content-encoding']), bounds.responseLimit), ...(answer.rest ? { bodyProblem: 'too-large' as const } : {}) };
    const responseResults = op ? checkResponse(op.operation, method, standing, checked, ctx.schemas, elapsedMs).filter((r) => !(answer.rest && r.check === 'response-schema-conformance')) : [];
    const results = [...requestResult(verdict, !op), ...responseResults];
    const violations = finish(results, answer.status, checked, elapsedMs);

    if (ctx.recorder && op && violations.length === 0 && !answer.rest && answer.status < 500) void record(ctx, op, query, headers, bytes ?? teed?.bytes(), answer, checked);
    return writeAnswer(reply, answer, violations, method);
  };
}

function record(ctx: ProxyContext, op: CompiledOperation, query: Record<string, unknown>, requestHeaders: Headers, body: Buffer | undefined, answer: UpstreamAnswer, checked: HttpResponse): Promise<void> {
  const parsed = parseResponse(checked);
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
  try {
    res.write(answer.body);
    for (;;) {
      const next = await answer.rest.next();
      if (next.done) break;
      if (!res.write(next.value)) await new Promise((done) => res.once('drain', done));
    }
    res.end();
  } catch {
    res.destroy();
  }
  return reply;
}

