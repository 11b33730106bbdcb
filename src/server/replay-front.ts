import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { JournalSubject } from '../mock/journal-record.js';
import type { MockAnswer } from '../mock/mock-answer.js';
import { hashSeed } from '../mock/request-seed.js';
import { ResponseCache } from '../mock/response-cache.js';
import { isSocketOverCap } from './connection-limits.js';
import { rawBodyKey, rawEncodingKey, type RawEncoding } from './handle-operation.js';
import { journalAnswer, journalSubject, type MockControls } from './mock-controls.js';
import type { MockRuntime } from './mock-runtime.js';
import { logAnswer } from './request-log.js';
import { wireBody } from './write-answer.js';

// A request byte-for-byte identical to one answered before (method, URL, every header line, body) gets
// the same answer again when the core said the answer was reusable: no rule, builder, delay, random error
// or state chose it. Such a request is answered here, before Fastify, as it was the first time, and is
// still journalled and logged. This is where a bare Fastify route's speed comes within reach: routing,
// hooks, parsing, validation and generation all ran once for the first request.

/** The longest body a request may have to be replayed; longer ones go to Fastify untouched. */
export const maxReplayBodyBytes = 16 * 1024;

/** Answers larger than this are not kept for replay. */
const maxReplayAnswerBytes = 64 * 1024;

/** One answer as it left, to be sent again to an identical request. */
interface ReplayEntry {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer | undefined;
  scenario: string;
  /** What the journal keeps of the request (identical requests have identical subjects); undefined without a journal. */
  subject: JournalSubject | undefined;
  /** What it holds besides its key, counted against the byte bound: the answer, the parsed request body, headers. */
  weight: number;
}

/** How many requests were answered by replay and how many answers are kept: for tests and tuning. */
export interface ReplayStats {
  hits: number;
  entries: number;
}

const preReadKey = Symbol('iwkit.preRead');

type FrontRequest = IncomingMessage & { [preReadKey]?: Buffer[] };

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** What an entry's headers and journal subject count for, besides the bodies. */
const headerBytes = 1024;

/** More distinct heads than this, or more characters of them, and the replay starts over (entries come and go, heads stay). */
const maxHeads = 4000;
const maxHeadBytes = 2 * 1024 * 1024;


/** The bodies a front pre-reads; a multipart body is read by its plugin from the socket itself. */
function replayable(req: IncomingMessage): boolean {
  const { headers, method } = req;
  if (method === 'HEAD' || method === 'OPTIONS' || headers.host === undefined) return false;
  // What the request gate refuses or a large body waits for stays Fastify's.
  if (headers['transfer-encoding'] !== undefined || headers.expect !== undefined || headers['content-encoding'] !== undefined) return false;
  if (isSocketOverCap(req.socket)) return false;
  const length = headers['content-length'];
  if (length === undefined) return true;
  if (!/^\d{1,6}$/.test(length) || Number(length) > maxReplayBodyBytes) return false;
  return !headers['content-type']?.toLowerCase().includes('multipart/');
}

/** The request line and header lines as one string: they hold no newline, and their count fixes where the body starts. */
function headOf(req: IncomingMessage): string {
  const raw = req.rawHeaders;
  return `${req.method} ${req.url} ${req.httpVersion}\n${raw.length}\n${raw.join('\n')}`;
}

type BodyRequest = FastifyRequest & { [rawBodyKey]?: string; [rawEncodingKey]?: RawEncoding };

/**
 * The body's bytes one character each, as the front reads them; undefined when they cannot be had again:
 * a multipart body, or text whose decoding replaced bytes that were no UTF-8 (U+FFFD).
 */
function bodyBytes(request: BodyRequest): string | undefined {
  const raw = request[rawBodyKey];
  if (raw === undefined) return request.headers['content-length'] === undefined || request.headers['content-length'] === '0' ? '' : undefined;
  const encoding = request[rawEncodingKey];
  if (encoding === 'latin1') return raw;
  return encoding === 'utf8' && !raw.includes('\ufffd') ? Buffer.from(raw, 'utf8').toString('latin1') : undefined;
}

/** The whole request as one string: its head, then its body bytes one character each. */
const keyOf = (head: string, body: string): string => `${head}\n${body}`;

/** Reads a small body whole; an aborted request never calls `done`, and its socket is gone with it. */
function readBody(req: IncomingMessage, done: (chunks: Buffer[]) => void): void {
  const chunks: Buffer[] = [];
  const onData = (chunk: Buffer): void => void chunks.push(chunk);
  req.on('data', onData);
  req.once('error', () => req.off('data', onData));
  req.once('end', () => {
    req.off('data', onData);
    done(chunks);
  });
}

/** The replay cache of one mock, the front that answers from it, and the offer its handlers make. */
export class ReplayFront {
  private readonly cache = new ResponseCache<ReplayEntry>(1000, 8 * 1024 * 1024, (entry) => entry.weight);
  /** The heads of kept answers: only a request with one of them can be answered, so only its body is read here. */
  private readonly heads = new Set<string>();
  private headBytes = 0;
  private resets: number;
  private hits = 0;
  /** The mock's logger, once Fastify made it; undefined: requests are not logged. */
  log: FastifyBaseLogger | undefined;

