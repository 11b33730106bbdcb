import type { HttpRequest, HttpResponse, TransportErrorKind } from './contract-types.js';

/** Per-request limits every transport must honour. */
export interface TransportLimits {
  timeoutMs: number;
  /** Bodies beyond this many bytes are cut off and flagged `too-large`. */
  maxBodyBytes: number;
}

/** Sends one request; rejects with a {@link TransportError} when no response arrives. `close` releases pooled connections. */
export type Transport = ((request: HttpRequest, limits: TransportLimits) => Promise<HttpResponse>) & { close?: () => void };

/** A request that got no HTTP response: timeout, refused, reset, DNS. */
export class TransportError extends Error {
  readonly kind: TransportErrorKind;
  constructor(kind: TransportErrorKind, message: string) {
    super(message);
    this.name = 'TransportError';
    this.kind = kind;
  }
}

/** Classifies a Node network error code. */
export function transportErrorKind(error: unknown): TransportErrorKind {
  if (error instanceof TransportError) return error.kind;
  const code = (error as { code?: string } | null)?.code;
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED' || code === 'UND_ERR_SOCKET') return 'reset';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return 'dns';
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_HEADERS_TIMEOUT') return 'timeout';
  const message = error instanceof Error ? error.message : '';
  if (/socket hang up|other side closed|reset/i.test(message)) return 'reset';
  return 'other';
}
