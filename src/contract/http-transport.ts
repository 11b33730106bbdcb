import http from 'node:http';
import https from 'node:https';
import { collectGarbage, largeBodyBytes } from './collect-garbage.js';
import type { HttpRequest, HttpResponse } from './contract-types.js';
import type { Transport, TransportLimits } from './transport.js';
import { TransportError, transportErrorKind } from './transport.js';

// node:http directly, so the run controls the whole-request deadline and the body read cap itself.
// Connections are kept alive (a new TCP connection per case costs more than the case itself); a socket
// that errs, times out or is cut off is destroyed, so it never returns to the pool, and a reset on a
// reused idle socket (the server closed it as we sent) is retried once on a fresh one, for idempotent
// methods only: a retried POST would be one more login than --max-requests and --rate allow.
//
// The deadline is about the server, not about us: a run that parses and checks large answers blocks
// its own event loop, and a timer that fires after such a stall would blame the server for bytes
// that were waiting in the socket all along. So the time the loop was stalled does not count, and
// before declaring a time-out the transport lets pending I/O run once.

const STALL_TICK_MS = 20;

/** Measures how long the event loop was blocked, summed over time, while at least one request is in flight. */
function createStallClock(): { acquire(): void; release(): void; stalledMs(): number } {
  let stalled = 0;
  let last = 0;
  let users = 0;
  let timer: NodeJS.Timeout | undefined;
  const lateness = (now: number): number => Math.max(0, now - last - STALL_TICK_MS);
  const tick = (): void => {
    const now = performance.now();
    stalled += lateness(now);
    last = now;
  };
  return {
    acquire() {
      if (users++ > 0) return;
      last = performance.now();
      timer = setInterval(tick, STALL_TICK_MS);
      timer.unref();
    },
    release() {
      if (--users > 0) return;
      clearInterval(timer);
      timer = undefined;
    },
    stalledMs: () => stalled + (timer ? lateness(performance.now()) : 0),
  };
}

const idempotent = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE']);

type StallClock = ReturnType<typeof createStallClock>;

/** One attempt's outcome, given at most once: it stops the deadline timer and releases the stall clock. */
class Attempt {
  settled = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly startedAt = performance.now();
  private readonly stalledAtStart: number;

  constructor(
    private readonly clock: StallClock,
    private readonly timeoutMs: number,
    private readonly onTimeout: (error: TransportError) => void,
  ) {
    clock.acquire();
    this.stalledAtStart = clock.stalledMs();
    // setImmediate runs after the poll phase: bytes already in the socket are read before the verdict.
    this.timer = setTimeout(() => setImmediate(() => this.onDeadline()), timeoutMs);
  }

  /** Settles once; later calls do nothing. */
  finish(fn: () => void): void {
    if (this.settled) return;
    this.abandon();
    fn();
  }

  /** Ends the attempt without an outcome, for a retry to give one. */
  abandon(): void {
    this.settled = true;
    clearTimeout(this.timer);
    this.clock.release();
  }

  /** Times out only once the server itself has had the whole time: the loop's own stalls are added back. */
  private onDeadline(): void {
    if (this.settled) return;
    const serverTime = performance.now() - this.startedAt - (this.clock.stalledMs() - this.stalledAtStart);
    if (serverTime < this.timeoutMs) {
      this.timer = setTimeout(() => this.onDeadline(), Math.ceil(this.timeoutMs - serverTime));
      return;
    }
    this.onTimeout(new TransportError('timeout', `no complete response within ${this.timeoutMs} ms`));
  }
}

/** What every request of one transport shares: the keep-alive agents and the stall clock. */
interface Pools {
  agents: { http: http.Agent; https: https.Agent };
  clock: StallClock;
}

