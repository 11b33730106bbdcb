import { rootCertificates } from 'node:tls';
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { TransportFailure } from '../contract/contract-types.js';

/** A request on its way to the upstream; the path includes the query. */
export interface UpstreamRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  body?: Buffer | AsyncIterable<Buffer>;
}

/** The upstream's answer: status, headers, and the body up to the read cap; `rest` streams what lies beyond it. */
export interface UpstreamAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The rest of a body longer than the cap, still to be read; `return()` gives up on it. */
  rest?: AsyncIterator<Buffer>;
}

/** The pooled keep-alive client bound to the one upstream origin. */
export interface UpstreamClient {
  send(request: UpstreamRequest): Promise<UpstreamAnswer | { failure: TransportFailure }>;
  /** Requests waiting for or holding a connection. */
  readonly inFlight: number;
  close(): Promise<void>;
}

type Outcome = UpstreamAnswer | { failure: TransportFailure };

function failureOf(error: unknown): TransportFailure {
  const code = String((error as { code?: unknown }).code ?? '');
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return { kind: 'timeout', message };
  if (code === 'ECONNREFUSED') return { kind: 'refused', message };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'dns', message };
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE') return { kind: 'reset', message };
  return { kind: 'other', message };
}

/** What lies past the read cap: chunks queue here (the upstream paused while any wait) until the writer pulls them. */
class Overflow implements AsyncIterator<Buffer> {
  private readonly queue: Buffer[] = [];
  private waiter?: { resolve: (r: IteratorResult<Buffer>) => void; reject: (e: unknown) => void };
  private ended = false;
  private error: unknown;

  constructor(private readonly resume: () => void, private readonly abort: (reason: Error) => void) {}

  /** Takes a chunk from the upstream; false asks it to pause. */
  push(chunk: Buffer): boolean {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve({ done: false, value: chunk });
      return true;
    }
    this.queue.push(chunk);
    return false;
  }

  end(error?: unknown): void {
    this.ended = true;
    this.error = error;
    const w = this.waiter;
    this.waiter = undefined;
    if (!w) return;
    if (error !== undefined) w.reject(error);
    else w.resolve({ done: true, value: undefined });
  }

  next(): Promise<IteratorResult<Buffer>> {
    const chunk = this.queue.shift();
    if (chunk) return Promise.resolve({ done: false, value: chunk });
    if (this.ended) return this.error !== undefined ? Promise.reject(this.error) : Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.resume();
    });
  }

  return(): Promise<IteratorResult<Buffer>> {
    if (!this.ended) this.abort(new Error('the client went away'));
    this.ended = true;
    this.queue.length = 0;
    return Promise.resolve({ done: true, value: undefined });
  }
}

// A dispatch handler rather than pool.request: no Readable per answer, no async iterator, the body
// gathered as plain chunks; past the cap the rest is handed over with back-pressure.
function answerHandler(parseHeaders: ParseHeaders, responseLimit: number, settle: (outcome: Outcome) => void): Dispatcher.DispatchHandler {
  const chunks: Buffer[] = [];
  let size = 0;
  let status = 0;
  let headers: Record<string, string | string[] | undefined> = {};
  let abort: (reason: Error) => void = () => {};
  let resume: () => void = () => {};
  let overflow: Overflow | undefined;
  let settled = false;
  const once = (outcome: Outcome): void => {
    if (settled) return;
    settled = true;
    settle(outcome);
  };
  return {
    onConnect(abortRequest) {
      abort = abortRequest as (reason: Error) => void;
    },
    onHeaders(statusCode, rawHeaders, resumeBody) {
      if (statusCode < 200) return true;
      status = statusCode;
      headers = parseHeaders(rawHeaders as unknown as Buffer[]) as Record<string, string | string[] | undefined>;
      resume = resumeBody;
      return true;
    },
    onData(chunk) {
      if (overflow) return overflow.push(chunk);
      chunks.push(chunk);
      size += chunk.length;
      if (size <= responseLimit) return true;
      overflow = new Overflow(() => resume(), (reason) => abort(reason));
      once({ status, headers, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size), rest: overflow });
      return false;
    },
    onComplete() {
      if (overflow) return overflow.end();
      once({ status, headers, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size) });
    },
    onError(error) {
      if (overflow) return overflow.end(error);
      once({ failure: failureOf(error) });
    },
  };
}

type ParseHeaders = typeof import('undici').util.parseHeaders;

/** Creates the client; `ca` adds trusted certificates to Node's own for an HTTPS upstream. */
export async function createUpstreamClient(upstream: URL, options: { connections: number; timeout: number; responseLimit: number; ca?: string | Buffer }): Promise<UpstreamClient> {
  // Imported here, not at the top: the CLI bundle leaves undici out, so `iwkit mock` never loads it.
  const { Pool, util } = await import('undici');
  const pool = new Pool(upstream.origin, {
    connections: options.connections,
    pipelining: 1,
    headersTimeout: options.timeout,
    bodyTimeout: options.timeout,
    connectTimeout: Math.min(options.timeout, 10_000),
    ...(options.ca ? { connect: { ca: [...rootCertificates, options.ca.toString()] } } : {}),
  });
  const base = upstream.pathname.replace(/\/+$/, '');
  let inFlight = 0;
  return {
    get inFlight() {
      return inFlight;
    },
    send(request) {
      inFlight++;
      return new Promise<Outcome>((resolve) => {
        const settle = (outcome: Outcome): void => {
          inFlight--;
          resolve(outcome);
        };
        const body = request.body === undefined || Buffer.isBuffer(request.body) ? request.body : Readable.from(request.body, { objectMode: false });
        try {
          pool.dispatch({ origin: upstream.origin, method: request.method as Dispatcher.HttpMethod, path: `${base}${request.path}`, headers: request.headers, body }, answerHandler(util.parseHeaders, options.responseLimit, settle));
        } catch (error) {
          settle({ failure: failureOf(error) });
        }
      });
    },
    close: () => pool.close(),
  };
}
