import { rootCertificates } from 'node:tls';
import { Readable } from 'node:stream';
import { Pool } from 'undici';
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
  /** The rest of a body longer than the cap, still to be read. */
  rest?: AsyncIterator<Buffer>;
}

/** The pooled keep-alive client bound to the one upstream origin. */
export interface UpstreamClient {
  send(request: UpstreamRequest): Promise<UpstreamAnswer | { failure: TransportFailure }>;
  /** Requests waiting for or holding a connection. */
  readonly inFlight: number;
  close(): Promise<void>;
}

function failureOf(error: unknown): TransportFailure {
  const code = String((error as { code?: unknown }).code ?? '');
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return { kind: 'timeout', message };
  if (code === 'ECONNREFUSED') return { kind: 'refused', message };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'dns', message };
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE') return { kind: 'reset', message };
  return { kind: 'other', message };
}

/** Creates the client; `ca` adds trusted certificates to Node's own for an HTTPS upstream. */
export function createUpstreamClient(upstream: URL, options: { connections: number; timeout: number; responseLimit: number; ca?: string | Buffer }): UpstreamClient {
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
    async send(request) {
      inFlight++;
      try {
        const answer = await pool.request({ method: request.method, path: `${base}${request.path}`, headers: request.headers, body: request.body === undefined || Buffer.isBuffer(request.body) ? request.body : Readable.from(request.body, { objectMode: false }) });
        const iterator = (answer.body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
        const chunks: Buffer[] = [];
        let size = 0;
        for (;;) {
          const next = await iterator.next();
          if (next.done) break;
          chunks.push(next.value);
          size += next.value.length;
          if (size > options.responseLimit) return { status: answer.statusCode, headers: answer.headers, body: Buffer.concat(chunks), rest: iterator };
        }
        return { status: answer.statusCode, headers: answer.headers, body: Buffer.concat(chunks) };
      } catch (error) {
        return { failure: failureOf(error) };
      } finally {
        inFlight--;
      }
    },
    close: () => pool.close(),
  };
}