/** One request over the pooled agents; a reset on a stale keep-alive socket is retried once. */
function sendRequest(pools: Pools, request: HttpRequest, limits: TransportLimits, retried: boolean): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      reject(new TransportError('other', `invalid URL ${request.url}`));
      return;
    }
    const secure = url.protocol === 'https:';
    const headers: Record<string, string> = { ...request.headers };
    if (request.body) headers['Content-Length'] = String(request.body.length);
    const req = (secure ? https : http).request(url, { method: request.method, headers, agent: secure ? pools.agents.https : pools.agents.http });
    const attempt = new Attempt(pools.clock, limits.timeoutMs, (error) => {
      attempt.finish(() => reject(error));
      req.destroy(error);
    });
    req.on('error', (error) => {
      if (!retried && !attempt.settled && isStaleSocketReset(error, req, request.method)) {
        attempt.abandon();
        sendRequest(pools, request, limits, true).then(resolve, reject);
        return;
      }
      attempt.finish(() => reject(error instanceof TransportError ? error : new TransportError(transportErrorKind(error), error.message)));
    });
    req.on('response', (res) => collectResponse(res, req, limits.maxBodyBytes, () => attempt.settled, (response) => attempt.finish(() => resolve(response))));
    req.end(request.body);
  });
}

/** A transport over real HTTP(S) with a hard deadline per request, a capped body read and pooled connections. */
export function createHttpTransport(options: { keepAlive?: boolean } = {}): Transport {
  const keepAlive = options.keepAlive ?? true;
  const pools: Pools = { agents: { http: new http.Agent({ keepAlive }), https: new https.Agent({ keepAlive }) }, clock: createStallClock() };
  const transport: Transport = (request, limits) => sendRequest(pools, request, limits, false);
  transport.close = () => {
    pools.agents.http.destroy();
    pools.agents.https.destroy();
  };
  return transport;
}

/** A reset on a reused keep-alive socket of an idempotent request: the server closed it idle, so one retry is safe. */
function isStaleSocketReset(error: Error, req: http.ClientRequest, method: string): boolean {
  return req.reusedSocket && idempotent.has(method.toUpperCase()) && (error as NodeJS.ErrnoException).code === 'ECONNRESET';
}

/** Reads an answer's body within `maxBodyBytes` and hands the response to `settle` once (saying when the body was cut off or too large). */
function collectResponse(res: http.IncomingMessage, req: http.ClientRequest, maxBodyBytes: number, settled: () => boolean, settle: (response: HttpResponse) => void): void {
  const announced = Number(res.headers['content-length'] ?? 0);
  let collected = false;
  const collectOnce = (): void => {
    if (collected) return;
    collected = true;
    collectGarbage();
  };
  if (announced >= largeBodyBytes) collectOnce();
  const body = createBodyCollector(res.headers['content-length'], maxBodyBytes);
  const done = (bodyProblem?: HttpResponse['bodyProblem']): void => {
    if (settled()) return;
    // Again once the body is in: answers parsed meanwhile (concurrent cases) are garbage by now.
    if (collected) collectGarbage();
    settle({ status: res.statusCode ?? 0, headers: res.headers, body: body.take(), ...(bodyProblem ? { bodyProblem } : {}) });
  };
  res.on('data', (chunk: Buffer) => {
    if (settled()) return;
    if (body.size() >= largeBodyBytes) collectOnce();
    if (!body.add(chunk)) {
      done('too-large');
      res.destroy();
      req.destroy();
    }
  });
  res.on('end', () => done(res.complete ? undefined : 'aborted'));
  res.on('error', () => done('aborted'));
  res.on('close', () => done(res.complete ? undefined : 'aborted'));
}

/** Collects a body up to `cap` bytes: into one buffer sized by Content-Length when it is announced within the cap, else as chunks joined once. */
function createBodyCollector(contentLength: string | undefined, cap: number): { add(chunk: Buffer): boolean; size(): number; take(): Buffer } {
  const announced = contentLength !== undefined && /^\d+$/.test(contentLength) ? Number(contentLength) : undefined;
  // One allocation, no join: a 10 MiB answer costs 10 MiB here, not twice that.
  let whole = announced !== undefined && announced <= cap ? Buffer.allocUnsafe(announced) : undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  return {
    add(chunk) {
      const room = cap - size;
      const fits = chunk.length <= room;
      const part = fits ? chunk : chunk.subarray(0, Math.max(room, 0));
      if (whole && size + part.length <= whole.length) part.copy(whole, size);
      else {
        // More than announced (or nothing announced): fall back to chunks.
        if (whole) chunks.push(Buffer.from(whole.subarray(0, size)));
        whole = undefined;
        chunks.push(part);
      }
      size += part.length;
      return fits;
    },
    size: () => size,
    take() {
      if (whole) return size === whole.length ? whole : whole.subarray(0, size);
      return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
    },
  };
}