  constructor(
    private readonly runtime: MockRuntime,
    private readonly controls: MockControls,
    /** Fastify's request ids, so a replayed request's log line has its own, as any other has. */
    readonly requestId: () => string,
  ) {
    this.resets = runtime.rules.resets;
  }

  /** What the replay did so far. */
  stats(): ReplayStats {
    return { hits: this.hits, entries: this.cache.size };
  }

  /** Puts the front before Fastify's request handler. */
  wrap(handler: RequestHandler): RequestHandler {
    return (req, res) => {
      if (this.heads.size === 0 || !this.looksUp() || !replayable(req)) return handler(req, res);
      const head = headOf(req);
      if (!this.heads.has(head)) return handler(req, res);
      const started = performance.now();
      if (req.headers['content-length'] === undefined) return this.answer(req, res, handler, started, head, undefined);
      readBody(req, (chunks) => this.answer(req, res, handler, started, head, chunks));
    };
  }

  /** Hands Fastify's body parsers the body the front read (a request it did not answer). */
  install(app: FastifyInstance): void {
    app.addHook('preParsing', (request, _reply, payload, done) => {
      const chunks = (request.raw as FrontRequest)[preReadKey];
      if (chunks === undefined) return done(null, payload);
      const stream = new Readable({ read() {} }) as Readable & { receivedEncodedLength?: number };
      let length = 0;
      for (const chunk of chunks) {
        length += chunk.length;
        stream.push(chunk);
      }
      stream.push(null);
      stream.receivedEncodedLength = length;
      done(null, stream);
    });
  }

  /** Keeps an answer just written for an identical request to come, when the core called it reusable and it came twice. */
  offer(request: BodyRequest, reply: FastifyReply, answer: MockAnswer): void {
    // Headers already sent are final: no hook can still change what an identical request would get.
    if (!answer.reusable || !reply.raw.headersSent || !replayable(request.raw)) return;
    const raw = request[rawBodyKey] ?? '';
    // A cheap sighting (a collision only keeps an answer early); the whole bytes are read only for a second one.
    if (!this.cache.admits(hashSeed(request.method, request.url, raw.length, raw.slice(-64)))) return;
    const bytes = bodyBytes(request);
    const body = answer.body === undefined ? undefined : Buffer.from(wireBody(answer.body));
    if (bytes === undefined || (body?.length ?? 0) > maxReplayAnswerBytes) return;
    const head = headOf(request.raw);
    if (!this.heads.has(head)) {
      if (this.heads.size >= maxHeads || this.headBytes + head.length > maxHeadBytes) this.forget();
      this.heads.add(head);
      this.headBytes += head.length;
    }
    const subject = this.controls.journal ? journalSubject(request, answer.operationId) : undefined;
    const headers = { ...reply.getHeaders() } as OutgoingHttpHeaders;
    const weight = (body?.length ?? 0) + (subject ? bytes.length : 0) + headerBytes;
    this.cache.put(keyOf(head, bytes), { status: reply.statusCode, headers, body, scenario: answer.scenario, subject, weight });
  }

  private forget(): void {
    this.cache.clear();
    this.heads.clear();
    this.headBytes = 0;
  }

  /** False while anything but the request can change an answer: overrides, a fault's pending re-send. */
  private looksUp(): boolean {
    const { runtime } = this;
    if (runtime.rules.resets !== this.resets) {
      this.forget();
      this.resets = runtime.rules.resets;
    }
    return runtime.overrides.size === 0 && !(runtime.faultRetries?.size && runtime.faultRetries.anyPending());
  }

  private answer(req: FrontRequest, res: ServerResponse, handler: RequestHandler, started: number, head: string, chunks: Buffer[] | undefined): void {
    // Asked again: an override or reset may have come while the body arrived. A pipelined request waits
    // for a socket until the answers before it are out, so what those requests change must reach it first.
    const body = chunks === undefined ? '' : Buffer.concat(chunks).toString('latin1');
    const entry = res.socket && this.looksUp() ? this.cache.get(keyOf(head, body)) : undefined;
    if (entry === undefined) {
      if (chunks !== undefined) req[preReadKey] = chunks;
      return handler(req, res);
    }
    this.hits += 1;
    res.writeHead(entry.status, entry.headers);
    res.end(entry.body);
    const ms = performance.now() - started;
    if (entry.subject) void journalAnswer(this.controls, entry.subject, entry.status, entry.scenario, ms);
    if (this.log) logAnswer(this.log, req, entry.status, entry.scenario, ms, this.requestId());
  }
}

/** Fastify's request id format (`req-1`, `req-2`, … in base 36), counted by the mock so replayed requests get theirs. */
export function requestIds(): () => string {
  let next = 0;
  return () => {
    next = (next + 1) & 0x7fffffff;
    return `req-${next.toString(36)}`;
  };
}
